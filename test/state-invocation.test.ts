import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { exportFromInvocation } from '../src/invocation/export-from-invocation.js';
import type { InvocationOperation } from '../src/invocation/invocation-operations.js';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import {
  generateSyntheticExecutions,
  type SyntheticExecution,
} from '../src/local/synthetic/generate-executions.js';
import { openLakeSession, rowObjects } from '../src/query/lake-session.js';
import { readLakeTable } from './support/lake-reader.js';
import { rateLimitsAll } from './support/rate-limits.js';
import { replayVisible } from './support/replay-truth.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

type Wire = Record<string, unknown>;

/**
 * Epoch seconds (REST) to an invocation event's form, in every timestamp member: epoch milliseconds
 * (other SDKs) or ISO-8601 strings (the JS SDK's wire model, `WireTimestamp`).
 */
function toEventForm(op: Wire, form: 'millis' | 'iso' = 'millis'): InvocationOperation {
  const ms = (v: unknown) => {
    if (typeof v !== 'number') return v;
    const millis = Math.round(v * 1000);
    return form === 'iso' ? new Date(millis).toISOString() : millis;
  };
  const out: Wire = { ...op, StartTimestamp: ms(op.StartTimestamp) };
  if (op.EndTimestamp !== undefined) out.EndTimestamp = ms(op.EndTimestamp);
  const step = op.StepDetails as Wire | undefined;
  if (step?.NextAttemptTimestamp !== undefined)
    out.StepDetails = { ...step, NextAttemptTimestamp: ms(step.NextAttemptTimestamp) };
  const wait = op.WaitDetails as Wire | undefined;
  if (wait?.ScheduledEndTimestamp !== undefined)
    out.WaitDetails = { ...wait, ScheduledEndTimestamp: ms(wait.ScheduledEndTimestamp) };
  return out as InvocationOperation;
}

/**
 * `exportFromInvocation` as a durable function would call it, against the local service: the
 * invocation event's `InitialExecutionState` (epoch-millisecond or ISO-8601 timestamps) is the first page and its
 * `NextMarker` continues through GetDurableExecutionState; the rows equal a read from the first page.
 */
