import type { Event } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { foldHistory } from '../src/source/fold-history.js';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000);
/** An event; `details` goes to `<EventType>Details`. */
function ev(EventType: string, Id?: string, details?: object, extra: object = {}): Event {
  return { EventType, Id, [`${EventType}Details`]: details, ...extra } as Event;
}
/** EventId 1..n and EventTimestamp at(EventId), unless the event sets them. */
const seq = (...events: Event[]): Event[] =>
  events.map((e, i) => ({ EventId: i + 1, EventTimestamp: at(i + 1), ...e }));
const res = (Payload: string, Truncated = false) => ({ Result: { Payload, Truncated } });
const errObj = (ErrorMessage: string) => ({ ErrorType: 'Error', ErrorMessage });
const err = (m: string, Truncated = false) => ({ Error: { Payload: errObj(m), Truncated } });
const retry = (c?: number, d?: number) => ({
  RetryDetails: { CurrentAttempt: c, NextAttemptDelaySeconds: d },
});
/** A whole expected Operation; end 0 means no EndTimestamp. */
function op(Id: string, Type: string, Status: string, start: number, end = 0, rest: object = {}) {
  return { Id, Type, Status, StartTimestamp: at(start), EndTimestamp: end ? at(end) : undefined, ...rest };
}
const EX = 'exec-uuid';

/** Keys whose value is undefined, at any depth: the rows are compared field for field. */
function undefinedKeys(v: unknown): string[] {
  if (v === null || typeof v !== 'object' || v instanceof Date) return [];
  return Object.entries(v).flatMap(([k, x]) => (x === undefined ? [k] : undefinedKeys(x)));
}
const fold = (events: readonly Event[]) => {
  const folded = foldHistory(events);
  expect(undefinedKeys({ operations: folded.operations, execution: folded.execution })).toEqual([]);
  return folded;
};
const foldSeq = (...events: Event[]) => fold(seq(...events));

