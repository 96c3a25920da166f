import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planBatchFiles } from '../src/commit/batch-plan.js';
import { jobDefinitionOf, jobIdOf } from '../src/commit/job-id.js';
import { readJobState } from '../src/commit/job-state.js';
import { batchFileKey, batchKey } from '../src/commit/state-keys.js';
import { writeBatch } from '../src/commit/write-batch.js';
import { writeBatchFile } from '../src/commit/write-batch-file.js';
import { LocalObjectReader } from '../src/lake/local-object-reader.js';
import { TABLE_NAMES } from '../src/schema/index.js';
import { LocalObjectStore } from '../src/sink/local-object-store.js';
import type { ExecutionRows } from '../src/transform/execution-rows.js';
import { arn, execution } from './support/commit-fixtures.js';

/** The (table, day) groups of a batch of executions, with their row counts. */
function groupsOf(executions: readonly ExecutionRows[]) {
  const groups = new Map<
    string,
    { table: (typeof TABLE_NAMES)[number]; dt: string; executions: string[]; rows: number }
  >();
  for (const e of executions) {
    for (const table of TABLE_NAMES) {
      if (e.tables[table].length === 0) continue;
      const id = `${table}/${e.dt}`;
      const group = groups.get(id) ?? { table, dt: e.dt, executions: [], rows: 0 };
      groups.set(id, group);
      group.executions.push(e.executionArn);
      group.rows += e.tables[table].length;
    }
  }
  return [...groups.values()];
}

describe('job identity', () => {
  const request = { functions: ['orders', 'payments'], statuses: ['FAILED'], out: './lake' };

  it('is the same for the same functions, window, statuses and source, in any order, wherever the lake is', () => {
    const id = jobIdOf(jobDefinitionOf(request, 'history'));
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    const reordered = { ...request, functions: ['payments', 'orders', 'orders'], out: 's3://b/p' };
    expect(jobIdOf(jobDefinitionOf(reordered, 'history'))).toBe(id);
  });

  it('differs when what is exported differs', () => {
    const id = jobIdOf(jobDefinitionOf(request, 'history'));
    const others = [
      jobDefinitionOf({ ...request, functions: ['orders'] }, 'history'),
      jobDefinitionOf({ ...request, statuses: [] }, 'history'),
      jobDefinitionOf({ ...request, startedAfter: new Date('2026-01-01T00:00:00Z') }, 'history'),
      jobDefinitionOf({ ...request, startedBefore: new Date('2026-01-01T00:00:00Z') }, 'history'),
      jobDefinitionOf(request, 'state'),
      jobDefinitionOf(request, 'history', { result: 'drop' }),
      jobDefinitionOf(request, 'history', { result: 'truncate:10' }),
      jobDefinitionOf({ ...request, tables: ['operations', 'executions'] }, 'history'),
      jobDefinitionOf({ ...request, tables: ['executions', 'events'] }, 'history'),
    ];
    expect(new Set(others.map(jobIdOf)).size).toBe(others.length);
    expect(others.map(jobIdOf)).not.toContain(id);
    // No rules at all is the same job as before redaction existed.
    expect(jobIdOf(jobDefinitionOf(request, 'history', {}))).toBe(id);
    // Every table, named or by default, in any order, is one job.
    const all = { ...request, tables: ['invocations', 'events', 'executions', 'operations'] as const };
    expect(jobIdOf(jobDefinitionOf({ ...all, tables: [...all.tables] }, 'history'))).toBe(id);
    expect(jobIdOf(jobDefinitionOf({ ...request, tables: ['events', 'executions'] }, 'history'))).toBe(
      jobIdOf(jobDefinitionOf({ ...request, tables: ['executions', 'events'] }, 'history')),
    );
  });
});

/** The owner of the batches of these tests: job `job0`, begun by run `run-a`. */
const OWNER = { jobId: 'job0', runId: 'run-a' };

describe('batch files', () => {
  it('are named after the sorted ARNs, table, day, schema version and the batch owner', () => {
    const key = batchFileKey('p', OWNER, 'operations', '2026-01-02', [arn(2), arn(1)]);
    expect(key).toMatch(/^p\/operations\/dt=2026-01-02\/part-[0-9a-f]{32}\.parquet$/);
    expect(batchFileKey('p', OWNER, 'operations', '2026-01-02', [arn(1), arn(2)])).toBe(key);
    expect(batchFileKey('p', OWNER, 'executions', '2026-01-02', [arn(1), arn(2)])).not.toBe(key);
    expect(batchFileKey('p', OWNER, 'operations', '2026-01-03', [arn(1), arn(2)])).not.toBe(key);
    expect(batchFileKey('p', OWNER, 'operations', '2026-01-02', [arn(1)])).not.toBe(key);
    // Another job, or another run of the job, exporting the same executions never meets the file.
    const other = [
      { ...OWNER, jobId: 'job1' },
      { ...OWNER, runId: 'run-2' },
    ];
    for (const owner of other) {
      expect(batchFileKey('p', owner, 'operations', '2026-01-02', [arn(1), arn(2)])).not.toBe(key);
    }
  });

  it('hold whole executions: one file per table and day with every row of its executions', () => {
    const files = planBatchFiles(
      '',
      OWNER,
      groupsOf([execution(1, '2026-01-01', 2), execution(2, '2026-01-02', 4), execution(3, '2026-01-01', 1)]),
    );
    const summary = files.map((f) => [f.table, f.dt, f.executions.length, f.rows]);
    expect(summary.sort()).toEqual(
      [
        ['executions', '2026-01-01', 2, 2],
        ['executions', '2026-01-02', 1, 1],
        ['operations', '2026-01-01', 2, 3],
        ['operations', '2026-01-02', 1, 4],
      ].sort(),
    );
  });

  it('keep the recorded keys when a batch is re-done, and name only new groups afresh', () => {
    const recorded = [
      {
        key: 'operations/dt=2026-01-01/part-recorded.parquet',
        table: 'operations' as const,
        dt: '2026-01-01',
        executions: [arn(1)],
      },
    ];
    const files = planBatchFiles('', OWNER, groupsOf([execution(1, '2026-01-01')]), recorded);
    expect(files.find((f) => f.table === 'operations')?.key).toBe(recorded[0]?.key);
    expect(files.find((f) => f.table === 'executions')?.key).toBe(
      batchFileKey('', OWNER, 'executions', '2026-01-01', [arn(1)]),
    );
  });
});