describe('exportFromInvocation', () => {
  const servers = useTestServers('state-invocation-');
  let service: RunningLocalService;
  const data = generateSyntheticExecutions({ count: 12, seed: 41, functionNames: ['orders'] });
  // The event page must carry timestamps in details too (a WAIT's ScheduledEndTimestamp), and the
  // replay view must go on after it for a few pages of 3.
  const hasWait = (ops: Wire[]) => ops.some((op) => op.Type === 'WAIT');
  const eventItems = (e: SyntheticExecution) =>
    replayVisible(e.expectedOperations).findIndex((op) => op.Type === 'WAIT') + 1;
  const big = data.find(
    (e) =>
      hasWait(replayVisible(e.expectedOperations)) &&
      replayVisible(e.expectedOperations).length > eventItems(e) + 6,
  ) as SyntheticExecution;
  const arn = big.execution.DurableExecutionArn as string;
  const common = () => ({
    durableExecutionArn: arn,
    checkpointToken: service.checkpointToken(arn),
    endpointUrlLambda: service.url,
    config: { lambda: { pageSize: 3, rateLimits: rateLimitsAll(1000) } },
    env: {},
  });

  /** The first state page exactly as the service sends it (wire JSON, epoch seconds). */
  async function firstPage(maxItems: number): Promise<{ Operations: Wire[]; NextMarker?: string }> {
    const query = new URLSearchParams({
      CheckpointToken: service.checkpointToken(arn),
      MaxItems: `${maxItems}`,
    });
    const url = `${service.url}/2025-12-01/durable-executions/${encodeURIComponent(arn)}/state?${query}`;
    const response = await fetch(url);
    expect(response.status).toBe(200);
    return (await response.json()) as { Operations: Wire[]; NextMarker?: string };
  }

  beforeAll(async () => {
    Object.assign(process.env, LOCAL_AWS_ENV);
    service = await servers.localService({ executions: data });
  });

  it('continues the event state from its NextMarker and writes the same rows as a read from the first page', async () => {
    const page = await firstPage(eventItems(big));
    expect(page.NextMarker).toBeTruthy();
    expect(hasWait(page.Operations)).toBe(true);
    const withEvent = await exportFromInvocation({
      ...common(),
      initialExecutionState: {
        Operations: page.Operations.map((op) => toEventForm(op)),
        NextMarker: page.NextMarker,
      },
      out: join(servers.work, 'event'),
    });
    const fromStart = await exportFromInvocation({ ...common(), out: join(servers.work, 'start') });
    for (const s of [withEvent, fromStart]) {
      expect(s).toMatchObject({ source: 'state', executionsExported: 1, executionsFailed: 0 });
      expect(s.operations).toBe(replayVisible(big.expectedOperations).length);
    }
    // The event's page replaced the first GetDurableExecutionState request.
    expect(withEvent.requests.requests).toBeLessThan(fromStart.requests.requests);

    const sorted = (rows: Wire[]) =>
      [...rows].sort((a, b) => String(a.operation_id).localeCompare(String(b.operation_id)));
    const same = { withoutProvenance: true };
    const a = await readLakeTable(join(servers.work, 'event'), 'operations', same);
    const b = await readLakeTable(join(servers.work, 'start'), 'operations', same);
    expect(sorted(a.rows)).toEqual(sorted(b.rows));
    // Epoch milliseconds in the event became the same instants as epoch seconds on the wire.
    for (const op of page.Operations) {
      const row = a.rows.find((r) => r.operation_id === op.Id) ?? {};
      expect(row.start_timestamp).toEqual(new Date(Math.round((op.StartTimestamp as number) * 1000)));
      const wait = op.WaitDetails as Wire | undefined;
      if (wait?.ScheduledEndTimestamp !== undefined) {
        const at = new Date(Math.round((wait.ScheduledEndTimestamp as number) * 1000));
        expect(row.scheduled_end_timestamp).toEqual(at);
      }
    }
    expect((await readLakeTable(join(servers.work, 'event'), 'executions', same)).rows).toEqual(
      (await readLakeTable(join(servers.work, 'start'), 'executions', same)).rows,
    );
  });

  it('needs no state request when the event holds the whole state', async () => {
    const page = await firstPage(1000);
    expect(page.NextMarker).toBeUndefined();
    const summary = await exportFromInvocation({
      ...common(),
      initialExecutionState: { Operations: page.Operations.map((op) => toEventForm(op)) },
      out: join(servers.work, 'whole'),
    });
    expect(summary.operations).toBe(page.Operations.length);
    expect(summary.requests.requests).toBe(1); // GetDurableExecution only
  });

  it("reads the JS SDK's wire form (ISO-8601 strings) to the same rows, and rejects a timestamp in no form", async () => {
    const page = await firstPage(1000);
    const iso = page.Operations.map((op) => toEventForm(op, 'iso'));
    expect(iso.map((op) => typeof op.StartTimestamp)).toContain('string');
    const summary = await exportFromInvocation({
      ...common(),
      initialExecutionState: { Operations: iso },
      out: join(servers.work, 'iso'),
    });
    expect(summary).toMatchObject({ executionsExported: 1, executionsFailed: 0 });
    const millis = await exportFromInvocation({
      ...common(),
      initialExecutionState: { Operations: page.Operations.map((op) => toEventForm(op)) },
      out: join(servers.work, 'millis'),
    });
    expect(millis.executionsExported).toBe(1);
    const rows = async (dir: string) =>
      (await readLakeTable(join(servers.work, dir), 'operations', { withoutProvenance: true })).rows;
    expect(await rows('iso')).toEqual(await rows('millis'));
    const second = iso[1] as InvocationOperation;
    const bad = [iso[0], { ...second, EndTimestamp: 'yesterday' }] as InvocationOperation[];
    const rejected = exportFromInvocation({
      ...common(),
      initialExecutionState: { Operations: bad },
      out: join(servers.work, 'bad'),
    });
    await expect(rejected).rejects.toThrow(ConfigError);
    await expect(rejected).rejects.toThrow(
      `InitialExecutionState operation ${second.Id}: EndTimestamp is "yesterday", not an ISO-8601 string`,
    );
  });

  it('is one job per invocation: a retried invocation resumes, a later one writes a new snapshot', async () => {
    const out = join(servers.work, 'snapshots');
    const first = await exportFromInvocation({ ...common(), out });
    const retried = await exportFromInvocation({ ...common(), out });
    expect(first).toMatchObject({ executionsExported: 1, executionsSkipped: 0 });
    expect(retried).toMatchObject({ executionsExported: 0, executionsSkipped: 1 });
    expect((await readLakeTable(out, 'executions')).rows).toHaveLength(1);
    expect(retried.commit?.jobId).toBe(first.commit?.jobId);
    service.advanceToken(arn); // the invocation checkpointed; the next one has a new token
    const later = await exportFromInvocation({ ...common(), out });
    expect(later).toMatchObject({ executionsExported: 1, executionsSkipped: 0 });
    expect(later.commit?.jobId).not.toBe(first.commit?.jobId);
    // A new snapshot (its own job and run) beside the first; the latest view shows it alone.
    expect((await readLakeTable(out, 'executions')).rows).toHaveLength(2);
    const lake = await openLakeSession(out);
    try {
      const latest = rowObjects(await lake.query('SELECT export_run_id FROM executions_latest'));
      expect(latest).toEqual([{ export_run_id: later.commit?.runId }]);
    } finally {
      lake.close();
    }
  });

  it('reports a superseded token as that execution failed, and rejects malformed options', async () => {
    const token = service.checkpointToken(arn);
    service.advanceToken(arn);
    const summary = await exportFromInvocation({
      ...common(),
      checkpointToken: token,
      out: join(servers.work, 'old'),
    });
    expect(summary.executionsFailed).toBe(1);
    expect(summary.failures[0]?.message).toMatch(/checkpoint token rejected/);
    await expect(
      exportFromInvocation({ ...common(), checkpointToken: 'not base64!', out: join(servers.work, 'x') }),
    ).rejects.toBeInstanceOf(ConfigError);
  });
});
