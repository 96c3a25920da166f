/**
 * Real parts end to end: our S3 store, the real S3Client, a real s3rver child process, and DuckDB
 * reading back the objects downloaded from it.
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ColumnSpec, ColumnType } from '../src/schema/index.js';
import { executionsTable, operationsTable } from '../src/schema/index.js';
import type { ObjectSink } from '../src/sink/object-sink.js';
import { ParquetFileWriter } from '../src/sink/parquet-file-writer.js';
import { PartitionedSink } from '../src/sink/partitioned-sink.js';
import { S3ObjectStore } from '../src/sink/s3-object-store.js';
import { SinkError } from '../src/sink/sink-error.js';
import { asDuckDBRow, executionRow, operationRow, RecordingSink, readWithDuckDB } from './sink-fixtures.js';
import { useTestServers } from './support/test-servers.js';

const BUCKET = 'lake';
const DUCKDB_TYPE: Record<ColumnType, string> = {
  string: 'VARCHAR',
  timestamp: 'TIMESTAMP WITH TIME ZONE',
  bigint: 'BIGINT',
  int: 'INTEGER',
  boolean: 'BOOLEAN',
};

const servers = useTestServers('sink-s3-');
let client: S3Client;
let dir: string;

beforeAll(async () => {
  client = (await servers.localS3(BUCKET)).client();
  dir = servers.work;
});

async function download(key: string): Promise<{ path: string; bytes: Uint8Array }> {
  const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  const bytes = (await object.Body?.transformToByteArray()) ?? new Uint8Array();
  const path = join(dir, key.replaceAll('/', '_'));
  await writeFile(path, bytes);
  return { path, bytes };
}

function expectedTypes(columns: readonly ColumnSpec[]): Record<string, string> {
  return Object.fromEntries(columns.map((c) => [c.name, DUCKDB_TYPE[c.type]]));
}

const bigintsOf = (columns: readonly ColumnSpec[]) =>
  columns.filter((c) => c.type === 'bigint').map((c) => c.name);

/** Incompressible ASCII, deterministic: base64 of a SHA-256 counter stream. */
function noise(seed: number, length: number): string {
  const blocks: Buffer[] = [];
  for (let n = 0; blocks.length * 32 < length; n++)
    blocks.push(createHash('sha256').update(`${seed}:${n}`).digest());
  return Buffer.concat(blocks).toString('base64').slice(0, length);
}

/** Records the names of the commands `client` sends while `body` runs. */
async function commandsSent(body: () => Promise<void>): Promise<string[]> {
  const names: string[] = [];
  const name = 'record-command-names';
  client.middlewareStack.add(
    (next, context) => (args) => {
      names.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name },
  );
  try {
    await body();
  } finally {
    client.middlewareStack.remove(name);
  }
  return names;
}

