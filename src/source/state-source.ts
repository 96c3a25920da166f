import type { LambdaClient, Operation } from '@aws-sdk/client-lambda';
import { pMapIterable } from 'p-map';
import { describeError, ExportError } from '../errors.js';
import type {
  ExecutionOutcome,
  ExecutionSource,
  ReadExecutionsOptions,
  SourceProgress,
} from './execution-source.js';
import { prunedContexts } from './pruned-contexts.js';
import { readExecutionSummary } from './read-execution-summary.js';
import { readState, type StateTarget } from './read-state.js';

/** A line of the input that could not be used (bad JSON, missing field, malformed ARN or token). */
export interface InvalidInputLine {
  kind: 'invalid';
  /** 1-based line number. */
  line: number;
  reason: string;
}

export interface StateSourceOptions {
  client: LambdaClient;
  /** Executions with their checkpoint tokens; invalid input lines pass through and are reported. */
  targets: AsyncIterable<StateTarget | InvalidInputLine> | Iterable<StateTarget | InvalidInputLine>;
  /** Names the input in reports of invalid lines, e.g. the manifest path. */
  inputName?: string;
  /** `MaxItems` per page (1-1000). */
  pageSize: number;
  /** Executions read at once; the limiter bounds the requests. */
  executionsInFlight: number;
  /** Re-reads of an execution from its first page after an expired marker. */
  markerRestartLimit: number;
}

/**
 * No state API reports invocations (history counts InvocationCompleted events), so executions read
 * from state have `invocation_count` 0: unknown, not "never invoked".
 */
const INVOCATIONS_UNKNOWN = 0;

/**
 * The state source: for each (execution ARN, checkpoint token), every page of
 * `GetDurableExecutionState` (the replay view) and one `GetDurableExecution` for the execution row.
 * Rows say `source = 'state'`. Every execution ends in its own outcome: a rejected token, a KMS
 * error or exhausted retries fail that execution only. Executions whose view pruned contexts are
 * exported and flagged `complete: false` with their `contextsPruned` count.
 */
export function stateSource(options: StateSourceOptions): ExecutionSource {
  const progress: SourceProgress = { listed: 0, listingComplete: false };
  return {
    name: 'state',
    progress,
    executions: (signal, read) => readAll(options, progress, signal, read?.skip),
  };
}

async function* readAll(
  options: StateSourceOptions,
  progress: SourceProgress,
  signal?: AbortSignal,
  skip?: ReadExecutionsOptions['skip'],
): AsyncGenerator<ExecutionOutcome> {
  yield* pMapIterable(
    counted(options.targets, progress, skip),
    (item): Promise<ExecutionOutcome> | ExecutionOutcome =>
      'kind' in item ? invalidLine(item, options.inputName ?? 'input') : readOne(options, item, signal),
    { concurrency: options.executionsInFlight, preserveOrder: false },
  );
}

/** The targets, counted for progress, without those `skip` names (committed by an earlier run of the job). */
async function* counted(
  targets: StateSourceOptions['targets'],
  progress: SourceProgress,
  skip?: ReadExecutionsOptions['skip'],
): AsyncGenerator<StateTarget | InvalidInputLine> {
  for await (const item of targets) {
    if (!('kind' in item)) {
      if (skip?.(item.executionArn)) continue;
      progress.listed++;
    }
    yield item;
  }
  progress.listingComplete = true;
}

function invalidLine(item: InvalidInputLine, inputName: string): ExecutionOutcome {
  return {
    kind: 'failed',
    subject: `${inputName}:${item.line}`,
    inputLine: item.line,
    error: new ExportError(`line ${item.line} of ${inputName} skipped: ${item.reason}`, {
      stage: 'source',
      file: inputName,
    }),
  };
}

async function readOne(
  options: StateSourceOptions,
  target: StateTarget,
  signal?: AbortSignal,
): Promise<ExecutionOutcome> {
  const executionArn = target.executionArn;
  try {
    const state = await readState(options.client, target, {
      pageSize: options.pageSize,
      restartLimit: options.markerRestartLimit,
      ...(signal ? { signal } : {}),
    });
    const { summary, detail } = await readExecutionSummary(options.client, executionArn, signal);
    const { operations, warnings } = firstOfEachId(state.operations);
    const contextsPruned = prunedContexts(operations).length;
    return {
      kind: 'exported',
      source: 'state',
      summary,
      operations,
      truncatedOperationIds: new Set(),
      invocationCount: INVOCATIONS_UNKNOWN,
      detail,
      pages: state.pages,
      restarts: state.restarts,
      warnings,
      contextsPruned,
      complete: contextsPruned === 0,
    };
  } catch (error) {
    const exportError =
      error instanceof ExportError
        ? error
        : new ExportError(
            `reading state of ${executionArn} failed: ${describeError(error)}`,
            { stage: 'source', executionArn },
            { cause: error },
          );
    return { kind: 'failed', subject: executionArn, error: exportError };
  }
}

/** The operations with each Id once (the first one kept), so a repeated item never doubles a row. */
function firstOfEachId(all: Operation[]): { operations: Operation[]; warnings: string[] } {
  const seen = new Set<string>();
  const operations: Operation[] = [];
  const warnings: string[] = [];
  for (const op of all) {
    const id = op.Id;
    if (id === undefined) {
      operations.push(op); // the transform names the missing Id
      continue;
    }
    if (seen.has(id)) {
      warnings.push(`operation ${id} returned twice by GetDurableExecutionState; the first kept`);
      continue;
    }
    seen.add(id);
    operations.push(op);
  }
  return { operations, warnings };
}
