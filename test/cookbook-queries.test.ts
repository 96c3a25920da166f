import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COOKBOOK } from '../src/athena/cookbook.js';
import { type LakeSession, openLakeSession, rowObjects } from '../src/query/lake-session.js';
import { TRINO_SHIM } from '../src/query/trino-shim.js';
import { CHECKS as OTHER_CHECKS, type Truth } from './support/cookbook-checks.js';
import { FLEET_CHECKS } from './support/cookbook-fleet-checks.js';
import { INVOCATION_CHECKS } from './support/cookbook-invocation-checks.js';
import { plain, truthOf } from './support/cookbook-truth.js';
import { exportSyntheticLake } from './support/export-synthetic-lake.js';

/** What each cookbook query must return on the demo data, by query id. */
const CHECKS = { ...OTHER_CHECKS, ...INVOCATION_CHECKS, ...FLEET_CHECKS };

/**
 * Queries the demo data cannot give a row yet: its generator writes no invocation error. Their check
 * still runs (an empty result must be the truth), and test/events-table.test.ts runs them over the
 * SDK fixtures, which have such rows.
 */
const EMPTY_ON_DEMO = new Set(['failed-invocations']);

describe('the query cookbook runs in DuckDB, through the Trino shim, over an exported synthetic lake', () => {
  let work: string;
  let lake: LakeSession;
  let truth: Truth;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'cookbook-'));
    // The demo's data set: `make demo` serves 200 executions of seed 42 for orders and payments.
    const { source } = await exportSyntheticLake(join(work, 'lake'), { count: 200, seed: 42 });
    const executions = truthOf(source);
    truth = { executions, ops: executions.flatMap((e) => e.operations) };
    lake = await openLakeSession(join(work, 'lake'));
  });
  afterAll(async () => {
    lake?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('has at least ten queries, each with a unique id, a question and a check', () => {
    expect(COOKBOOK.length).toBeGreaterThanOrEqual(10);
    expect(new Set(COOKBOOK.map((q) => q.id)).size).toBe(COOKBOOK.length);
    for (const q of COOKBOOK) {
      expect(q.question).toMatch(/^[A-Z].*\.$/);
      expect(Object.keys(CHECKS)).toContain(q.id);
    }
  });

  for (const query of COOKBOOK) {
    it(`${query.id}: ${query.title}`, async () => {
      const rows = plain(rowObjects(await lake.query(query.sql)));
      if (!EMPTY_ON_DEMO.has(query.id)) expect(rows.length).toBeGreaterThan(0);
      CHECKS[query.id]?.(rows, truth);
    });
  }

  it.each(TRINO_SHIM.map((m) => [m.trino, m]))(
    'shim macro %s gives its documented result',
    async (_, macro) => {
      const result = await lake.query(macro.example);
      expect(result.text[0]?.[0]).toBe(macro.result);
    },
  );
});
