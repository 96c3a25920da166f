import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalObjectStore } from '../src/sink/local-object-store.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sink-local-store-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('LocalObjectStore', () => {
  it('writes under a hidden temp name and moves the file into place on complete', async () => {
    const store = new LocalObjectStore(join(dir, 'a'));
    const sink = store.open('t/dt=2025-01-01/part-1.parquet');
    await sink.write(new Uint8Array([1, 2, 3]));
    const folder = join(dir, 'a', 't', 'dt=2025-01-01');
    expect(await readdir(folder)).toEqual([expect.stringMatching(/^_part-1\.parquet\.[0-9a-f]{8}\.tmp$/)]);
    await sink.write(new Uint8Array([4]));
    expect(await sink.complete()).toEqual({ bytes: 4 });
    expect(await readdir(folder)).toEqual(['part-1.parquet']);
    expect([...(await readFile(store.describe('t/dt=2025-01-01/part-1.parquet')))]).toEqual([1, 2, 3, 4]);
    await expect(sink.write(new Uint8Array([5]))).rejects.toMatchObject({ errorType: 'closed' });
  });

  it('completes an empty object and removes the temp file on abort', async () => {
    const store = new LocalObjectStore(join(dir, 'b'));
    expect(await store.open('x/empty').complete()).toEqual({ bytes: 0 });
    const aborted = store.open('x/aborted');
    await aborted.write(new Uint8Array(10));
    await aborted.abort(new Error('stop'));
    await aborted.abort(new Error('twice is fine'));
    expect(await readdir(join(dir, 'b', 'x'))).toEqual(['empty']);
  });

  it('does not replace an existing file unless overwrite is set', async () => {
    const root = join(dir, 'c');
    await mkdir(join(root, 'k'), { recursive: true });
    await writeFile(join(root, 'k', 'f'), 'original');
    const sink = new LocalObjectStore(root).open('k/f');
    await sink.write(new Uint8Array([1]));
    await expect(sink.complete()).rejects.toMatchObject({
      errorType: 'already_exists',
      key: 'k/f',
      path: join(root, 'k', 'f'),
      context: { stage: 'sink', key: 'k/f', file: join(root, 'k', 'f') },
    });
    expect(await readFile(join(root, 'k', 'f'), 'utf8')).toBe('original');
    expect(await readdir(join(root, 'k'))).toEqual(['f']); // temp file removed
    const replacing = new LocalObjectStore(root, { overwrite: true }).open('k/f');
    await replacing.write(new TextEncoder().encode('new'));
    await replacing.complete();
    expect(await readFile(join(root, 'k', 'f'), 'utf8')).toBe('new');
  });

  it('wraps file-system failures with the path and the cause', async () => {
    const root = join(dir, 'd');
    await mkdir(root);
    await writeFile(join(root, 'k'), 'a file where the key needs a folder');
    const sink = new LocalObjectStore(root).open('k/f');
    const error = await sink.write(new Uint8Array([1])).catch((e: unknown) => e);
    expect(error).toMatchObject({
      errorType: 'write_failed',
      path: join(root, 'k', 'f'),
      cause: { code: 'EEXIST' },
    });
    expect((error as Error).message).toMatch(/^write to .*\/d\/k\/f failed: EEXIST/);
    await expect(sink.complete()).rejects.toBe(error);
  });

  it('rejects keys that would escape the directory', () => {
    const store = new LocalObjectStore(dir);
    expect(() => store.open('../x')).toThrow(/is not a relative key/);
    expect(() => store.open('/etc/passwd')).toThrow(/is not a relative key/);
  });
});
