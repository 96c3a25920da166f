import type { LambdaClient } from '@aws-sdk/client-lambda';
import { completeExecutionDetail } from './complete-execution-detail.js';
import type {
  ExecutionDetail,
  ExecutionSource,
  ExecutionSummary,
  ExportedExecution,
} from './execution-source.js';
import { type FoldedExecution, foldHistory } from './fold-history.js';
import { type ListedExecution, type ListFilter, listExecutionsOnce } from './list-executions.js';
import { parallelSource } from './parallel-source.js';
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
    find: (signal) =>
      listExecutionsOnce(options.client, options.functions, options, options.pageSize, signal),
    arnOf: (listed) => listed.summary.arn,
    read: (listed, signal) => readOne(options, listed, signal),
  });
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