describe('foldHistory: a successful execution with every operation type', () => {
  const named = { Name: 'fetch', SubType: 'Step' };
  const child = { SubType: 'RunInChildContext' };
  const events = seq(
    ev('ExecutionStarted', EX, { Input: { Payload: '{"n":1}' }, ExecutionTimeout: 60 }),
    ev('StepStarted', 's1', {}, named),
    ev('StepSucceeded', 's1', { ...res('1'), RetryDetails: {} }, named),
    ev('WaitStarted', 'w1', { Duration: 5, ScheduledEndTimestamp: at(9) }),
    ev('InvocationCompleted', undefined, { RequestId: 'r1' }),
    ev('WaitSucceeded', 'w1', { Duration: 5 }),
    ev('CallbackStarted', 'cb', { CallbackId: 'CB1', Timeout: 300, HeartbeatTimeout: 60 }),
    ev('CallbackSucceeded', 'cb', res('"ok"')),
    ev('ChainedInvokeStarted', 'ci', {
      FunctionName: 'f',
      DurableExecutionArn: 'child',
      ExecutedVersion: '3',
    }),
    ev('ChainedInvokeSucceeded', 'ci', res('{"r":2}')),
    ev('ContextStarted', 'cx', {}, child),
    ev('StepStarted', 'cx-1', {}, { ParentId: 'cx' }),
    ev('StepSucceeded', 'cx-1', { ...res('3'), ...retry(1) }, { ParentId: 'cx' }),
    ev('ContextSucceeded', 'cx', res('"d"')),
    ev('InvocationCompleted', undefined, { RequestId: 'r2' }),
    ev('ExecutionSucceeded', EX, res('"all"')),
  );

  it('folds each operation into the state shape, in first-event order; also while running', () => {
    const folded = fold(events);
    expect(folded.operations).toEqual([
      op(EX, 'EXECUTION', 'SUCCEEDED', 1, 16, { ExecutionDetails: { InputPayload: '{"n":1}' } }),
      op('s1', 'STEP', 'SUCCEEDED', 2, 3, { ...named, StepDetails: { Attempt: 1, Result: '1' } }),
      op('w1', 'WAIT', 'SUCCEEDED', 4, 6, { WaitDetails: { ScheduledEndTimestamp: at(9) } }),
      op('cb', 'CALLBACK', 'SUCCEEDED', 7, 8, { CallbackDetails: { CallbackId: 'CB1', Result: '"ok"' } }),
      op('ci', 'CHAINED_INVOKE', 'SUCCEEDED', 9, 10, { ChainedInvokeDetails: { Result: '{"r":2}' } }),
      op('cx', 'CONTEXT', 'SUCCEEDED', 11, 14, { ...child, ContextDetails: { Result: '"d"' } }),
      op('cx-1', 'STEP', 'SUCCEEDED', 12, 13, { ParentId: 'cx', StepDetails: { Attempt: 1, Result: '3' } }),
    ]);
    expect(folded.invocationCount).toBe(2);
    const facts = {
      inputPayload: '{"n":1}',
      startTimestamp: at(1),
      executionTimeoutSeconds: 60,
      payloadTruncated: false,
    };
    expect(folded.execution).toEqual({
      ...facts,
      result: '"all"',
      status: 'SUCCEEDED',
      endTimestamp: at(16),
    });
    expect(folded.warnings).toEqual([]);
    expect(folded.truncatedOperationIds).toEqual(new Set());
    // What the Operation shape has no member for, by operation: only operations with any.
    expect(folded.operationFacts).toEqual(
      new Map([
        ['w1', { waitSeconds: 5 }],
        ['cb', { callbackTimeoutSeconds: 300, callbackHeartbeatTimeoutSeconds: 60 }],
        ['ci', { childFunctionName: 'f', childExecutionArn: 'child', childVersion: '3' }],
      ]),
    );
    // A running execution: its operation is STARTED, the execution facts say RUNNING.
    const running = fold(events.slice(0, 4));
    const input = { ExecutionDetails: { InputPayload: '{"n":1}' } };
    expect(running.operations[0]).toEqual(op(EX, 'EXECUTION', 'STARTED', 1, 0, input));
    const wait = { WaitDetails: { ScheduledEndTimestamp: at(9) } };
    expect(running.operations[2]).toEqual(op('w1', 'WAIT', 'STARTED', 4, 0, wait));
    expect(running.execution).toEqual({ ...facts, status: 'RUNNING' });
  });

  it('gives the same result whatever the page order; events without EventId keep their slot', () => {
    expect(fold([...events.slice(8), ...events.slice(0, 8)].reverse())).toEqual(fold(events));
    const noIds = events.map((e) => (e.EventId === 5 || e.EventId === 15 ? { ...e, EventId: undefined } : e));
    const mixed = fold([...noIds.slice(5)].reverse().concat(noIds.slice(0, 5).reverse()));
    expect(mixed.operations.map((o) => o.Id)).toEqual([EX, 's1', 'w1', 'cb', 'ci', 'cx', 'cx-1']);
    expect(mixed.invocationCount).toBe(2);
  });
});

describe('foldHistory: step retries', () => {
  const id = { Name: 'charge', SubType: 'Step' };
  const fail = (n: number, d?: number) => ev('StepFailed', 's', { ...err(`e${n}`), ...retry(n, d) }, id);
  const started = () => ev('StepStarted', 's', {}, id);
  const step = (st: string, end: number, d: object) => op('s', 'STEP', st, 1, end, { ...id, StepDetails: d });

  it('two failures with a retry scheduled, then a success: PENDING in between, Attempt 3 at the end', () => {
    // CurrentAttempt 1, 1, 2 is what AWS's JS emulator writes; the count of checkpointed attempts wins.
    const events = seq(started(), fail(1, 2), started(), fail(1, 4));
    const pending = { Attempt: 2, NextAttemptTimestamp: at(8), Error: errObj('e1') };
    expect(fold(events).operations).toEqual([step('PENDING', 0, pending)]);
    const done = foldSeq(...events, started(), ev('StepSucceeded', 's', { ...res('"paid"'), ...retry(2) }));
    const succeeded = { Attempt: 3, NextAttemptTimestamp: at(8), Result: '"paid"' };
    expect(done.operations).toEqual([step('SUCCEEDED', 6, succeeded)]);
    expect(done.warnings).toEqual([]);
  });

  it('a step failing for good after retries is FAILED, with the last error', () => {
    const events = seq(started(), fail(1, 2), started(), fail(2, 3), started(), fail(3));
    const details = { Attempt: 3, NextAttemptTimestamp: at(7), Error: errObj('e3') };
    expect(fold(events).operations).toEqual([step('FAILED', 6, details)]);
  });

  it('a waitForCondition poll (StepSucceeded with a delay) is PENDING until the final StepSucceeded', () => {
    const w = { SubType: 'WaitForCondition' };
    const poll = (n: number, d?: number) => ev('StepSucceeded', 'c', { ...res(`${n}`), ...retry(0, d) }, w);
    const pending = seq(ev('StepStarted', 'c', {}, w), poll(1, 1));
    const c = (n: number) => ({ Attempt: n, NextAttemptTimestamp: at(3), Result: `${n}` });
    const wfc = (st: string, end: number, n: number) =>
      op('c', 'STEP', st, 1, end, { ...w, StepDetails: c(n) });
    expect(fold(pending).operations).toEqual([wfc('PENDING', 0, 1)]);
    expect(foldSeq(...pending, ev('StepStarted', 'c'), poll(2)).operations).toEqual([wfc('SUCCEEDED', 4, 2)]);
  });
});