describe('writing a batch', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'batches-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const context = (root: string, runId = 'run-a') => ({
    store: new LocalObjectStore(root),
    reader: new LocalObjectReader(root),
    prefix: '',
    jobId: 'job0',
    runId,
  });

  it('records intent, files with SHA-256, then done; the state shows it done', async () => {
    const root = join(dir, 'plain');
    const done = await writeBatch(context(root), {
      batch: 0,
      executions: [execution(1, '2026-01-01'), execution(2, '2026-01-01')],
    });
    expect(done.files).toHaveLength(2);
    for (const file of done.files) {
      const bytes = await readFile(join(root, file.key));
      expect(file.bytes).toBe(bytes.length);
      expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(file.adopted).toBe(false);
      expect(file.executions).toEqual([arn(1), arn(2)]);
    }
    expect(done.files.find((f) => f.table === 'operations')?.rows).toBe(6);
    const state = await readJobState(new LocalObjectReader(root), '', 'job0');
    expect(state).toMatchObject({ nextBatch: 1, pending: [] });
    expect([...state.committed].sort()).toEqual([arn(1), arn(2)]);
  });

  it('adopts a file that already exists under its key instead of writing it again', async () => {
    const root = join(dir, 'adopt');
    const first = await writeBatch(context(root), { batch: 0, executions: [execution(1, '2026-01-01')] });
    const file = first.files[0];
    if (!file) throw new Error('no file');
    const before = await readFile(join(root, file.key));
    // A second attempt at the same rows (its spooled bytes: here any file) meets the file.
    const [planned] = planBatchFiles('', OWNER, groupsOf([execution(1, '2026-01-01')])).filter(
      (f) => f.key === file.key,
    );
    if (!planned) throw new Error('not planned');
    const adopted = await writeBatchFile(
      { ...planned, path: join(root, batchKey('', 'job0', 0, 'intent')) },
      { ...context(root, 'run-b'), batchExecutions: new Set([arn(1)]) },
    );
    expect(adopted).toMatchObject({
      key: file.key,
      adopted: true,
      rows: file.rows,
      bytes: file.bytes,
      sha256: file.sha256,
    });
    expect(await readFile(join(root, file.key))).toEqual(before);
  });

  it('refuses to adopt a file holding executions that are not in the batch, and leaves it alone', async () => {
    const root = join(dir, 'foreign');
    const done = await writeBatch(context(root), { batch: 0, executions: [execution(7, '2026-01-01')] });
    const file = done.files.find((f) => f.table === 'operations');
    if (!file) throw new Error('no file');
    const planned = {
      key: file.key,
      table: 'operations' as const,
      dt: '2026-01-01',
      executions: [arn(8)],
      path: join(root, batchKey('', 'job0', 0, 'intent')),
      rows: 0,
    };
    await expect(
      writeBatchFile(planned, { ...context(root, 'run-b'), batchExecutions: new Set([arn(8)]) }),
    ).rejects.toThrow(/exists but cannot be adopted .* not in the batch, e\.g\. .*x-7; it is left untouched/);
  });

  it('stops when another run wrote the same batch (its intent exists)', async () => {
    const root = join(dir, 'conflict');
    await writeBatch(context(root, 'run-a'), { batch: 0, executions: [execution(1, '2026-01-01')] });
    await rm(join(root, batchKey('', 'job0', 0, 'done')));
    await expect(
      writeBatch(context(root, 'run-b'), { batch: 0, executions: [execution(2, '2026-01-01')] }),
    ).rejects.toThrow(/batch-000000\.intent\.json already exists: another run of job job0 wrote batch 0/);
  });

  it('re-does a stopped batch with exactly its recorded executions, reporting any it did not get', async () => {
    const root = join(dir, 'redo');
    await writeBatch(context(root), {
      batch: 0,
      executions: [execution(1, '2026-01-01'), execution(2, '2026-01-02')],
    });
    await rm(join(root, batchKey('', 'job0', 0, 'done')));
    const state = await readJobState(new LocalObjectReader(root), '', 'job0');
    expect(state.pending.map((p) => p.batch)).toEqual([0]);
    expect(state.committed.size).toBe(0);
    // Only execution 2 comes back; execution 1's files were completed before the "crash".
    const done = await writeBatch(context(root, 'run-b'), {
      batch: 0,
      executions: [execution(2, '2026-01-02')],
      intent: state.pending[0],
    });
    expect(done.missing).toEqual([]);
    expect(done.files.every((f) => f.adopted)).toBe(true);
    expect(new Set(done.files.flatMap((f) => f.executions))).toEqual(new Set([arn(1), arn(2)]));
  });
});
