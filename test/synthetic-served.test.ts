import {
  type Event,
  GetDurableExecutionHistoryCommand,
  GetDurableExecutionStateCommand,
  LambdaClient,
  paginateGetDurableExecutionHistory,
  paginateGetDurableExecutionState,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateSyntheticExecutions,
  type RunningLocalService,
  type SyntheticExecution,
  startLocalService,
} from '../src/local/index.js';

/**
 * Synthetic executions served by the local service agree with the generator's ground truth: history
 * holds one operation per event Id with the expected statuses and times, and the state view equals
 * `expectedOperations` pruned the way the replay view prunes.
 */

type Json = Record<string, unknown>;
const data = generateSyntheticExecutions({ count: 120, seed: 42 });

const STATUS_BY_SUFFIX: Record<string, string> = {
  Started: 'STARTED',
  Succeeded: 'SUCCEEDED',
  Failed: 'FAILED',
  TimedOut: 'TIMED_OUT',
  Stopped: 'STOPPED',
  Cancelled: 'CANCELLED',
};

/** Dates back to wire epoch seconds, so SDK output compares with wire-form ground truth. */
function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWire(v)]));
  return value;
}

/** Ground truth pruned as the replay view should be (written here independently of the service). */
function pruned(ops: Json[]): Json[] {
  const byId = new Map(ops.map((op) => [op.Id, op]));
  const visible = (op: Json): boolean => {
    const parent = op.ParentId === undefined ? undefined : byId.get(op.ParentId);
    if (!parent) return true;
    const done = !['STARTED', 'PENDING'].includes(parent.Status as string);
    return visible(parent) && (!done || (parent.ContextDetails as Json).ReplayChildren === true);
  };
  return ops.filter(visible);
}

/** A payload history truncated compares equal to its full ground truth. */
function untruncate(served: unknown, truth: unknown): unknown {
  if (
    typeof served === 'string' &&
    typeof truth === 'string' &&
    served.length === 32 * 1024 &&
    truth.startsWith(served)
  )
    return truth;
  if (served && typeof served === 'object' && truth && typeof truth === 'object' && !Array.isArray(served)) {
    return Object.fromEntries(Object.entries(served).map(([k, v]) => [k, untruncate(v, (truth as Json)[k])]));
  }
  return served;
}

describe('synthetic executions served by the local service', () => {
  let service: RunningLocalService;
  let client: LambdaClient;
  beforeAll(async () => {
    service = await startLocalService({ executions: data });
    client = new LambdaClient({
      region: 'us-east-1',
      endpoint: service.url,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      maxAttempts: 1,
    });
  });
  afterAll(() => service.close());

  async function history(e: SyntheticExecution): Promise<Event[]> {
    const events: Event[] = [];
    const input = { DurableExecutionArn: e.execution.DurableExecutionArn as string };
    for await (const page of paginateGetDurableExecutionHistory({ client, pageSize: 1000 }, input))
      events.push(...(page.Events ?? []));
    return events;
  }

  it('history agrees with expectedOperations: one operation per event Id, same statuses and times', async () => {
    for (const e of data.slice(0, 40)) {
      const events = await history(e);
      const byId = new Map<string, Event[]>();
      for (const ev of events) if (ev.Id !== undefined) byId.set(ev.Id, [...(byId.get(ev.Id) ?? []), ev]);
      expect([...byId.keys()]).toEqual(e.expectedOperations.map((op) => op.Id));
      for (const op of e.expectedOperations) {
        const evs = byId.get(op.Id as string) as Event[];
        const last = evs.at(-1) as Event;
        const retry = (last.StepFailedDetails ?? last.StepSucceededDetails)?.RetryDetails;
        const suffix = /(Started|Succeeded|Failed|TimedOut|Stopped|Cancelled)$/.exec(
          last.EventType as string,
        )?.[1] as string;
        expect(retry?.NextAttemptDelaySeconds !== undefined ? 'PENDING' : STATUS_BY_SUFFIX[suffix]).toBe(
          op.Status,
        );
        expect(
          (last.EventType as string).toUpperCase().startsWith((op.Type as string).replace('_', '')),
        ).toBe(true);
        expect(evs[0]?.EventTimestamp?.getTime()).toBe(Math.round((op.StartTimestamp as number) * 1000));
        if (op.EndTimestamp !== undefined)
          expect(last.EventTimestamp?.getTime()).toBe(Math.round((op.EndTimestamp as number) * 1000));
      }
    }
  });

  it('the state view equals the pruned ground truth (payloads truncated in history excepted)', async () => {
    let compared = 0;
    for (const e of data) {
      const arn = e.execution.DurableExecutionArn as string;
      const ops: unknown[] = [];
      for await (const page of paginateGetDurableExecutionState(
        { client, pageSize: 50 },
        { DurableExecutionArn: arn, CheckpointToken: service.checkpointToken(arn) },
      )) {
        ops.push(...(page.Operations ?? []).map(toWire));
      }
      const truth = pruned(e.expectedOperations);
      expect(ops.map((op, i) => untruncate(op, truth[i]))).toEqual(truth);
      compared += ops.length;
    }
    expect(compared).toBeGreaterThan(data.length * 3);
  });

  it('starts history with ExecutionStarted and state with the EXECUTION operation', async () => {
    const e = data[0] as SyntheticExecution;
    const arn = e.execution.DurableExecutionArn as string;
    const h = await client.send(
      new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn, MaxItems: 1 }),
    );
    expect(h.Events?.[0]).toMatchObject({
      EventType: 'ExecutionStarted',
      EventId: 1,
      Id: e.expectedOperations[0]?.Id,
    });
    const s = await client.send(
      new GetDurableExecutionStateCommand({
        DurableExecutionArn: arn,
        CheckpointToken: service.checkpointToken(arn),
        MaxItems: 1,
      }),
    );
    expect(toWire(s.Operations?.[0])).toEqual(untruncate(toWire(s.Operations?.[0]), e.expectedOperations[0]));
  });
});