describe('foldHistory: terminal statuses and nesting', () => {
  const ends = (prefix: string, id: string, terminal: string, details: object, started?: object) =>
    foldSeq(ev(`${prefix}Started`, id, started), ev(`${prefix}${terminal}`, id, details)).operations;
  const typeOf = (prefix: string) => prefix.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
  const cb = (outcome: object) => ({ CallbackDetails: { CallbackId: 'K', ...outcome } });
  // ContextSucceededDetails has no ReplayChildren in the model; a loosely typed source may still send it.
  const replay = { ContextDetails: { ReplayChildren: true, Result: '1' } };

  const rows: [string, string, string, object, object][] = [
    ['Callback', 'Succeeded', 'SUCCEEDED', res('1'), cb({ Result: '1' })],
    ['Callback', 'Failed', 'FAILED', err('no'), cb({ Error: errObj('no') })],
    ['Callback', 'TimedOut', 'TIMED_OUT', err('late'), cb({ Error: errObj('late') })],
    ['ChainedInvoke', 'Failed', 'FAILED', err('e'), { ChainedInvokeDetails: { Error: errObj('e') } }],
    ['ChainedInvoke', 'TimedOut', 'TIMED_OUT', err('e'), { ChainedInvokeDetails: { Error: errObj('e') } }],
    ['ChainedInvoke', 'Stopped', 'STOPPED', err('e'), { ChainedInvokeDetails: { Error: errObj('e') } }],
    ['Context', 'Failed', 'FAILED', err('c'), { ContextDetails: { Error: errObj('c') } }],
    ['Context', 'Succeeded', 'SUCCEEDED', { ...res('1'), ReplayChildren: true }, replay],
  ];
  it.each(rows)('%s%s: %s', (prefix, terminal, status, details, expected) => {
    const started = prefix === 'Callback' ? { CallbackId: 'K' } : {};
    const operation = op('o', typeOf(prefix), status, 1, 2, expected);
    expect(ends(prefix, 'o', terminal, details, started)).toEqual([operation]);
  });

  it.each([
    ['Failed', 'FAILED'],
    ['TimedOut', 'TIMED_OUT'],
    ['Stopped', 'STOPPED'],
  ])('an execution that ends %s, and a cancelled wait', (terminal, status) => {
    const started = ev('ExecutionStarted', EX, { Input: { Payload: '{}' } });
    const exec = foldSeq(started, ev(`Execution${terminal}`, EX, err('x')));
    const input = { ExecutionDetails: { InputPayload: '{}' } };
    expect(exec.operations).toEqual([op(EX, 'EXECUTION', status, 1, 2, input)]);
    const facts = { inputPayload: '{}', error: errObj('x'), status, payloadTruncated: false };
    expect(exec.execution).toEqual({ ...facts, startTimestamp: at(1), endTimestamp: at(2) });
    expect(ends('Wait', 'w', 'Cancelled', {})).toEqual([op('w', 'WAIT', 'CANCELLED', 1, 2)]);
    // WaitDetails has no Error: the error of a cancelled wait is a history fact.
    const cancelled = foldSeq(ev('WaitStarted', 'w', { Duration: 9 }), ev('WaitCancelled', 'w', err('stop')));
    expect(cancelled.operations).toEqual([op('w', 'WAIT', 'CANCELLED', 1, 2)]);
    expect(cancelled.operationFacts.get('w')).toEqual({ waitSeconds: 9, waitError: errObj('stop') });
  });

  it('keeps ParentId, Name and SubType of nested contexts', () => {
    const m1 = { ParentId: 'm', Name: 'map-item-0', SubType: 'MapIteration' };
    const p1 = { ParentId: 'p', Name: 'branch-0', SubType: 'ParallelBranch' };
    const folded = foldSeq(
      ev('ContextStarted', 'm', {}, { Name: 'batch', SubType: 'Map' }),
      ev('ContextStarted', 'm-1', {}, m1),
      ev('StepStarted', 'm-1-1', {}, { ParentId: 'm-1', Name: 'double', SubType: 'Step' }),
      ev('ContextStarted', 'p', {}, { SubType: 'Parallel' }),
      ev('ContextStarted', 'p-1', {}, p1),
      ev('ContextSucceeded', 'p-1', res('"A"'), p1),
    );
    expect(folded.operations).toEqual([
      op('m', 'CONTEXT', 'STARTED', 1, 0, { Name: 'batch', SubType: 'Map' }),
      op('m-1', 'CONTEXT', 'STARTED', 2, 0, m1),
      op('m-1-1', 'STEP', 'STARTED', 3, 0, { ParentId: 'm-1', Name: 'double', SubType: 'Step' }),
      op('p', 'CONTEXT', 'STARTED', 4, 0, { SubType: 'Parallel' }),
      op('p-1', 'CONTEXT', 'SUCCEEDED', 5, 6, { ...p1, ContextDetails: { Result: '"A"' } }),
    ]);
  });
});

