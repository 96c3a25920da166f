import type { LambdaClient } from '@aws-sdk/client-lambda';
import { detailCompletedBy } from './complete-execution-detail.js';
import type { ExecutionSource, ExportedExecution } from './execution-source.js';
import { readHistoryExecution } from './history-source.js';
import { parallelSource } from './parallel-source.js';
import { readExecutionSummary } from './read-execution-summary.js';

export interface GivenExecutionsSourceOptions {
  client: LambdaClient;
  /** Durable execution ARNs (`export.executionArns`); one given twice is read once. */
  executionArns: readonly string[];
  pageSize: number;
  /** Executions read at once; the limiter bounds the requests. */
  executionsInFlight: number;
  /** Re-reads of an execution from its first page after an expired marker. */
  markerRestartLimit: number;
  /**
   * The terminal status of executions known before reading (from their status-change events): the
   * export index is asked about those first, so one already exported costs no request.
   */
  knownStatuses?: ReadonlyMap<string, string>;
}

/**
 * The history source for executions named by ARN instead of listed (the events handler's batch,
 * `--execution-arn`): for each, one `GetDurableExecution` (with `IncludeExecutionData`: the summary
 * a listing would give, the full input, result and error, and the settings), then
 * `GetDurableExecutionHistory`, folded as the listing history source folds it. Rows say
 * `source = 'history'`. Every execution ends in its own outcome: an unknown ARN or a failing read
 * fails that execution only.
 */
export function givenExecutionsSource(options: GivenExecutionsSourceOptions): ExecutionSource {
  return parallelSource<{ executionArn: string }>({
    name: 'history',
    executionsInFlight: options.executionsInFlight,
    find: () => eachOnce(options.executionArns),
    arnOf: (given) => given.executionArn,
    statusOf: (given) => options.knownStatuses?.get(given.executionArn),
    read: (given, signal) => readOne(options, given.executionArn, signal),
  });
}

async function* eachOnce(executionArns: readonly string[]): AsyncGenerator<{ executionArn: string }> {
  for (const executionArn of new Set(executionArns)) yield { executionArn };
}

async function readOne(
  options: GivenExecutionsSourceOptions,
  executionArn: string,
  signal?: AbortSignal,
): Promise<ExportedExecution> {
  const described = await readExecutionSummary(options.client, executionArn, signal);
  return readHistoryExecution(options, described.summary, signal, (folded) =>
    detailCompletedBy(folded, described.detail, true),
  );
}
