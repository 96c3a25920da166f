import type { LambdaClient } from '@aws-sdk/client-lambda';
import { completeExecutionDetail } from './complete-execution-detail.js';
import type {
  ExecutionDetail,
  ExecutionSource,
  ExecutionSummary,
  ExportedExecution,
  FailedExecution,
} from './execution-source.js';
import { type FoldedExecution, foldHistory } from './fold-history.js';
import { type ListedExecution, type ListFilter, listExecutionsOnce } from './list-executions.js';
import { parallelSource, sourceError } from './parallel-source.js';
import { readExecutionSummary } from './read-execution-summary.js';
import { readHistory } from './read-history.js';

export interface HistorySourceOptions extends ListFilter {
  client: LambdaClient;
  /** Function names or ARNs. */
  functions: string[];
  pageSize: number;
  /** Executions read at once; the limiter bounds the requests. */
  executionsInFlight: number;
  /** Re-reads of an execution from its first page after an expired marker. */
  markerRestartLimit: number;
  /**
   * Executions to check again before the listing (`--since-last-run`: RUNNING at the last run):
   * one `GetDurableExecution` each; those no longer RUNNING are read like listed ones.
   */
  recheck?: readonly string[];
  /** Called with each re-checked execution's status (failed checks become failed outcomes). */
  onRechecked?: (executionArn: string, status: string) => void;
  /** Called with each execution the listing finds, before it is skipped or read. */
  onListed?: (summary: ExecutionSummary) => void;
}

/**
 * The history source: `ListDurableExecutionsByFunction` for every function (an ARN listed twice is
 * read once; a failed listing becomes an outcome), then `GetDurableExecutionHistory` for each
 * execution (several at once), folded into operations of the `GetDurableExecutionState` shape.
 * Needs no checkpoint token and sees the full tree.
 */
export function historySource(options: HistorySourceOptions): ExecutionSource {
  return parallelSource<ListedExecution>({
    name: 'history',
    executionsInFlight: options.executionsInFlight,
    find: (signal) => findExecutions(options, signal),
    arnOf: (listed) => listed.summary.arn,
    statusOf: (listed) => listed.summary.status,
    read: (listed, signal) => readOne(options, listed, signal),
  });
}

/** The re-checked executions that changed, then the listing. */
async function* findExecutions(
  options: HistorySourceOptions,
  signal?: AbortSignal,
): AsyncGenerator<ListedExecution | FailedExecution> {
  for (const arn of options.recheck ?? []) {
    try {
      const { summary } = await readExecutionSummary(options.client, arn, signal);
      options.onRechecked?.(arn, summary.status);
      if (summary.status !== 'RUNNING') yield { summary, functionName: summary.functionArn };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      yield {
        kind: 'failed',
        subject: arn,
        error: sourceError(error, `re-checking ${arn}`, { executionArn: arn }),
      };
    }
  }
  const listing = listExecutionsOnce(options.client, options.functions, options, options.pageSize, signal);
  for await (const item of listing) {
    if (!('kind' in item)) options.onListed?.(item.summary);
    yield item;
  }
}

async function readOne(
  options: HistorySourceOptions,
  { summary }: ListedExecution,
  signal?: AbortSignal,
): Promise<ExportedExecution> {
  return readHistoryExecution(options, summary, signal);
}

/** How an execution's history is read: the client and the paging settings. */
export type HistoryReading = Pick<HistorySourceOptions, 'client' | 'pageSize' | 'markerRestartLimit'>;

/**
 * Reads one execution's history (every page), folds it, and completes the execution detail:
 * `detailOf` where the caller already knows more (`GetDurableExecution` read first), else
 * `completeExecutionDetail`.
 */
export async function readHistoryExecution(
  options: HistoryReading,
  summary: ExecutionSummary,
  signal?: AbortSignal,
  detailOf?: (folded: FoldedExecution) => ExecutionDetail,
): Promise<ExportedExecution> {
  const read = await readHistory(options.client, summary.arn, {
    pageSize: options.pageSize,
    restartLimit: options.markerRestartLimit,
    signal,
  });
  const folded = foldHistory(read.events);
  const detail = detailOf
    ? detailOf(folded)
    : await completeExecutionDetail(options.client, summary, folded, signal);
  return {
    kind: 'exported',
    source: 'history',
    summary,
    operations: folded.operations,
    truncatedOperationIds: folded.truncatedOperationIds,
    operationFacts: folded.operationFacts,
    invocationCount: folded.invocationCount,
    events: folded.events,
    detail,
    pages: read.pages,
    restarts: read.restarts,
    warnings: folded.warnings,
  };
}