describe('foldHistory: imperfect histories', () => {
  it('records truncated payloads per operation and for the execution', () => {
    const folded = foldSeq(
      ev('ExecutionStarted', EX, { Input: { Payload: '{"big', Truncated: true } }),
      ev('StepSucceeded', 's', res('[1,', true)),
      ev('CallbackFailed', 'k', err('x', true)),
      ev('StepSucceeded', 'ok', res('1')),
    );
    expect(folded.truncatedOperationIds).toEqual(new Set([EX, 's', 'k']));
    expect(folded.execution.payloadTruncated).toBe(true);
  });

  it('keeps operations of unknown event types, drops events without Id, and warns', () => {
    const folded = foldSeq(
      ev('StepStarted', 's'),
      ev('StepPaused', 's'), // unknown: Type from the prefix, no status in the name, so the status is kept
      ev('FutureThingHappened', 'f'), // unknown: raw text
      ev('StepCancelled', 'x'), // unknown: Type and Status both derived
      ev('StepStarted'),
      ev('SomethingElse'),
      ev('ExecutionSucceeded', undefined, res('"r"')),
    );
    expect(folded.operations).toEqual([
      op('s', 'STEP', 'STARTED', 1),
      op('f', 'FutureThingHappened', 'FutureThingHappened', 3),
      op('x', 'STEP', 'CANCELLED', 4, 4),
    ]);
    const facts = { result: '"r"', status: 'SUCCEEDED', payloadTruncated: false };
    expect(folded.execution).toEqual({ ...facts, endTimestamp: at(7) });
    expect(folded.warnings).toEqual([
      'event 2 (StepPaused, id s): unknown EventType',
      'event 3 (FutureThingHappened, id f): unknown EventType',
      'event 4 (StepCancelled, id x): unknown EventType',
      'event 5 (StepStarted): event without Id, dropped',
      'event 6 (SomethingElse): unknown EventType, dropped',
      'event 7 (ExecutionSucceeded): event without Id, dropped',
    ]);
  });

  it('warns about repeated EventIds, duplicate terminal events, Type conflicts; never throws', () => {
    const succeeded = (p: string) => ev('StepSucceeded', 's', res(p));
    const events = seq(ev('StepStarted', 's'), succeeded('1'), succeeded('2'), ev('WaitStarted', 's'));
    const folded = fold([...events, events[1] as Event]);
    const details = { StepDetails: { Attempt: 2, Result: '2' } };
    expect(folded.operations).toEqual([op('s', 'STEP', 'STARTED', 1, 0, details)]);
    expect(folded.warnings).toEqual([
      'event 2 (StepSucceeded, id s): EventId seen before, dropped as a repeat',
      'event 3 (StepSucceeded, id s): duplicate terminal event',
      'event 4 (WaitStarted, id s): Type WAIT conflicts with STEP, kept STEP',
      "event 4 (WaitStarted, id s): event after the operation's terminal event",
    ]);
    const bad = { EventType: 'StepFailed', Id: 'g', StepFailedDetails: null };
    const garbage = [{}, bad, { Id: 'h', EventId: 'x' }] as unknown as Event[];
    expect(fold(garbage).warnings).toContain('operation g: no event has an EventTimestamp');
  });
});
