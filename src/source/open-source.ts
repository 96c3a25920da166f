import type { LambdaClient } from '@aws-sdk/client-lambda';
import {
  type AwsConnection,
  type AwsService,
  awsConnectionOf,
  clientOptionsOf,
} from '../aws/aws-connection.js';
import { createLambdaClient } from '../aws/lambda-client.js';
import { openRateLimiter } from '../aws/open-rate-limiter.js';
import type { RateLimiter } from '../aws/rate-limiter.js';
import { resolveAwsConnection } from '../aws/resolve-connection.js';
import type { Config } from '../config/config-schema.js';
import type { ExportRequest } from '../config/export-request.js';
import type { ExecutionSource } from './execution-source.js';
import { givenExecutionsSource } from './given-executions-source.js';
import { type HistorySourceOptions, historySource } from './history-source.js';
import type { StateTarget } from './read-state.js';
import { openStateJobInput, type StateJobInput } from './state-job-input.js';
import { stateSource } from './state-source.js';

export interface OpenSourceOptions extends AwsConnection {
  /** State source: the executions and tokens to read, given in code instead of `export.manifest`. */
  stateTargets?: Iterable<StateTarget>;
  /** Stops the run (SIGINT, SIGTERM), opening an `s3://` manifest included. */
  signal?: AbortSignal;
  /** History source: called with each execution the listing finds (`historySource`). */
  onListed?: HistorySourceOptions['onListed'];
  /** History source: called with the status of each execution of `request.recheck`. */
  onRechecked?: HistorySourceOptions['onRechecked'];
  /**
   * Given executions (`export.executionArns`): the terminal status each is known to have (the
   * events handler: from its status-change event), so the export index is asked before any request.
   */
  knownStatuses?: ReadonlyMap<string, string>;
}

/** A source ready to read, with what it holds open. */
export interface OpenedSource {
  readonly source: ExecutionSource;
  /** The one limiter every Lambda request of the run goes through; its stats are the run's. */
  readonly limiter: RateLimiter;
  /** The Lambda client under the limiter. */
  readonly client: LambdaClient;
  /** The run's connection, checked and resolved (Region, shared credentials): open the lake with it. */
  readonly connection: AwsConnection;
  /** State source: the manifest (or the targets given in code) being read. */
  readonly stateInput?: StateJobInput;
  /** Stops the limiter and releases the Lambda client and an `s3://` manifest's S3 client. */
  close(): Promise<void>;
}

/**
 * Opens the source a checked request asks for: first the connection (`resolveAwsConnection`: a
 * missing Region or credentials is a `ConfigError` before anything is read or written), then the
 * state input (a manifest that cannot be read is a `ConfigError` here, before any export work), one
 * rate limiter, the Lambda client under it, and the history source (listing functions, or reading
 * the executions `export.executionArns` names) or the state source with the run's `lambda` settings.
 */
export async function openSource(
  config: Config,
  request: ExportRequest,
  options: OpenSourceOptions = {},
): Promise<OpenedSource> {
  const connection = await resolveAwsConnection(awsConnectionOf(options), awsServicesOf(request));
  const stateInput =
    request.source === 'state'
      ? await openStateJobInput({
          ...connection,
          manifest: request.manifest,
          targets: options.stateTargets,
          signal: options.signal,
        })
      : undefined;
  // One set of limiters per (account, Region): a target's, else the connection's Region.
  const limiter = await openRateLimiter(config.lambda, {
    region: connection.lambdaTarget?.region ?? connection.region,
    account: connection.lambdaTarget?.account,
    functions: request.functions,
  });
  const client = createLambdaClient({ ...clientOptionsOf(connection, 'lambda'), ...config.lambda, limiter });
  const reading = {
    client,
    pageSize: config.lambda.pageSize,
    executionsInFlight: config.lambda.executionsInFlight,
    markerRestartLimit: config.lambda.markerRestartLimit,
  };
  const source = stateInput
    ? stateSource({ ...reading, targets: stateInput.targets, inputName: stateInput.inputName })
    : request.executionArns
      ? givenExecutionsSource({
          ...reading,
          executionArns: request.executionArns,
          knownStatuses: options.knownStatuses,
        })
      : historySource({
          ...reading,
          functions: request.functions,
          startedAfter: request.startedAfter,
          startedBefore: request.startedBefore,
          statuses: request.statuses,
          recheck: request.recheck,
          onRechecked: options.onRechecked,
          onListed: options.onListed,
        });
  return {
    source,
    limiter,
    client,
    connection,
    stateInput,
    close: async () => {
      await limiter.stop();
      client.destroy();
      stateInput?.close();
    },
  };
}

/** The services a request touches: Lambda, and S3 for an `s3://` output or manifest. */
export function awsServicesOf(request: { out?: string; manifest?: string }): AwsService[] {
  const onS3 = [request.out, request.manifest].some((l) => l?.startsWith('s3://'));
  return onS3 ? ['lambda', 's3'] : ['lambda'];
}
