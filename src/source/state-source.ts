import type { LambdaClient, Operation } from '@aws-sdk/client-lambda';
import { ExportError } from '../errors.js';
import type { ExecutionSource, ExportedExecution, FailedExecution } from './execution-source.js';
import { parallelSource } from './parallel-source.js';
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
 * from state have `invocation_count` NULL: unknown, not "never invoked".
 */
const INVOCATIONS_UNKNOWN = null;

/**
 * The state source: for each (execution ARN, checkpoint token), every page of
 * `GetDurableExecutionState` (the replay view) and one `GetDurableExecution` for the execution row.
 * Rows say `source = 'state'`. Every execution ends in its own outcome: a rejected token, a KMS
 * error or exhausted retries fail that execution only. Executions whose view pruned contexts are
 * exported and flagged `complete: false` with their `contextsPruned` count.
 */
export function stateSource(options: StateSourceOptions): ExecutionSource {
  const inputName = options.inputName ?? 'input';
  return parallelSource<StateTarget>({
    name: 'state',
    executionsInFlight: options.executionsInFlight,
    find: () => withInvalidLinesFailed(options.targets, inputName),
    arnOf: (target) => target.executionArn,
    read: (target, signal) => readOne(options, target, signal),
    describeRead: (executionArn) => `state of ${executionArn}`,
  });
}

/** The targets, each invalid line of the input as its failed outcome. */
async function* withInvalidLinesFailed(
  targets: StateSourceOptions['targets'],
  inputName: string,
): AsyncGenerator<StateTarget | FailedExecution> {
  for await (const item of targets) yield 'kind' in item ? invalidLine(item, inputName) : item;
}

function invalidLine(item: InvalidInputLine, inputName: string): FailedExecution {
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
): Promise<ExportedExecution> {
  const state = await readState(options.client, target, {
    pageSize: options.pageSize,
    restartLimit: options.markerRestartLimit,
    signal,
  });
  const { summary, detail } = await readExecutionSummary(options.client, target.executionArn, signal);
  const { operations, warnings } = firstOfEachId(state.operations);
  const contextsPruned = prunedContexts(operations).length;
  return {
    kind: 'exported',
    source: 'state',
    summary,
    operations,
    truncatedOperationIds: new Set(),
    invocationCount: INVOCATIONS_UNKNOWN,
    events: [], // no state API returns history events: no `events` or `invocations` rows
    detail,
    pages: state.pages,
    restarts: state.restarts,
    warnings,
    contextsPruned,
    complete: contextsPruned === 0,
  };
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
