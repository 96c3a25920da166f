/**
 * `If-None-Match: *` (default on): an existing object is never overwritten. s3rver ignores the
 * header, so a test proxy answers 412 like AWS S3 does (docs/RELIABILITY.md, "Conditional writes").
 */
import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalS3, localS3Client, startLocalS3 } from '../src/local/local-s3.js';
import { S3ObjectStore } from '../src/sink/s3-object-store.js';
import { type PreconditionProxy, startPreconditionProxy } from './sink-precondition-proxy.js';

let s3: LocalS3;
let proxy: PreconditionProxy;
let client: S3Client;
beforeAll(async () => {
  s3 = await startLocalS3();
  await s3.createBucket('cond');
  proxy = await startPreconditionProxy(s3.endpoint);
  client = localS3Client(proxy.endpoint);
});
afterAll(async () => {
  client?.destroy();
  await proxy?.close();
  await s3?.close();
});

const bytes = (seed: string, size: number) => {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i += 32) createHash('sha256').update(`${seed}${i}`).digest().copy(out, i);
  return out;
};

async function upload(store: S3ObjectStore, key: string, body: Uint8Array): Promise<unknown> {
  const sink = store.open(key);
  await sink.write(body);
  return sink.complete().catch((e: unknown) => e);
}

async function stored(key: string): Promise<Uint8Array | undefined> {
  const object = await client.send(new GetObjectCommand({ Bucket: 'cond', Key: key }));
  return object.Body?.transformToByteArray();
}

describe('S3ObjectStore with If-None-Match: *', () => {
  const store = () => new S3ObjectStore({ client, bucket: 'cond', partSizeBytes: 5 * 2 ** 20 });

  it('refuses to overwrite an existing object with a single PUT', async () => {
    await client.send(new PutObjectCommand({ Bucket: 'cond', Key: 'a/one.parquet', Body: 'original' }));
    const error = await upload(store(), 'a/one.parquet', bytes('x', 100));
    expect(error).toMatchObject({ errorType: 'already_exists', bucket: 'cond', key: 'a/one.parquet' });
    expect((error as Error).message).toMatch(
      /^s3:\/\/cond\/a\/one\.parquet already exists \(If-None-Match: \*\)/,
    );
    expect(Buffer.from((await stored('a/one.parquet')) ?? []).toString()).toBe('original');
  });

  it('refuses to overwrite at CompleteMultipartUpload and aborts the upload', async () => {
    await client.send(new PutObjectCommand({ Bucket: 'cond', Key: 'a/big.parquet', Body: 'original' }));
    const commands: string[] = [];
    client.middlewareStack.add(
      (next, context) => (args) => {
        commands.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'record' },
    );
    const error = await upload(store(), 'a/big.parquet', bytes('y', 6 * 2 ** 20));
    client.middlewareStack.remove('record');
    expect(error).toMatchObject({ errorType: 'already_exists', key: 'a/big.parquet' });
    expect(commands.slice(-2)).toEqual(['CompleteMultipartUploadCommand', 'AbortMultipartUploadCommand']);
    expect(Buffer.from((await stored('a/big.parquet')) ?? []).toString()).toBe('original');
  });

  it('writes new keys, and overwrites when ifNoneMatch is off', async () => {
    expect(await upload(store(), 'a/new.parquet', bytes('z', 10))).toEqual({ bytes: 10 });
    const lenient = new S3ObjectStore({ client, bucket: 'cond', ifNoneMatch: false });
    expect(await upload(lenient, 'a/new.parquet', bytes('w', 20))).toEqual({ bytes: 20 });
    expect((await stored('a/new.parquet'))?.byteLength).toBe(20);
  });
});
