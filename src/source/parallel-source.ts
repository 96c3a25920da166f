import { pMapIterable } from 'p-map';
import { describeError, ExportError } from '../errors.js';
import type {
  ExecutionOutcome,
  ExecutionSource,
  ExportedExecution,
  FailedExecution,
  ReadExecutionsOptions,
  SourceName,
  SourceProgress,
} from './execution-source.js';

/** What makes a source: how it finds its executions and how it reads one. */
export interface ParallelSourceParts<T extends object> {
  readonly name: SourceName;
  /** Executions read at once; the limiter bounds the requests. */
  readonly executionsInFlight: number;
  /**
   * The executions to read, in order. Failures known without reading (a failed listing, a bad
   * input line) pass through as outcomes.
   */
  find(signal?: AbortSignal): AsyncIterable<T | FailedExecution>;
  /** The execution ARN of a found item. */
  arnOf(item: T): string;
  /** Its status as found (a listing gives it), for the export index lookup before reading. */
  statusOf?(item: T): string | undefined;
  /** Reads one execution; what it throws becomes that execution's failed outcome. */
  read(item: T, signal?: AbortSignal): Promise<ExportedExecution>;
  /** Names a read in its failure, `reading <what> failed: ...`; default the ARN. */
  describeRead?(executionArn: string): string;
}

/**
 * The skeleton of the history and state sources: finds the executions, counts them for progress
 * (those `skip` names too, committed by an earlier run of the job, which are not read), and reads several at once,
 * yielding outcomes as reads finish. Every execution ends in its own outcome: a failed read fails
 * that execution only.
 */
export function parallelSource<T extends object>(parts: ParallelSourceParts<T>): ExecutionSource {
  const progress: SourceProgress = { listed: 0, listingComplete: false };
  return {
    name: parts.name,
    progress,
    executions: (signal, options) => readAll(parts, progress, signal, options),
  };
}

async function* readAll<T extends object>(
  parts: ParallelSourceParts<T>,
  progress: SourceProgress,
  signal: AbortSignal | undefined,
  options: ReadExecutionsOptions | undefined,
): AsyncGenerator<ExecutionOutcome> {
  yield* pMapIterable(
    counted(parts, progress, signal, options?.skip),
    (item): Promise<ExecutionOutcome> | ExecutionOutcome =>
      isFailure(item) ? item : readOne(parts, item, signal, options?.exportedBy),
    { concurrency: parts.executionsInFlight, preserveOrder: false },
  );
}

async function* counted<T extends object>(
  parts: ParallelSourceParts<T>,
  progress: SourceProgress,
  signal: AbortSignal | undefined,
  skip: ((executionArn: string) => boolean) | undefined,
): AsyncGenerator<T | FailedExecution> {
  for await (const item of parts.find(signal)) {
    if (!isFailure(item)) {
      // Counted as found even when skipped: listed = exported + skipped + failed.
      progress.listed++;
      if (skip?.(parts.arnOf(item))) continue;
    }
    yield item;
  }
  progress.listingComplete = true;
}

async function readOne<T extends object>(
  parts: ParallelSourceParts<T>,
  item: T,
  signal: AbortSignal | undefined,
  exportedBy: ReadExecutionsOptions['exportedBy'],
): Promise<ExecutionOutcome> {
  const executionArn = parts.arnOf(item);
  try {
    // Before any read: an execution another run exported in this (terminal) status costs one GET.
    const status = parts.statusOf?.(item);
    const by =
      exportedBy && status !== undefined ? await exportedBy(executionArn, status, signal) : undefined;
    if (by !== undefined) return { kind: 'skipped', executionArn, exportedBy: by };
    return await parts.read(item, signal);
  } catch (error) {
    const what = parts.describeRead?.(executionArn) ?? executionArn;
    return {
      kind: 'failed',
      subject: executionArn,
      error: sourceError(error, `reading ${what}`, { executionArn }),
    };
  }
}

function isFailure(item: object): item is FailedExecution {
  return (item as Partial<FailedExecution>).kind === 'failed';
}

/**
 * What a source reports for a failed listing or read: an `ExportError` as it is (it already names
 * its context), anything else wrapped with `doing` ("reading <ARN>"), the context and the cause.
 */
export function sourceError(
  error: unknown,
  doing: string,
  context: { executionArn?: string; functionName?: string },
): ExportError {
  if (error instanceof ExportError) return error;
  return new ExportError(
    `${doing} failed: ${describeError(error)}`,
    { stage: 'source', ...context },
    { cause: error },
  );
}
