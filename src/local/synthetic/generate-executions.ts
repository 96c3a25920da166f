/**
 * Synthetic durable executions, deterministic for a seed, shaped like what the AWS durable JS SDK
 * checkpoints (docs/DURABLE-API.md §3.3, §4): a random "program" per execution (`workflow-plan.ts`)
 * runs on a simulated clock (`run-plan.ts`), which writes the history events and, separately, the
 * generator's own model of every operation; `expectedOperations` comes from that model, never from
 * the events.
 *
 * EVENTS → OPERATION FIELDS (the fold that reproduces `expectedOperations` from history):
 * - Every event with an `Id` belongs to the operation with that Id; `InvocationCompleted` has no Id and
 *   is skipped. One operation per distinct Id, ordered by its first EventId.
 * - Id, ParentId, Name, SubType: copied from the events (all events of an operation carry the same
 *   values; absent ones stay absent; the EXECUTION operation has none of ParentId, Name, SubType).
 * - Type: the EventType prefix: Execution→EXECUTION, Context→CONTEXT, Step→STEP, Wait→WAIT,
 *   Callback→CALLBACK, ChainedInvoke→CHAINED_INVOKE.
 * - Status: the suffix of the operation's LAST event: Started→STARTED, Succeeded→SUCCEEDED,
 *   Failed→FAILED, TimedOut→TIMED_OUT, Stopped→STOPPED, Cancelled→CANCELLED. Exception: a StepFailed or
 *   StepSucceeded whose RetryDetails has NextAttemptDelaySeconds is a scheduled retry (Step) or poll
 *   (WaitForCondition), not an end: Status PENDING.
 * - StartTimestamp: EventTimestamp of the FIRST start event (a retried step has one StepStarted per attempt).
 * - EndTimestamp: EventTimestamp of the ending event (never of a PENDING retry/poll event); absent while open.
 * - The type's details member is always present, possibly `{}`:
 *   ExecutionDetails.InputPayload = ExecutionStartedDetails.Input.Payload.
 *   ContextDetails.Result = ContextSucceededDetails.Result.Payload; .Error = ContextFailedDetails.Error.Payload;
 *     .ReplayChildren (only when true): no modelled event carries it. The stored events hold it as a local
 *     extension `ContextSucceededDetails.ReplayChildren: true`, which the local service reads for the state
 *     view and strips from history responses, so a history fold through the SDK cannot recover it.
 *   StepDetails.Attempt = RetryDetails.CurrentAttempt of the last StepSucceeded/StepFailed, or the number of
 *     StepStarted events when an attempt started after it (the two agree: attempt k's events say k).
 *     .NextAttemptTimestamp = EventTimestamp + NextAttemptDelaySeconds of the latest event that had a delay
 *     (kept after later attempts). .Result/.Error come from the latest StepSucceeded/StepFailed only: a
 *     StepSucceeded sets Result (absent when its Result has no Payload) and clears Error; a StepFailed sets
 *     Error and clears Result.
 *   WaitDetails.ScheduledEndTimestamp = WaitStartedDetails.ScheduledEndTimestamp.
 *   CallbackDetails.CallbackId = CallbackStartedDetails.CallbackId; .Result = CallbackSucceededDetails.Result.Payload;
 *     .Error = CallbackFailedDetails/CallbackTimedOutDetails .Error.Payload.
 *   ChainedInvokeDetails.Result = ChainedInvokeSucceededDetails.Result.Payload;
 *     .Error = ChainedInvokeFailed/TimedOut/StoppedDetails .Error.Payload.
 * - Beyond the Operation shape (`expectedHistoryColumns`, from the model too): a chained invoke's
 *   ChainedInvokeStartedDetails.DurableExecutionArn (an execution of the data set where one fits, see
 *   chained-executions.ts), FunctionName, ExecutedVersion, TenantId (some); a callback's Timeout and
 *   HeartbeatTimeout (some; callbacks that miss a heartbeat time out after it); a wait's Duration; the
 *   Error of a WaitCancelled. Rare outcomes come from a PRNG of their own (rare-outcomes.ts).
 * - Payloads: history wraps them as { Payload, Truncated }; payloads over 32 KiB are cut to 32 KiB with
 *   Truncated: true, while expectedOperations and GetDurableExecution hold the full text (the stored wrapper
 *   keeps it in the local `FullPayload` extension, which the state view serves and history strips).
 * - Timestamps: epoch seconds with millisecond precision everywhere.
 * Operations still open when an execution ends (TIMED_OUT, STOPPED) keep their last status; a WAIT
 * pending when an execution is STOPPED gets WaitCancelled with an error (a modelling choice, not verified
 * on AWS).
 */
