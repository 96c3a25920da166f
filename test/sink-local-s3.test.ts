import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { startLocalS3 } from '../src/local/local-s3.js';

describe('startLocalS3', () => {
  it('serves S3 on a free port from a child process and stops it on close', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'local-s3-test-'));
    try {
      const s3 = await startLocalS3({ directory: dir });
      expect(s3.endpoint).toBe(`http://127.0.0.1:${s3.port}`);
      await s3.createBucket('bkt');
      await s3.client().send(new PutObjectCommand({ Bucket: 'bkt', Key: 'k/x.txt', Body: 'hello' }));
      const object = await s3.client().send(new GetObjectCommand({ Bucket: 'bkt', Key: 'k/x.txt' }));
      expect(await object.Body?.transformToString()).toBe('hello');
      await s3.close();
      await s3.close(); // idempotent
      await expect(fetch(s3.endpoint)).rejects.toThrow();
      expect(await readdir(dir)).toContain('bkt'); // the given directory is kept
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs two servers side by side and removes its own temp directory', async () => {
    const [a, b] = await Promise.all([startLocalS3(), startLocalS3()]);
    expect(a?.port).not.toBe(b?.port);
    await Promise.all([a?.close(), b?.close()]);
    await expect(readdir(a?.directory ?? '')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('startLocalS3 child lifetime', () => {
  const module = join(import.meta.dirname, '..', 'src', 'local', 'local-s3.ts');

  /** Runs a parent process that starts a server, prints its pid, then ends the way `end` says. */
  async function orphanedServerPid(end: 'exit' | 'SIGKILL'): Promise<number> {
    const script = `import { startLocalS3 } from ${JSON.stringify(module)};
      const s3 = await startLocalS3();
      console.log(s3.pid);
      ${end === 'exit' ? 'process.exit(0);' : 'setInterval(() => {}, 1000);'}`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = (await once(createInterface({ input: parent.stdout }), 'line')) as [string];
    if (end === 'SIGKILL') parent.kill('SIGKILL');
    await once(parent, 'exit');
    return Number(line);
  }

  async function gone(pid: number): Promise<boolean> {
    for (let i = 0; i < 50; i++) {
      try {
        process.kill(pid, 0);
      } catch {
        return true;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  }

  it('stops the server when the parent exits without closing it', async () => {
    expect(await gone(await orphanedServerPid('exit'))).toBe(true);
  });

  it('stops the server when the parent is killed', async () => {
    expect(await gone(await orphanedServerPid('SIGKILL'))).toBe(true);
  });
});
