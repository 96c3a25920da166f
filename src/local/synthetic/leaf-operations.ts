/**
 * The leaf calls of a plan (step, wait, callback, chained invoke) played on a timeline: each writes its
 * history events and keeps its `ModelOperation` up to date, suspending the invocation where the JS SDK
 * would (a retry delay, a wait, a pending callback or invoke).
 */
import { type ErrorObject, functionArn, type ModelOperation, seconds, VERSION } from './model.js';
import { errorObject, jsonOfSize, randomPayload } from './payloads.js';
import type { CallbackNode, InvokeNode, StepNode, WaitNode } from './plan-nodes.js';
import type { Prng } from './prng.js';
import type { Timeline } from './timeline.js';

/** A failure travelling up the plan; `fatal` ones are never caught and fail the execution. */
export class Failure {
  constructor(
    readonly error: ErrorObject,
    readonly fatal: boolean,
  ) {}
}

/** The execution stops at `op` (it stays open); nothing after it runs. */
export class Halt {
  constructor(readonly op: ModelOperation) {}
}

/** A step (or waitForCondition): one StepStarted per attempt; retries and polls suspend until due. */
export function runStep(t: Timeline, prng: Prng, node: StepNode, op: ModelOperation): string | undefined {
  for (let attempt = 1; ; attempt++) {
    t.emit(op, 'StepStarted', {});
    op.status = 'STARTED';
    op.attempt = attempt;
    t.tick(3, 1500); // the attempt's user code runs
    if (attempt <= node.retries) {
      const delay =
        node.subType === 'Step'
          ? Math.min(2 ** (attempt - 1) * prng.int(1, 3), 60)
          : prng.pick([5, 10, 30, 60]);
      const RetryDetails = { CurrentAttempt: attempt, NextAttemptDelaySeconds: delay };
      if (node.subType === 'Step') {
        op.error = errorObject(prng, node.name);
        op.result = undefined;
        op.nextAttemptMs =
          t.emit(op, 'StepFailed', { Error: t.wrapError(op.error), RetryDetails }) + delay * 1000;
      } else {
        op.result = jsonOfSize(prng, prng.int(20, 200)); // the condition's state so far
        op.error = undefined;
        op.nextAttemptMs =
          t.emit(op, 'StepSucceeded', { Result: t.wrap(op.result), RetryDetails }) + delay * 1000;
      }
      op.status = 'PENDING';
      t.suspend();
      if (node.halt) throw new Halt(op);
      t.advanceTo(op.nextAttemptMs);
      t.resume();
      continue;
    }
    const RetryDetails = { CurrentAttempt: attempt };
    if (node.outcome === 'succeed') {
      op.result = node.subType === 'Step' && prng.chance(0.1) ? undefined : randomPayload(prng);
      op.error = undefined;
      op.endMs = t.emit(op, 'StepSucceeded', { Result: t.wrap(op.result), RetryDetails });
      op.status = 'SUCCEEDED';
      return op.result;
    }
    op.error = errorObject(prng, node.name);
    op.result = undefined;
    op.endMs = t.emit(op, 'StepFailed', { Error: t.wrapError(op.error), RetryDetails });
    op.status = 'FAILED';
    throw new Failure(op.error, node.fatal === true);
  }
}

/** A wait: WaitStarted, the invocation suspends, WaitSucceeded at the scheduled end. */
export function runWait(t: Timeline, node: WaitNode, op: ModelOperation): undefined {
  op.waitSeconds = node.seconds;
  op.scheduledEndMs = t.now + node.seconds * 1000;
  t.emit(op, 'WaitStarted', { Duration: node.seconds, ScheduledEndTimestamp: seconds(op.scheduledEndMs) });
  t.suspend();
  if (node.halt) throw new Halt(op);
  t.advanceTo(op.scheduledEndMs);
  t.tick(1, 900);
  op.endMs = t.emit(op, 'WaitSucceeded', { Duration: node.seconds });
  op.status = 'SUCCEEDED';
  t.resume();
  return undefined;
}

/**
 * CallbackStarted with a fresh CallbackId, its timeout and, for some, a heartbeat timeout (always
 * when the callback is to miss a heartbeat); returns the callback's timeout in seconds.
 */
export function startCallback(t: Timeline, prng: Prng, node: CallbackNode, op: ModelOperation): number {
  const timeout = prng.pick([300, 900, 3600]);
  op.callbackId = Buffer.from(prng.hex(48), 'hex').toString('base64');
  op.callbackTimeoutSeconds = timeout;
  const details: Record<string, unknown> = { CallbackId: op.callbackId, Timeout: timeout };
  if (prng.chance(0.3) || node.heartbeatMissed) {
    op.callbackHeartbeatTimeoutSeconds = HEARTBEAT_TIMEOUT_SECONDS;
    details.HeartbeatTimeout = HEARTBEAT_TIMEOUT_SECONDS;
  }
  t.emit(op, 'CallbackStarted', details);
  return timeout;
}

