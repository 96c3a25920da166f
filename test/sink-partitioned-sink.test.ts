import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalObjectStore } from '../src/sink/local-object-store.js';
import { PartitionedSink, type PartitionedSinkOptions } from '../src/sink/partitioned-sink.js';
import { S3ObjectStore } from '../src/sink/s3-object-store.js';
import { executionRow, operationRow, readWithDuckDB } from './sink-fixtures.js';
import { useTestServers } from './support/test-servers.js';

const servers = useTestServers('sink-partitioned-');
let client: S3Client;
let dir: string;
beforeAll(async () => {
  client = (await servers.localS3('same')).client();
  dir = servers.work;
});

/** All files under `root`, as `/`-separated keys. */
async function localKeys(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/** All keys in `bucket`, two per ListObjectsV2 page (s3rver's paging needs the legacy provider). */
async function s3Keys(bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 2, ContinuationToken: token }),
    );
    keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
    token = page.NextContinuationToken;
  } while (token);
  return keys.sort();
}

function localSink(name: string, options: Partial<PartitionedSinkOptions> = {}) {
  const root = join(dir, name);
  return {
    root,
    sink: new PartitionedSink({ store: new LocalObjectStore(root), prefix: '', runId: 'run1', ...options }),
  };
}

describe('PartitionedSink', () => {
  it('rotates a file at maxFileRows and numbers the parts', async () => {
    const { root, sink } = localSink('rotate', { maxFileRows: 4, rowGroupRows: 3 });
    const rows = Array.from({ length: 10 }, (_, i) => operationRow(i));
    await sink.write('operations', '2025-01-31', rows.slice(0, 3));
    await sink.write('operations', '2025-01-31', rows.slice(3, 8));
    await sink.write('operations', '2025-01-31', rows.slice(8));
    const { files } = await sink.close();
    expect(files.map(({ key, rows }) => ({ key, rows }))).toEqual([
      { key: 'operations/dt=2025-01-31/part-run1-00000.parquet', rows: 4 },
      { key: 'operations/dt=2025-01-31/part-run1-00001.parquet', rows: 4 },
      { key: 'operations/dt=2025-01-31/part-run1-00002.parquet', rows: 2 },
    ]);
    const ids: unknown[] = [];
    for (const file of files) {
      const back = await readWithDuckDB(join(root, file.key), 'operation_id');
      expect(back.rows).toHaveLength(file.rows);
      ids.push(...back.rows.map((r) => r.operation_id));
    }
    expect(ids.sort()).toEqual(rows.map((r) => r.operation_id).sort());
    expect(await localKeys(root)).toEqual(files.map((f) => f.key));
  });

  it('keeps at most maxOpenFiles open, completing the least recently used', async () => {
    const { sink } = localSink('lru', { maxOpenFiles: 2 });
    await sink.write('executions', '2025-01-01', [executionRow(0)]);
    await sink.write('executions', '2025-01-02', [executionRow(1)]);
    await sink.write('executions', '2025-01-01', [executionRow(2)]); // 01 is now most recent
    await sink.write('operations', '2025-01-03', [operationRow(0)]); // completes 02
    expect(sink.completed.map((f) => f.key)).toEqual(['executions/dt=2025-01-02/part-run1-00000.parquet']);
    await sink.write('executions', '2025-01-02', [executionRow(3)]); // completes 01, reopens 02 as 00001
    const { files } = await sink.close();
    expect(files.map(({ key, rows }) => [key, rows])).toEqual([
      ['executions/dt=2025-01-01/part-run1-00000.parquet', 2],
      ['executions/dt=2025-01-02/part-run1-00000.parquet', 1],
      ['executions/dt=2025-01-02/part-run1-00001.parquet', 1],
      ['operations/dt=2025-01-03/part-run1-00000.parquet', 1],
    ]);
  });

  it('writes the same keys and bytes to a local directory as to S3, under a prefix', async () => {
    const options = { prefix: 'lake/durable', runId: 'same-run', maxFileRows: 7, maxOpenFiles: 2 };
    const root = join(dir, 'same');
    const sinks = [
      new PartitionedSink({ store: new LocalObjectStore(root), ...options }),
      new PartitionedSink({ store: new S3ObjectStore({ client, bucket: 'same' }), ...options }),
    ];
    const summaries = [];
    for (const sink of sinks) {
      for (let i = 0; i < 30; i++) {
        const dt = `2025-01-0${1 + (i % 3)}`;
        await sink.write('operations', dt, [operationRow(i), operationRow(i + 100)]);
        await sink.write('executions', dt, [executionRow(i)]);
      }
      summaries.push(await sink.close());
    }
    expect(summaries[0]).toEqual(summaries[1]);
    const keys = await s3Keys('same');
    expect(keys.length).toBeGreaterThan(6);
    expect(
      keys.every((k) =>
        /^lake\/durable\/(operations|executions)\/dt=2025-01-0\d\/part-same-run-\d{5}\.parquet$/.test(k),
      ),
    ).toBe(true);
    expect(await localKeys(root)).toEqual(keys);
    expect(summaries[0]?.files.map((f) => f.key)).toEqual(keys);
    const s3Bytes = await client.send(
      new (await import('@aws-sdk/client-s3')).GetObjectCommand({ Bucket: 'same', Key: keys[0] }),
    );
    const fromS3 = await s3Bytes.Body?.transformToByteArray();
    expect(Buffer.compare(Buffer.from(fromS3 ?? []), await readFile(join(root, keys[0] ?? '')))).toBe(0);
  });

  it('leaves nothing behind when aborted, locally', async () => {
    const { root, sink } = localSink('abort', { rowGroupRows: 2 });
    await sink.write(
      'operations',
      '2025-01-31',
      Array.from({ length: 5 }, (_, i) => operationRow(i)),
    );
    expect((await readdir(join(root, 'operations/dt=2025-01-31')))[0]).toMatch(
      /^_part-run1-00000\.parquet\.[0-9a-f]{8}\.tmp$/,
    );
    await sink.abort(new Error('SIGTERM'));
    expect(await localKeys(root)).toEqual([]);
    await expect(sink.write('operations', '2025-01-31', [operationRow(9)])).rejects.toThrow(
      'the sink was aborted',
    );
  });

  it('fails as a whole after an upload failure and reports what it completed', async () => {
    const store = new S3ObjectStore({ client, bucket: 'missing-bucket' });
    const sink = new PartitionedSink({ store, prefix: '', runId: 'r', maxOpenFiles: 1 });
    // Small objects are sent in one PUT when completed, so the failure shows at the first completion.
    await sink.write('operations', '2025-01-31', [operationRow(0), operationRow(1)]);
    const first = await sink.write('operations', '2025-02-01', [operationRow(2)]).catch((e: unknown) => e);
    expect(first).toMatchObject({
      errorType: 'upload_failed',
      bucket: 'missing-bucket',
      key: 'operations/dt=2025-01-31/part-r-00000.parquet',
    });
    const again = await sink.close().catch((e: unknown) => e);
    expect(again).toMatchObject({ errorType: 'closed', cause: first });
    expect((again as Error).message).toMatch(/^the sink failed earlier: s3:\/\/missing-bucket\/operations/);
    expect(sink.completed).toEqual([]);
  });

  it('validates dt, run id and prefix before writing', async () => {
    const { sink } = localSink('invalid');
    await expect(sink.write('operations', '2025-02-30', [operationRow(0)])).rejects.toThrow(
      'invalid partition dt "2025-02-30": expected a calendar date YYYY-MM-DD',
    );
    const store = new LocalObjectStore(dir);
    expect(() => new PartitionedSink({ store, prefix: '', runId: '_hidden' })).toThrow(
      /invalid run id "_hidden"/,
    );
    expect(() => new PartitionedSink({ store, prefix: '/abs', runId: 'r' })).toThrow(
      /invalid key prefix "\/abs"/,
    );
    expect(() => new PartitionedSink({ store, prefix: '', runId: 'r', maxOpenFiles: 0 })).toThrow(
      'PartitionedSink maxOpenFiles must be a positive integer, got 0',
    );
  });
});
