/** The local durable-execution service, its data-file loader and the synthetic data generator. */
export { DataFileError, loadDataFile } from './data-file.js';
export type { CallerRoutingOptions } from './service/caller-routing.js';
export {
  type LocalServiceOptions,
  type RunningLocalService,
  startLocalService,
  type ThrottleOptions,
} from './service/local-service.js';
export type { StoredExecution } from './service/stored-execution.js';
export { StoredExecutionShapeError } from './service/stored-execution-shape.js';
export { type LocalStsOptions, type RunningLocalSts, startLocalSts } from './sts/local-sts.js';
export {
  generateSyntheticExecutions,
  type SyntheticExecution,
  type SyntheticOptions,
} from './synthetic/generate-executions.js';
