import { loadConfig } from '../../src/config/load-config.js';
import { runExportJob } from '../../src/export-job.js';
import { startLocalService } from '../../src/local/service/local-service.js';
import {
  generateSyntheticExecutions,
  type SyntheticExecution,
  type SyntheticOptions,
} from '../../src/local/synthetic/generate-executions.js';
import type { ExportSummary } from '../../src/pipeline/run-export.js';
import { rateLimitsAll } from './rate-limits.js';

export interface ExportedSyntheticLake {
  /** The generator's executions, with their ground truth (`expectedOperations`, `invocationCount`). */
  source: SyntheticExecution[];
  summary: ExportSummary;
}

/**
 * Generates synthetic executions, serves them from the local durable-execution service and exports
 * them to `out` (a local directory) through `runExportJob` and the real LambdaClient, exactly as the
 * CLI does. Fails unless every execution was exported.
 */
export async function exportSyntheticLake(
  out: string,
  options: SyntheticOptions & { runId?: string },
): Promise<ExportedSyntheticLake> {
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  process.env.AWS_REGION ??= 'us-east-1';
  const { runId, ...synthetic } = options;
  const functionNames = synthetic.functionNames ?? ['orders', 'payments'];
  const source = generateSyntheticExecutions({ ...synthetic, functionNames });
  const service = await startLocalService({ executions: source });
  try {
    const config = await loadConfig({
      flags: {
        lambda: { rateLimits: rateLimitsAll(5000), maxConcurrent: 16 },
        export: { functions: functionNames, out },
      },
    });
    const summary = await runExportJob(config, {
      endpointUrlLambda: service.url,
      ...(runId === undefined ? {} : { runId }),
    });
    if (summary.executionsFailed > 0 || summary.executionsExported !== source.length) {
      throw new Error(
        `export of ${source.length} synthetic executions failed: ${JSON.stringify(summary.failures)}`,
      );
    }
    return { source, summary };
  } finally {
    await service.close();
  }
}