import type { StoredExecution } from '../service/stored-execution.js';
import { type ExecutionHead, linkChildExecutions } from './chained-executions.js';
import { applyFate, pickFate } from './execution-fate.js';
import { executionIdentity, executionRecord } from './execution-record.js';
import { expectedHistoryColumns, expectedOperations, type HistoryColumns } from './expected-operations.js';
import { randomPayload } from './payloads.js';
import { createPrng, deriveSeed, type Prng } from './prng.js';
import { varyOutcomes } from './rare-outcomes.js';
import { simulateExecution } from './simulate-execution.js';
import { PlanGenerator } from './workflow-plan.js';

export interface SyntheticOptions {
  count: number;
  seed: number;
  /** Names, or unqualified function ARNs to place functions in other accounts and Regions; default ['order-processor', 'payment-handler', 'inventory-sync']. */
  functionNames?: string[];
  startFrom?: Date; // default 2026-01-01T00:00:00Z
  spanDays?: number; // default 3: start times spread over this many days
}

export interface SyntheticExecution extends StoredExecution {
  /** Ground truth: the operations as GetDurableExecutionState would return them WITHOUT pruning (the full tree), wire form (epoch seconds), built from the generator's own model — NOT by folding the events. */
  expectedOperations: Record<string, unknown>[];
  /** Ground truth of what only history tells about each operation, by Id, from the generator's model. */
  expectedHistoryColumns: Record<string, HistoryColumns>;
  invocationCount: number;
}

const DEFAULT_FUNCTION_NAMES = ['order-processor', 'payment-handler', 'inventory-sync'];
const DAY_MS = 86_400_000;

/**
 * Generates `count` executions; the same options always give the same output. Every tenth execution
 * (index 0, 10, ...) runs a showcase program that uses all six operation types and all context sub-types.
 *
 * @example
 * const executions = generateSyntheticExecutions({ count: 200, seed: 42 });
 */
export function generateSyntheticExecutions(options: SyntheticOptions): SyntheticExecution[] {
  const { count, seed } = options;
  const functionNames = options.functionNames ?? DEFAULT_FUNCTION_NAMES;
  const startFrom = (options.startFrom ?? new Date('2026-01-01T00:00:00Z')).getTime();
  const spanDays = options.spanDays ?? 3;
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`count must be a non-negative integer, got ${count}`);
  if (functionNames.length === 0) throw new RangeError('functionNames must not be empty');
  if (Number.isNaN(startFrom)) throw new RangeError('startFrom is an invalid Date');
  if (!(spanDays > 0)) throw new RangeError(`spanDays must be positive, got ${spanDays}`);

  // First every execution's identity, start and fate, so that invokes can link to other executions.
  const prngs = Array.from({ length: count }, (_, index) =>
    createPrng(deriveSeed(seed, `execution-${index}`)),
  );
  const heads: ExecutionHead[] = prngs.map((prng, index) => ({
    identity: executionIdentity(prng, prng.pick(functionNames), index),
    startMs: startFrom + Math.floor(prng.next() * spanDays * DAY_MS),
    fate: pickFate(prng),
  }));
  const claimed = new Set<number>();
  const out: SyntheticExecution[] = [];
  for (let index = 0; index < count; index++) {
    const prng = prngs[index] as Prng;
    const { identity, startMs, fate } = heads[index] as ExecutionHead;
    const showcase = index % 10 === 0;
    const plan = new PlanGenerator(prng).generate(showcase);
    applyFate(plan, fate, prng);
    const extra = createPrng(deriveSeed(seed, `execution-${index}-extra`));
    varyOutcomes(plan, fate, extra, showcase ? { round: index / 10 } : undefined);
    linkChildExecutions(plan, index, heads, claimed, extra);
    const input = randomPayload(prng);
    const result = prng.chance(0.05) ? undefined : randomPayload(prng);
    const simulated = simulateExecution(plan, fate, prng, startMs, input, result);
    out.push({
      execution: executionRecord(prng, identity, simulated),
      events: simulated.events,
      expectedOperations: expectedOperations(simulated.operations),
      expectedHistoryColumns: expectedHistoryColumns(simulated.operations),
      invocationCount: simulated.invocationCount,
    });
  }
  return out;
}