const HEARTBEAT_TIMEOUT_SECONDS = 60;

/** The error of a callback that timed out: its timeout passed, or a heartbeat did not come in time. */
function callbackTimeoutError(node: CallbackNode, timeout: number): ErrorObject {
  return node.heartbeatMissed
    ? {
        ErrorType: 'CallbackTimeoutError',
        ErrorMessage: `Callback heartbeat not received within ${HEARTBEAT_TIMEOUT_SECONDS} seconds`,
      }
    : { ErrorType: 'CallbackTimeoutError', ErrorMessage: `Callback timed out after ${timeout} seconds` };
}

/** The invocation suspends until the callback succeeds, fails or times out. */
export function finishCallback(
  t: Timeline,
  prng: Prng,
  node: CallbackNode,
  op: ModelOperation,
  timeout: number,
): string | undefined {
  t.suspend();
  if (node.halt) throw new Halt(op);
  if (node.outcome === 'timeout') {
    const after = node.heartbeatMissed ? HEARTBEAT_TIMEOUT_SECONDS * prng.int(2, 5) : timeout;
    t.advanceTo(op.startMs + after * 1000);
    op.error = callbackTimeoutError(node, timeout);
    op.endMs = t.emit(op, 'CallbackTimedOut', { Error: t.wrapError(op.error) });
    op.status = 'TIMED_OUT';
  } else {
    t.advanceTo(t.now + prng.int(2000, timeout * 900));
    if (node.outcome === 'succeed') {
      op.result = randomPayload(prng);
      op.endMs = t.emit(op, 'CallbackSucceeded', { Result: t.wrap(op.result) });
      op.status = 'SUCCEEDED';
    } else {
      op.error = errorObject(prng, 'callback');
      op.endMs = t.emit(op, 'CallbackFailed', { Error: t.wrapError(op.error) });
      op.status = 'FAILED';
    }
  }
  t.resume();
  if (op.error) throw new Failure(op.error, node.fatal === true);
  return op.result;
}

/** How a chained invoke ends, by the outcome of the execution it started. */
const INVOKE_ENDS = {
  fail: { event: 'ChainedInvokeFailed', status: 'FAILED' },
  timeout: { event: 'ChainedInvokeTimedOut', status: 'TIMED_OUT' },
  stopped: { event: 'ChainedInvokeStopped', status: 'STOPPED' },
} as const;

/** The error a chained invoke records when the execution it started did not succeed. */
function invokeError(prng: Prng, node: InvokeNode): ErrorObject {
  if (node.outcome === 'timeout') {
    return { ErrorType: 'ExecutionTimeout', ErrorMessage: `${node.functionName} timed out` };
  }
  if (node.outcome === 'stopped') {
    return { ErrorType: 'ExecutionStopped', ErrorMessage: `${node.functionName} was stopped` };
  }
  return errorObject(prng, node.functionName);
}

/**
 * A chained invoke: ChainedInvokeStarted (the function, the execution it started, the version that
 * ran, a tenant for some), the invocation suspends until that execution ends, then
 * ChainedInvokeSucceeded, Failed, TimedOut or Stopped.
 */
export function runInvoke(t: Timeline, prng: Prng, node: InvokeNode, op: ModelOperation): string | undefined {
  const Input = t.wrap(randomPayload(prng));
  op.childFunctionName = functionArn(node.functionName);
  op.childExecutionArn = node.childExecutionArn;
  op.childVersion = node.childExecutionArn === undefined ? undefined : VERSION;
  op.tenantId = node.tenantId;
  const started: Record<string, unknown> = { FunctionName: op.childFunctionName, Input };
  if (op.childExecutionArn !== undefined) started.DurableExecutionArn = op.childExecutionArn;
  if (op.childVersion !== undefined) started.ExecutedVersion = op.childVersion;
  if (op.tenantId !== undefined) started.TenantId = op.tenantId;
  t.emit(op, 'ChainedInvokeStarted', started);
  t.suspend();
  if (node.halt) throw new Halt(op);
  t.advanceTo(t.now + prng.int(500, 600_000));
  if (node.outcome === 'succeed') {
    op.result = randomPayload(prng);
    op.endMs = t.emit(op, 'ChainedInvokeSucceeded', { Result: t.wrap(op.result) });
    op.status = 'SUCCEEDED';
  } else {
    const end = INVOKE_ENDS[node.outcome];
    op.error = invokeError(prng, node);
    op.endMs = t.emit(op, end.event, { Error: t.wrapError(op.error) });
    op.status = end.status;
  }
  t.resume();
  if (op.error) throw new Failure(op.error, node.fatal === true);
  return op.result;
}
