/**
 * The replay view `GetDurableExecutionState` serves, derived from stored history:
 * 1. `foldHistory` folds the events into `Operation` records (wire form), one per event `Id`, ordered by
 *    their first EventId (start sequence). The mapping is the one written down in
 *    `../synthetic/generate-executions.ts`; the synthetic tests check the two agree.
 *    Payloads history cut short are served whole (the local `FullPayload` extension), as the state API does.
 * 2. `replayView` drops the children of every completed CONTEXT, recursively, unless that context's
 *    `ContextDetails.ReplayChildren` is true.
 * Unknown event types are skipped, never fatal.
 */
import {
  epochSecondsToMs,
  FULL_PAYLOAD_MEMBER,
  msToEpochSeconds,
  REPLAY_CHILDREN_MEMBER,
} from './stored-execution.js';

type Json = Record<string, unknown>;

const TYPE_BY_PREFIX: ReadonlyArray<readonly [string, string, string]> = [
  ['ChainedInvoke', 'CHAINED_INVOKE', 'ChainedInvokeDetails'],
  ['Execution', 'EXECUTION', 'ExecutionDetails'],
  ['Context', 'CONTEXT', 'ContextDetails'],
  ['Callback', 'CALLBACK', 'CallbackDetails'],
  ['Step', 'STEP', 'StepDetails'],
  ['Wait', 'WAIT', 'WaitDetails'],
];

const STATUS_BY_SUFFIX: Readonly<Record<string, string>> = {
  Started: 'STARTED',
  Succeeded: 'SUCCEEDED',
  Failed: 'FAILED',
  TimedOut: 'TIMED_OUT',
  Stopped: 'STOPPED',
  Cancelled: 'CANCELLED',
};

const OPEN_STATUSES = new Set(['STARTED', 'PENDING', 'READY']);

interface Building {
  op: Json;
  detailsMember: string;
  details: Json;
  starts: number;
  /** Succeeded/Failed events of a STEP: its checkpointed attempts. */
  outcomes: number;
}

function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null ? (value as Json) : {};
}

function setOrDelete(target: Json, key: string, value: unknown): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

/** A wrapper's payload: the full text when history cut it (local `FullPayload` extension), as state serves it. */
function payloadOf(wrapper: unknown): unknown {
  const w = obj(wrapper);
  return w[FULL_PAYLOAD_MEMBER] ?? w.Payload;
}

function applyEvent(b: Building, suffix: string, event: Json): void {
  const ts = event.EventTimestamp as number;
  const d = obj(event[`${event.EventType as string}Details`]);
  const { op, details } = b;
  const type = op.Type as string;
  op.Status = STATUS_BY_SUFFIX[suffix];
  if (suffix === 'Started') {
    b.starts++;
    if (op.StartTimestamp === undefined) op.StartTimestamp = ts;
    if (type === 'EXECUTION') setOrDelete(details, 'InputPayload', payloadOf(d.Input));
    if (type === 'WAIT') setOrDelete(details, 'ScheduledEndTimestamp', d.ScheduledEndTimestamp);
    if (type === 'CALLBACK') setOrDelete(details, 'CallbackId', d.CallbackId);
    if (type === 'STEP') details.Attempt = b.starts;
    return;
  }
  const payloadKey = suffix === 'Succeeded' ? 'Result' : 'Error';
  const payload = payloadOf(d[payloadKey]);
  if (type === 'STEP') {
    const retry = obj(d.RetryDetails);
    // Attempts the service has checkpointed: one Succeeded/Failed event each. CurrentAttempt alone
    // lags in AWS's emulator (1, 1, 2 for three attempts), so take the larger of the two.
    b.outcomes++;
    const current = typeof retry.CurrentAttempt === 'number' ? retry.CurrentAttempt : 0;
    details.Attempt = Math.max(b.outcomes, current);
    delete details.Result;
    delete details.Error;
    setOrDelete(details, payloadKey, payload);
    if (typeof retry.NextAttemptDelaySeconds === 'number') {
      op.Status = 'PENDING'; // a scheduled retry, or a waitForCondition poll
      details.NextAttemptTimestamp = msToEpochSeconds(
        epochSecondsToMs(ts) + retry.NextAttemptDelaySeconds * 1000,
      );
      return;
    }
  } else if (type === 'CONTEXT' || type === 'CALLBACK' || type === 'CHAINED_INVOKE') {
    setOrDelete(details, payloadKey, payload);
    if (type === 'CONTEXT' && d[REPLAY_CHILDREN_MEMBER] === true) details.ReplayChildren = true;
  }
  op.EndTimestamp = ts;
}

/** Folds history events into `Operation` records (wire form, full tree), ordered by first EventId. */
export function foldHistory(events: readonly Json[]): Json[] {
  const building = new Map<string, Building>();
  for (const event of events) {
    const id = event.Id;
    const eventType = event.EventType;
    if (typeof id !== 'string' || typeof eventType !== 'string') continue; // InvocationCompleted has no Id
    const entry = TYPE_BY_PREFIX.find(([prefix]) => eventType.startsWith(prefix));
    const suffix = entry ? eventType.slice(entry[0].length) : '';
    if (!entry || STATUS_BY_SUFFIX[suffix] === undefined) continue;
    let b = building.get(id);
    if (!b) {
      const op: Json = { Id: id };
      for (const key of ['ParentId', 'Name'] as const)
        if (typeof event[key] === 'string') op[key] = event[key];
      op.Type = entry[1];
      if (typeof event.SubType === 'string') op.SubType = event.SubType;
      b = { op, detailsMember: entry[2], details: {}, starts: 0, outcomes: 0 };
      building.set(id, b);
    }
    applyEvent(b, suffix, event);
  }
  return [...building.values()].map((b) => {
    // An operation whose start event is missing (a cut history) has no StartTimestamp; nothing is invented.
    return { ...b.op, [b.detailsMember]: b.details };
  });
}

/** Drops the descendants of every completed CONTEXT whose `ContextDetails.ReplayChildren` is not true. */
export function replayView(operations: readonly Json[]): Json[] {
  const byId = new Map(operations.map((op) => [op.Id as string, op]));
  const hidden = new Set<string>();
  const prunes = (op: Json): boolean =>
    op.Type === 'CONTEXT' &&
    !OPEN_STATUSES.has(op.Status as string) &&
    obj(op.ContextDetails).ReplayChildren !== true;
  // Parents start before their children, so one pass in start order sees every parent first.
  for (const op of operations) {
    const parentId = op.ParentId as string | undefined;
    const parent = parentId === undefined ? undefined : byId.get(parentId);
    if (parent && (hidden.has(parentId as string) || prunes(parent))) hidden.add(op.Id as string);
  }
  return operations.filter((op) => !hidden.has(op.Id as string));
}
