/**
 * The `events` and `invocations` tables hold the record itself: every history event of AWS's own
 * durable SDK (test/fixtures, recorded by `make fixtures`) comes back from Parquet field for field,
 * timestamps to the millisecond; and the `operations` rows of an execution are derivable from its
 * `events` rows: folding the events read back from Parquet gives the `operations` rows exactly.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { EventType } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookbookQuery } from '../src/athena/cookbook.js';
import { INVOCATION_QUERIES } from '../src/athena/cookbook-invocation-queries.js';
import { loadConfig } from '../src/config/load-config.js';
import { runExportJob } from '../src/export-job.js';
import { startLocalService } from '../src/local/service/local-service.js';
import { openLakeSession, rowObjects } from '../src/query/lake-session.js';
import { MODEL_EVENT_TYPES } from '../src/source/history-event-table.js';
import { eventToRow } from '../src/transform/event-rows.js';
import type { Truth } from './support/cookbook-checks.js';
import { INVOCATION_CHECKS } from './support/cookbook-invocation-checks.js';
import { plain as plainRows } from './support/cookbook-truth.js';
import { expectedEventRow, expectedInvocationRows, NOT_IN_HISTORY } from './support/expected-event-rows.js';
import { exportSyntheticLake } from './support/export-synthetic-lake.js';
import { foldDifferences, operationsFromEvents } from './support/fold-event-rows.js';
import { readLakeTable } from './support/lake-reader.js';
import { loadSdkFixtures, type SdkFixture } from './support/sdk-fixture-rows.js';

type Row = Record<string, unknown>;

describe('events and invocations tables: the SDK fixtures, event for event', () => {
  let work: string;
  let fixtures: SdkFixture[];
  let events: Row[];
  let invocations: Row[];
  let operations: Row[];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'events-table-'));
    fixtures = await loadSdkFixtures();
    const service = await startLocalService({ executions: fixtures, maxPageBytes: 8 * 1024 });
    try {
      Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' });
      const config = await loadConfig({
        flags: {
          lambda: { pageSize: 7, requestsPerSecond: 1000, maxConcurrent: 8 },
          export: { functions: ['sdk-fixtures'], out: join(work, 'lake') },
        },
      });
      const summary = await runExportJob(config, { region: 'us-east-1', endpointUrlLambda: service.url });
      expect(summary.failures).toEqual([]);
    } finally {
      await service.close();
    }
    events = (await readLakeTable(join(work, 'lake'), 'events', { withoutProvenance: true })).rows;
    invocations = (await readLakeTable(join(work, 'lake'), 'invocations', { withoutProvenance: true })).rows;
    operations = (await readLakeTable(join(work, 'lake'), 'operations', { withoutProvenance: true })).rows;
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('holds every recorded event, every field, timestamps to the millisecond', () => {
    const byKey = new Map(events.map((r) => [`${r.execution_arn}|${r.event_id}`, r]));
    const differences: string[] = [];
    let compared = 0;
    for (const { execution, events: recorded } of fixtures) {
      const arn = String(execution.DurableExecutionArn);
      for (const event of recorded) {
        const row = byKey.get(`${arn}|${event.EventId}`);
        const expected = expectedEventRow(event, arn, 'sdk-fixtures');
        if (!row) {
          differences.push(`${arn} event ${event.EventId}: no row`);
          continue;
        }
        const { dt: _partition, ...columns } = row;
        const actual = {
          ...columns,
          details_json: typeof row.details_json === 'string' ? JSON.parse(row.details_json) : null,
        };
        for (const column of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
          const [a, e] = [actual[column as keyof typeof actual], expected[column]];
          if (!isDeepStrictEqual(a, e)) {
            differences.push(
              `${arn} event ${event.EventId} ${column}: row ${JSON.stringify(a, big)}, recorded ${JSON.stringify(e, big)}`,
            );
          }
        }
        compared++;
      }
    }
    expect(differences).toEqual([]);
    expect(compared).toBe(fixtures.reduce((n, f) => n + f.events.length, 0));
    expect(events).toHaveLength(compared);
    // Each documented exception is needed by some recorded event.
    for (const [holder, member] of NOT_IN_HISTORY.filter(([h]) => h !== 'ContextFailedDetails')) {
      const needed = fixtures.some((f) =>
        f.events.some((e) => (e[holder] as Row | undefined)?.[member] !== undefined),
      );
      expect(needed, `${holder}.${member}`).toBe(true);
    }
  });

  it('has one invocations row per InvocationCompleted event, numbered in EventId order', () => {
    const expected = fixtures.flatMap((f) =>
      expectedInvocationRows(f.events, String(f.execution.DurableExecutionArn), 'sdk-fixtures'),
    );
    const order = (r: Row) => `${r.execution_arn}|${String(r.invocation).padStart(6, '0')}`;
    const actual = invocations
      .map(({ dt: _partition, ...columns }) => columns)
      .sort((a, b) => (order(a) < order(b) ? -1 : 1));
    expected.sort((a, b) => (order(a) < order(b) ? -1 : 1));
    expect(actual).toEqual(expected);
    expect(expected.length).toBeGreaterThan(fixtures.length);
  });

  it('answers the invocation cookbook queries, invocation errors included', async () => {
    const executions = fixtures.map((f) => {
      const x = f.execution;
      const ms = (t: unknown) => (typeof t === 'number' ? Math.round(t * 1000) : null);
      const [start, end] = [ms(x.StartTimestamp), ms(x.EndTimestamp)];
      const arn = String(x.DurableExecutionArn);
      return {
        functionName: 'sdk-fixtures',
        name: String(x.DurableExecutionName),
        status: String(x.Status),
        durationMs: start !== null && end !== null ? end - start : null,
        invocationRows: plainRows(expectedInvocationRows(f.events, arn, 'sdk-fixtures')),
      };
    });
    const lake = await openLakeSession(join(work, 'lake'));
    try {
      for (const query of INVOCATION_QUERIES) {
        const rows = plainRows(rowObjects(await lake.query(cookbookQuery(query.id).sql)));
        expect(rows.length, query.id).toBeGreaterThan(0);
        INVOCATION_CHECKS[query.id]?.(rows, { executions, ops: [] } as unknown as Truth);
      }
    } finally {
      lake.close();
    }
  });

  it('folding the events read back from Parquet gives the operations rows exactly', () => {
    expect(foldDifferences(operations, operationsFromEvents(events))).toEqual([]);
    expect(operations.length).toBeGreaterThan(90);
  });
});

describe('events table: synthetic executions (truncated payloads, every generated event type)', () => {
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'events-synthetic-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('has a row per generated event, and folding them gives the operations rows', async () => {
    const { source } = await exportSyntheticLake(join(work, 'lake'), { count: 40, seed: 42 });
    const events = (await readLakeTable(join(work, 'lake'), 'events', { withoutProvenance: true })).rows;
    const operations = (await readLakeTable(join(work, 'lake'), 'operations', { withoutProvenance: true }))
      .rows;
    expect(events).toHaveLength(source.reduce((n, e) => n + e.events.length, 0));
    const folded = operationsFromEvents(events);
    // The EXECUTION input history cut is read whole from GetDurableExecution (docs/DURABLE-API.md §4.3):
    // the exported row has the whole text, the events the cut one.
    let recovered = 0;
    for (const row of operations) {
      const again = folded.get(`${row.execution_arn}|${row.operation_id}`);
      if (row.type !== 'EXECUTION' || again?.payload_truncated !== true) continue;
      Object.assign(again, { input_payload: row.input_payload, payload_truncated: row.payload_truncated });
      recovered++;
    }
    expect(foldDifferences(operations, folded)).toEqual([]);
    expect(recovered).toBeGreaterThan(0);
    expect(events.some((r) => r.payload_truncated === true)).toBe(true);
  });
});

describe('eventToRow: every event type of the model, one generic rule', () => {
  it('knows the 24 event types of @aws-sdk/client-lambda', () => {
    expect([...MODEL_EVENT_TYPES].sort()).toEqual(Object.values(EventType).sort());
    expect(MODEL_EVENT_TYPES).toHaveLength(24);
  });

  it.each(MODEL_EVENT_TYPES)(
    '%s: its details member whole in details_json, timestamps as ISO text',
    (type) => {
      const details = {
        Future: { Nested: [1, 'two'] },
        SomeTimestamp: new Date(Date.UTC(2026, 2, 2, 9, 0, 0, 7)),
        Error: { Payload: { ErrorType: 'E', ErrorMessage: 'm', StackTrace: ['a', 'b'] }, Truncated: true },
      };
      const row = eventToRow({ EventType: type, EventId: 3, [`${type}Details`]: details } as never, {
        executionArn: 'arn',
        functionName: 'fn',
      });
      expect(JSON.parse(String(row.details_json))).toEqual({
        Future: { Nested: [1, 'two'] },
        SomeTimestamp: '2026-03-02T09:00:00.007Z',
        Error: { Payload: { ErrorType: 'E', ErrorMessage: 'm', StackTrace: ['a', 'b'] }, Truncated: true },
      });
      expect(row).toMatchObject({
        event_type: type,
        event_id: 3,
        error_type: 'E',
        error_stack_trace: '["a","b"]',
        payload_truncated: true,
      });
    },
  );

  it('keeps an event type the model does not know, with its one details member', () => {
    const row = eventToRow({ EventType: 'StepPaused', StepPausedDetails: { Why: 'x' } } as never, {
      executionArn: 'arn',
      functionName: 'fn',
    });
    expect(row).toMatchObject({ event_type: 'StepPaused', details_json: '{"Why":"x"}', event_id: null });
  });
});

/** JSON.stringify replacer: bigint as text. */
function big(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `${value}n` : value;
}
