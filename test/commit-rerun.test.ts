import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchKey } from '../src/commit/state-keys.js';
import type { Config } from '../src/config/config-schema.js';
import { loadConfig } from '../src/config/load-config.js';
import { runExportJob } from '../src/export-job.js';
import { downloadLake } from '../src/lake/download-lake.js';
import { type Lake, openLake } from '../src/lake/open-lake.js';
import type { LocalS3 } from '../src/local/local-s3.js';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { parseOutputLocation } from '../src/sink/output-location.js';
import { verifyLake } from '../src/verify/verify-lake.js';
import { type PreconditionProxy, startPreconditionProxy } from './sink-precondition-proxy.js';
import { compareLakeWithSource, noDifference } from './support/lake-equality.js';
import { rateLimitsAll } from './support/rate-limits.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

const BUCKET = 'rerun-lake';
const source = generateSyntheticExecutions({ count: 30, seed: 21, functionNames: ['orders', 'payments'] });

/** Every object of the lake with its size: what a run changed. */
async function snapshot(lake: Lake): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for await (const o of lake.reader.list(lake.prefix === '' ? '' : `${lake.prefix}/`)) out[o.key] = o.bytes;
  return out;
}

describe.each(['s3', 'local'] as const)('re-running an export into the same lake (%s)', (kind) => {
  const servers = useTestServers('rerun-');
  let s3: LocalS3;
  let proxy: PreconditionProxy;
  let service: RunningLocalService;
  let config: Config;
  let lake: Lake;
  let out: string;

  const exportOnce = () =>
    runExportJob(config, {
      endpointUrlLambda: service.url,
      endpointUrlS3: kind === 's3' ? proxy.endpoint : undefined,
    });

  /** The lake as a local directory, for DuckDB. */
  async function lakeDir(): Promise<string> {
    if (kind === 'local') return out;
    const dir = await mkdtemp(join(servers.work, 'copy-'));
    await downloadLake(s3.client(), BUCKET, 'lake', dir);
    return dir;
  }

  beforeAll(async () => {
    Object.assign(process.env, LOCAL_AWS_ENV);
    s3 = await servers.localS3(BUCKET);
    proxy = servers.own(await startPreconditionProxy(s3.endpoint));
    service = await servers.localService({ executions: source });
    out = kind === 's3' ? `s3://${BUCKET}/lake` : join(servers.work, 'lake');
    config = await loadConfig({
      flags: {
        lambda: { rateLimits: rateLimitsAll(1000), maxConcurrent: 8 },
        sink: { batchExecutions: 7, rowGroupRows: 50 },
        export: { functions: ['orders', 'payments'], out },
      },
    });
    lake = openLake(parseOutputLocation(out), kind === 's3' ? { endpointUrlS3: proxy.endpoint } : {});
  });

  afterAll(async () => {
    lake?.close();
  });

  it('the first run exports every execution in batches and commits a manifest', async () => {
    const summary = await exportOnce();
    expect(summary.executionsExported).toBe(source.length);
    expect(summary.commit).toMatchObject({ batchesWritten: 5, batchesResumed: 0, manifestWritten: true });
    expect(await compareLakeWithSource(await lakeDir(), source)).toEqual(noDifference(source));
    expect((await verifyLake(lake)).problems).toEqual([]);
  });

  it('a second run reads no history, writes nothing and leaves the lake byte-for-byte the same', async () => {
    const before = await snapshot(lake);
    const requestsBefore = service.requestCount();
    const summary = await exportOnce();
    expect(summary.executionsExported).toBe(0);
    expect(summary.executionsSkipped).toBe(source.length);
    expect(summary.files).toEqual([]);
    expect(summary.commit).toMatchObject({ batchesWritten: 0, manifestWritten: false });
    // Only the two listings (one page each): no history of a committed execution is read again.
    expect(service.requestCount() - requestsBefore).toBe(2);
    expect(await snapshot(lake)).toEqual(before);
    expect(await compareLakeWithSource(await lakeDir(), source)).toEqual(noDifference(source));
    const report = await verifyLake(lake);
    expect(report.problems).toEqual([]);
    expect(report.filesOk).toBe(report.filesExpected);
  });

  it('a run stopped inside a batch is re-done with the same keys, adopting the files it completed', async () => {
    // As if the run was killed after batch 2's intent and some of its files, before its done record:
    // remove the done record, one of the batch's data files, and the manifest.
    const jobId = summaryJobId(await exportOnce());
    const doneKey = batchKey(lake.prefix, jobId, 2, 'done');
    const done = JSON.parse(new TextDecoder().decode(await lake.reader.read(doneKey))) as {
      files: { key: string }[];
    };
    expect(done.files.length).toBeGreaterThan(1);
    const manifests = Object.keys(await snapshot(lake)).filter(
      (k) => k.includes('/_manifests/') || k.startsWith('_manifests/'),
    );
    for (const key of [doneKey, done.files[0]?.key as string, ...manifests]) await remove(key);

    const unverified = await verifyLake(lake);
    expect(unverified.problems.map((p) => p.kind)).toContain('manifest'); // nothing committed now

    const summary = await exportOnce();
    expect(summary.commit).toMatchObject({
      batchesWritten: 0,
      batchesResumed: 1,
      filesAdopted: done.files.length - 1,
      manifestWritten: true,
    });
    expect(summary.executionsExported).toBe(7);
    expect(summary.files.map((f) => f.key).sort()).toEqual(done.files.map((f) => f.key).sort());
    expect(await compareLakeWithSource(await lakeDir(), source)).toEqual(noDifference(source));
    expect((await verifyLake(lake)).problems).toEqual([]);
  });

  async function remove(key: string): Promise<void> {
    if (kind === 's3') await s3.client().send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
    else await rm(lake.reader.describe(key));
  }
});

function summaryJobId(summary: { commit?: { jobId: string } }): string {
  if (!summary.commit) throw new Error('no commit summary');
  return summary.commit.jobId;
}
