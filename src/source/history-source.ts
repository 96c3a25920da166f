import type { LambdaClient } from '@aws-sdk/client-lambda';
import { pMapIterable } from 'p-map';
import { describeError, ExportError } from '../errors.js';
import type {
  ExecutionOutcome,
  ExecutionSource,
  ExecutionSummary,
  ReadExecutionsOptions,
  SourceProgress,
} from './execution-source.js';
import { foldHistory } from './fold-history.js';
import { type ListFilter, listExecutions } from './list-executions.js';
import { readHistory } from './read-history.js';
import { recoverExecutionPayloads } from './recover-execution-payloads.js';

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
 * The history source: `ListDurableExecutionsByFunction` for every function, then
 * `GetDurableExecutionHistory` for each execution (several at once), folded into operations of
 * the `GetDurableExecutionState` shape. Needs no checkpoint token and sees the full tree.
 */
export function historySource(options: HistorySourceOptions): ExecutionSource {
  const progress: SourceProgress = { listed: 0, listingComplete: false };
  return {
    name: 'history',
    progress,
    executions: (signal, read) => readAll(options, progress, signal, read?.skip),
  };
}

async function* readAll(
  options: HistorySourceOptions,
  progress: SourceProgress,
  signal?: AbortSignal,
  skip?: ReadExecutionsOptions['skip'],
): AsyncGenerator<ExecutionOutcome> {
  const listed = listAll(options, progress, signal, skip);
  yield* pMapIterable(
    listed,
    (item): Promise<ExecutionOutcome> | ExecutionOutcome =>
      'kind' in item ? item : readOne(options, item, signal),
    { concurrency: options.executionsInFlight, preserveOrder: false },
  );
}

/**
 * Every listed execution once (an ARN listed twice is read once), except those `skip` names
 * (committed by an earlier run of the job); a failed listing becomes an outcome.
 */
async function* listAll(
  options: HistorySourceOptions,
  progress: SourceProgress,
  signal?: AbortSignal,
  skip?: ReadExecutionsOptions['skip'],
): AsyncGenerator<ExecutionSummary | ExecutionOutcome> {
  const seen = new Set<string>();
  for (const fn of options.functions) {
    try {
      for await (const summary of listExecutions(options.client, fn, options, options.pageSize, signal)) {
        if (seen.has(summary.arn)) continue;
        seen.add(summary.arn);
        if (skip?.(summary.arn)) continue;
        progress.listed++;
        yield summary;
      }
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      yield { kind: 'failed', subject: fn, error: asExportError(error, { functionName: fn }) };
    }
  }
  progress.listingComplete = true;
}

async function readOne(
  options: HistorySourceOptions,
  summary: ExecutionSummary,
  signal?: AbortSignal,
): Promise<ExecutionOutcome> {
  try {
    const read = await readHistory(options.client, summary.arn, {
      pageSize: options.pageSize,
      restartLimit: options.markerRestartLimit,
      ...(signal ? { signal } : {}),
    });
    const folded = foldHistory(read.events);
    await recoverExecutionPayloads(options.client, summary.arn, folded, signal);
    const { inputPayload, result, error } = folded.execution;
    return {
      kind: 'exported',
      source: 'history',
      summary,
      operations: folded.operations,
      truncatedOperationIds: folded.truncatedOperationIds,
      invocationCount: folded.invocationCount,
      detail: {
        ...(inputPayload !== undefined ? { inputPayload } : {}),
        ...(result !== undefined ? { result } : {}),
        ...(error !== undefined ? { error } : {}),
      },
      pages: read.pages,
      restarts: read.restarts,
      warnings: folded.warnings,
    };
  } catch (error) {
    return {
      kind: 'failed',
      subject: summary.arn,
      error: asExportError(error, { executionArn: summary.arn }),
    };
  }
}

function asExportError(
  error: unknown,
  context: { executionArn?: string; functionName?: string },
): ExportError {
  if (error instanceof ExportError) return error;
  const subject = context.executionArn ?? context.functionName ?? 'unknown';
  return new ExportError(
    `reading ${subject} failed: ${describeError(error)}`,
    {
      stage: 'source',
      ...context,
    },
    { cause: error },
  );
}
