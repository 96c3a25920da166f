import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchCommitter } from '../src/commit/batch-committer.js';
import { jobDefinitionOf, jobIdOf } from '../src/commit/job-id.js';
import { readJobState } from '../src/commit/job-state.js';
import { batchKey } from '../src/commit/state-keys.js';
import { writeBatch } from '../src/commit/write-batch.js';
import { LocalObjectReader } from '../src/lake/local-object-reader.js';
import { LocalObjectStore } from '../src/sink/local-object-store.js';
import { verifyLake } from '../src/verify/verify-lake.js';
import { arn, execution } from './support/commit-fixtures.js';

describe('the committing sink', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'committer-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('re-does a stopped batch at close with what arrived, and reports executions it could not complete', async () => {
    const root = join(dir, 'lake');
    const definition = jobDefinitionOf({ functions: ['orders'], statuses: [], out: root }, 'history');
    const jobId = jobIdOf(definition);
    const lake = {
      store: new LocalObjectStore(root),
      reader: new LocalObjectReader(root),
      prefix: '',
      jobId,
    };
    // A run completed batch 0's operations file, then stopped: no executions file, no done record.
    const first = await writeBatch(
      { ...lake, runId: 'run-a' },
      { batch: 0, executions: [execution(1, '2026-01-01'), execution(2, '2026-01-01')] },
    );
    await rm(join(root, batchKey('', jobId, 0, 'done')));
    await rm(join(root, first.files.find((f) => f.table === 'executions')?.key as string));

    const open = async (runId: string) =>
      new BatchCommitter({
        ...lake,
        runId,
        definition,
        state: await readJobState(lake.reader, '', jobId),
        batchExecutions: 10,
        batchRows: 1000,
      });
    const committer = await open('run-b');
    expect(committer.isCommitted(arn(1))).toBe(false);
    await committer.write(execution(1, '2026-01-01')); // execution 2 cannot be read any more
    await committer.write(execution(3, '2026-01-02')); // a new one: batch 1
    const { commit } = await committer.close();
    expect(commit).toMatchObject({
      batchesResumed: 1,
      batchesWritten: 1,
      filesAdopted: 1,
      manifestWritten: true,
      executionsNotFound: [arn(2)],
      executionsPartial: [arn(2)],
    });

    // Execution 2's operations are in the adopted file: it counts as committed, never doubled.
    const again = await open('run-c');
    expect([1, 2, 3].map((i) => again.isCommitted(arn(i)))).toEqual([true, true, true]);
    const report = await verifyLake({ reader: lake.reader, prefix: '', label: root }, { duckdb: false });
    expect(report.problems.map((p) => [p.kind, p.detail])).toEqual([
      ['incomplete', `1 execution(s) have operations here but no executions row, e.g. ${arn(2)}`],
    ]);
  });
});
