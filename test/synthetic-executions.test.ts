import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSyntheticExecutions } from '../src/local/index.js';
import { historyColumnsOf } from './support/expected-rows.js';

type Json = Record<string, unknown>;
const data = generateSyntheticExecutions({ count: 120, seed: 42 });
const allOps = data.flatMap((e) => e.expectedOperations);
const allEvents = data.flatMap((e) => e.events);

describe('generateSyntheticExecutions', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = generateSyntheticExecutions({ count: 15, seed: 3 });
    expect(JSON.stringify(generateSyntheticExecutions({ count: 15, seed: 3 }))).toBe(JSON.stringify(a));
    expect(JSON.stringify(generateSyntheticExecutions({ count: 15, seed: 4 }))).not.toBe(JSON.stringify(a));
    // The first executions do not depend on how many are generated.
    expect(generateSyntheticExecutions({ count: 5, seed: 3 })).toEqual(a.slice(0, 5));
  });

  it('covers all six operation types, the SDK sub-types and every execution status', () => {
    expect(new Set(allOps.map((op) => op.Type))).toEqual(
      new Set(['EXECUTION', 'CONTEXT', 'STEP', 'WAIT', 'CALLBACK', 'CHAINED_INVOKE']),
    );
    const subTypes = new Set(allOps.map((op) => op.SubType));
    for (const s of [
      'Step',
      'Wait',
      'Callback',
      'ChainedInvoke',
      'WaitForCondition',
      'RunInChildContext',
      'Map',
      'MapIteration',
      'Parallel',
      'ParallelBranch',
      'WaitForCallback',
    ]) {
      expect(subTypes).toContain(s);
    }
    expect(new Set(data.map((e) => e.execution.Status))).toEqual(
      new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'STOPPED', 'RUNNING']),
    );
    const opStatuses = new Set(allOps.map((op) => `${op.Type}:${op.Status}`));
    for (const s of [
      'STEP:PENDING',
      'STEP:FAILED',
      'CALLBACK:TIMED_OUT',
      'CALLBACK:FAILED',
      'CHAINED_INVOKE:FAILED',
      'CONTEXT:FAILED',
      'WAIT:STARTED',
    ]) {
      expect(opStatuses).toContain(s);
    }
    expect(allOps.some((op) => (op.ContextDetails as Json | undefined)?.ReplayChildren === true)).toBe(true);
    for (const e of data.filter((x) => x.execution.Status === 'RUNNING'))
      expect(e.execution.EndTimestamp).toBeUndefined();
  });

  it('uses the SDK id scheme and the documented ARN forms', () => {
    const md5 = (path: string) => createHash('md5').update(path).digest('hex').slice(0, 16);
    for (const e of data) {
      const arn = e.execution.DurableExecutionArn as string;
      const fn = /:function:([a-z-]+):1\//.exec(arn)?.[1];
      expect(arn).toMatch(
        new RegExp(
          `^arn:aws:lambda:us-east-1:123456789012:function:${fn}:1/durable-execution/${fn}-order-\\d+/[0-9a-f-]{36}$`,
        ),
      );
      expect(e.execution.FunctionArn).toBe(`arn:aws:lambda:us-east-1:123456789012:function:${fn}:1`);
      expect(e.execution.Version).toBe('1');
      const [exec, first] = e.expectedOperations;
      expect(exec).toMatchObject({ Type: 'EXECUTION' });
      expect(exec?.Id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(first?.Id).toBe(md5('1'));
    }
    const child = allOps.find((op) => op.ParentId === md5('2') && op.Id === md5('2-1'));
    expect(child).toBeDefined();
  });

  it('spreads start times over spanDays and keeps millisecond precision', () => {
    const starts = data.map((e) => (e.execution.StartTimestamp as number) * 1000);
    const from = Date.parse('2026-01-01T00:00:00Z');
    for (const s of starts) expect(s >= from && s < from + 3 * 86_400_000).toBe(true);
    expect(new Set(starts.map((s) => new Date(s).toISOString().slice(0, 10))).size).toBe(3);
    const stamps = allEvents.map((e) => e.EventTimestamp as number);
    for (const s of stamps) expect(Math.abs(s * 1000 - Math.round(s * 1000))).toBeLessThan(1e-3);
    expect(stamps.filter((s) => Math.round(s * 1000) % 1000 !== 0).length).toBeGreaterThan(stamps.length / 2);
  });

  it('writes realistic events: retries, errors with stack traces, truncated payloads, invocations', () => {
    const details = (type: string) =>
      allEvents.filter((e) => e.EventType === type).map((e) => e[`${type}Details`] as Json);
    expect(
      details('StepFailed').some((d) => typeof (d.RetryDetails as Json).NextAttemptDelaySeconds === 'number'),
    ).toBe(true);
    const errors = details('StepFailed').map((d) => (d.Error as Json).Payload as Json);
    expect(errors.some((err) => Array.isArray(err.StackTrace) && typeof err.ErrorData === 'string')).toBe(
      true,
    );
    const wrapped = allEvents.flatMap((e) =>
      Object.values(e).flatMap((v) => (v && typeof v === 'object' ? Object.values(v) : [])),
    );
    const payloads = wrapped.filter(
      (w): w is Json => !!w && typeof w === 'object' && typeof (w as Json).Payload === 'string',
    );
    const lengths = payloads.map((p) => (p.Payload as string).length);
    expect(Math.min(...lengths)).toBeLessThan(50);
    expect(Math.max(...lengths)).toBeGreaterThan(10_000);
    const truncated = payloads.filter((p) => p.Truncated === true);
    expect(truncated.length).toBeGreaterThan(0);
    expect(truncated.length).toBeLessThan(payloads.length / 20);
    for (const e of data) {
      const completed = e.events.filter((ev) => ev.EventType === 'InvocationCompleted');
      expect(completed.length).toBe(e.invocationCount);
      for (const ev of completed)
        expect(Object.keys(ev.InvocationCompletedDetails as Json).sort()).toEqual([
          'EndTimestamp',
          'RequestId',
          'StartTimestamp',
        ]);
    }
  });

  it('writes every event type of the model, and its ground truth of the history-only fields holds', () => {
    // The 24 EventType values of @aws-sdk/client-lambda (docs/DURABLE-API.md §1.6).
    const suffixes: Record<string, string[]> = {
      Execution: ['Started', 'Succeeded', 'Failed', 'TimedOut', 'Stopped'],
      Context: ['Started', 'Succeeded', 'Failed'],
      Wait: ['Started', 'Succeeded', 'Cancelled'],
      Step: ['Started', 'Succeeded', 'Failed'],
      ChainedInvoke: ['Started', 'Succeeded', 'Failed', 'TimedOut', 'Stopped'],
      Callback: ['Started', 'Succeeded', 'Failed', 'TimedOut'],
    };
    const all = Object.entries(suffixes).flatMap(([p, ss]) => ss.map((s) => `${p}${s}`));
    expect(new Set(allEvents.map((e) => e.EventType))).toEqual(new Set([...all, 'InvocationCompleted']));
    const arns = new Set(data.map((e) => e.execution.DurableExecutionArn));
    const facts = data.flatMap((e) => Object.values(e.expectedHistoryColumns));
    const children = facts.flatMap((f) => (f.child_execution_arn ? [f.child_execution_arn] : []));
    // Chained invokes start executions of the data set (each at most once) and some outside it.
    expect(children.filter((arn) => arns.has(arn)).length).toBeGreaterThan(10);
    expect(children.some((arn) => !arns.has(arn))).toBe(true);
    expect(new Set(children).size).toBe(children.length);
    expect(facts.some((f) => f.tenant_id !== null && f.child_version !== null)).toBe(true);
    expect(facts.some((f) => f.callback_heartbeat_timeout_seconds !== null)).toBe(true);
    expect(facts.some((f) => f.waitError !== null)).toBe(true);
    const heartbeatMisses = allEvents.filter((e) =>
      JSON.stringify(e.CallbackTimedOutDetails ?? {}).includes('heartbeat'),
    );
    expect(heartbeatMisses.length).toBeGreaterThan(0);
    for (const e of data) {
      for (const op of e.expectedOperations) {
        expect(e.expectedHistoryColumns[String(op.Id)]).toEqual(historyColumnsOf(e.events, String(op.Id)));
      }
    }
  });
});