describe('Parquet to s3rver and back through DuckDB', () => {
  it('round-trips operation rows: types, nulls, values, unicode, control characters, 300 KB strings', async () => {
    const big = `${'€'.repeat(50_000)}${noise(7, 160_000)}end`; // > 300 KB of UTF-8
    const rows = Array.from({ length: 40 }, (_, i) => operationRow(i));
    rows[1] = operationRow(1, {
      name: 'naïve 日本語 😀 \u0000\u0001\t\r\n\u001b[31m\u007f\u2028 "quoted" \\ back',
    });
    rows[4] = operationRow(4, { result: big, error_message: '' });
    rows[7] = operationRow(7, {
      start_timestamp: new Date('1970-01-01T00:00:00.001Z'),
      duration_ms: 2 ** 53 - 1,
    });
    rows[8] = operationRow(8, { start_timestamp: new Date('2262-04-11T23:47:16.854Z'), depth: -2147483648 });
    const sink = new PartitionedSink({
      store: new S3ObjectStore({ client, bucket: BUCKET }),
      prefix: 'rt',
      runId: 'ops',
    });
    await sink.write('operations', '2025-01-31', rows.slice(0, 10));
    await sink.write('operations', '2025-01-31', rows.slice(10));
    const { files } = await sink.close();
    expect(files).toEqual([
      {
        key: 'rt/operations/dt=2025-01-31/part-ops-00000.parquet',
        table: 'operations',
        dt: '2025-01-31',
        rows: 40,
        bytes: expect.any(Number),
      },
    ]);

    const { path, bytes } = await download(files[0]?.key ?? '');
    expect(bytes.byteLength).toBe(files[0]?.bytes);
    const back = await readWithDuckDB(path, 'operation_id');
    expect(back.types).toEqual(expectedTypes(operationsTable.columns));
    const expected = rows
      .map((r) => asDuckDBRow(r, bigintsOf(operationsTable.columns)))
      .sort((a, b) => (String(a.operation_id) < String(b.operation_id) ? -1 : 1));
    expect(back.rows).toEqual(expected);
    const bigBack = back.rows.find((r) => r.operation_id === 'op-4');
    expect(Buffer.byteLength(String(bigBack?.result))).toBeGreaterThan(300_000);
    expect(bigBack?.result === big).toBe(true);
    expect(back.rows.find((r) => r.operation_id === 'op-2')?.end_timestamp).toBeNull();
  });

  it('round-trips execution rows', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => executionRow(i));
    const store = new S3ObjectStore({ client, bucket: BUCKET });
    const writer = new ParquetFileWriter({
      table: executionsTable,
      sink: store.open('rt/executions/x.parquet'),
      rowGroupRows: 10,
    });
    await writer.write(rows);
    expect(await writer.close()).toMatchObject({ rows: 25, rowGroups: 3 });
    const back = await readWithDuckDB((await download('rt/executions/x.parquet')).path, 'execution_name');
    expect(back.types).toEqual(expectedTypes(executionsTable.columns));
    const expected = rows
      .map((r) => asDuckDBRow(r, bigintsOf(executionsTable.columns)))
      .sort((a, b) => (String(a.execution_name) < String(b.execution_name) ? -1 : 1));
    expect(back.rows).toEqual(expected);
  });

  it('uploads a file over 5 MiB as a multipart upload, byte-exact', async () => {
    const store = new S3ObjectStore({ client, bucket: BUCKET, partSizeBytes: 5 * 1024 * 1024 });
    const key = 'rt/operations/dt=2025-02-01/big.parquet';
    const rows = Array.from({ length: 400 }, (_, i) =>
      operationRow(i, { input_payload: noise(i + 1, 20_000) }),
    );
    const writeAll = async (sink: ObjectSink) => {
      const writer = new ParquetFileWriter({ table: operationsTable, sink, rowGroupRows: 100 });
      for (let i = 0; i < rows.length; i += 50) await writer.write(rows.slice(i, i + 50));
      return writer.close();
    };
    let bytes = 0;
    const commands = await commandsSent(async () => {
      bytes = (await writeAll(store.open(key))).bytes;
    });
    expect(bytes).toBeGreaterThan(7 * 1024 * 1024);
    expect(commands).toEqual([
      'CreateMultipartUploadCommand',
      'UploadPartCommand',
      'UploadPartCommand',
      'CompleteMultipartUploadCommand',
    ]);
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(head.ContentLength).toBe(bytes);
    const local = new RecordingSink(key);
    await writeAll(local);
    const downloaded = await download(key);
    expect(Buffer.compare(downloaded.bytes, local.bytes())).toBe(0);
    const back = await readWithDuckDB(downloaded.path, 'operation_id');
    expect(back.rows).toHaveLength(400);
    expect(back.rows.every((r) => String(r.input_payload).length === 20_000)).toBe(true);
  });

  it('aborts a multipart upload: AbortMultipartUpload is sent and nothing is left under the key', async () => {
    const store = new S3ObjectStore({ client, bucket: BUCKET, partSizeBytes: 5 * 1024 * 1024 });
    const key = 'rt/operations/dt=2025-02-02/aborted.parquet';
    const commands = await commandsSent(async () => {
      const writer = new ParquetFileWriter({
        table: operationsTable,
        sink: store.open(key),
        rowGroupRows: 100,
      });
      await writer.write(
        Array.from({ length: 600 }, (_, i) => operationRow(i, { input_payload: noise(i + 1, 20_000) })),
      );
      await writer.abort(new Error('SIGINT'));
    });
    expect(commands).toContain('UploadPartCommand');
    expect(commands.at(-1)).toBe('AbortMultipartUploadCommand');
    expect(commands).not.toContain('CompleteMultipartUploadCommand');
    await expect(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('rejects an upload to a missing bucket with an error naming the bucket and key', async () => {
    const store = new S3ObjectStore({ client, bucket: 'no-such-bucket' });
    const sink = new PartitionedSink({ store, prefix: 'p', runId: 'r1' });
    await sink.write('executions', '2025-01-01', [executionRow(0)]);
    const error = await sink.close().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkError);
    expect(error).toMatchObject({
      errorType: 'upload_failed',
      bucket: 'no-such-bucket',
      key: 'p/executions/dt=2025-01-01/part-r1-00000.parquet',
      context: { stage: 'sink', key: 'p/executions/dt=2025-01-01/part-r1-00000.parquet' },
    });
    expect((error as Error).message).toContain(
      's3://no-such-bucket/p/executions/dt=2025-01-01/part-r1-00000.parquet',
    );
    expect((error as Error).message).toContain('NoSuchBucket');
    expect((error as Error).cause).toMatchObject({ name: 'NoSuchBucket' });
  });
});
