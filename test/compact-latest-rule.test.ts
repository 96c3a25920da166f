/**
 * `compact` keeps the version of each row that the latest views show (the schema's one rule,
 * `compareLatest`: newest `exported_at` first), also when manifest order says otherwise: a job whose
 * manifest is named later (it committed later) but whose rows were exported earlier (its batch began
 * before the other job's, as a resumed run's does).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchCommitter } from '../src/commit/batch-committer.js';
import { type JobDefinition, jobDefinitionOf, jobIdOf } from '../src/commit/job-id.js';
import { readJobState } from '../src/commit/job-state.js';
import { compactLake } from '../src/compact/compact-lake.js';
import { LocalConditionalObjects } from '../src/lake/conditional-objects.js';
import { LocalObjectReader } from '../src/lake/local-object-reader.js';
import { compareLatest } from '../src/schema/index.js';
import { LocalObjectStore } from '../src/sink/local-object-store.js';
import { verifyLake } from '../src/verify/verify-lake.js';
import { execution } from './support/commit-fixtures.js';
import { readLakeTable } from './support/lake-reader.js';

describe('compaction keeps the latest version by the latest rule, not by manifest order', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'compact-rule-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('ranks like the views: newest exported_at, then run id, end time, status; NULLs last', () => {
    const at = (iso: string | null) => ({ exported_at: iso === null ? null : new Date(iso) });
    expect(compareLatest(at('2026-01-02T00:00:00Z'), at('2026-01-01T00:00:00Z'))).toBeLessThan(0);
    expect(compareLatest(at(null), at('2026-01-01T00:00:00Z'))).toBeGreaterThan(0);
    const same = { exported_at: new Date(0), export_run_id: 'r1' };
    expect(
      compareLatest({ ...same, end_timestamp: new Date(5) }, { ...same, end_timestamp: null }),
    ).toBeLessThan(0);
    expect(compareLatest({ ...same, status: 'FAILED' }, { ...same, status: 'SUCCEEDED' })).toBeLessThan(0);
    expect(compareLatest(same, { ...same })).toBe(0);
  });

  it('a later manifest with older rows loses to the newer rows of an earlier manifest', async () => {
    const root = join(dir, 'lake');
    const lake = { store: new LocalObjectStore(root), reader: new LocalObjectReader(root), prefix: '' };
    const commit = async (definition: JobDefinition, runId: string, exportedAt: string) => {
      const jobId = jobIdOf(definition);
      const committer = new BatchCommitter({
        ...lake,
        jobId,
        runId,
        definition,
        state: await readJobState(lake.reader, '', jobId),
        batchExecutions: 10,
        batchRows: 1000,
        now: () => new Date(exportedAt),
      });
      for (const i of [1, 2, 3]) await committer.write(execution(i, '2026-01-01'));
      await committer.close();
    };
    const request = { functions: ['orders'], statuses: [], out: root };
    // Newer rows, earlier manifest name.
    const newer = '20260102T000000Z-aaaaaaaaaaaa-0001';
    await commit(jobDefinitionOf(request, 'history'), newer, '2026-01-02T00:00:00Z');
    // Older rows, later manifest name.
    const older = '20260103T000000Z-bbbbbbbbbbbb-0001';
    const other = { ...request, startedAfter: new Date('2000-01-01T00:00:00Z') };
    await commit(jobDefinitionOf(other, 'history'), older, '2026-01-01T00:00:00Z');

    const before = await readLakeTable(root, 'operations');
    expect(before.rows).toHaveLength(18);
    await compactLake({ ...lake, conditional: new LocalConditionalObjects(root) }, { before: '2100-01-01' });
    for (const table of ['operations', 'executions']) {
      const { rows } = await readLakeTable(root, table);
      expect(rows.length, table).toBe(table === 'operations' ? 9 : 3);
      expect(new Set(rows.map((r) => r.export_run_id)), table).toEqual(new Set([newer]));
    }
    expect((await verifyLake({ ...lake, label: root }, { duckdb: false })).problems).toEqual([]);
  });
});
