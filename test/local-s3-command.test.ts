import { execFile } from 'node:child_process';
import { cp, mkdir, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { freePort, outputUntil } from './support/local-servers-cli.js';
import { type RunningCli, runCli, startCli } from './support/run-cli.js';
import { useTestServers } from './support/test-servers.js';

const root = join(import.meta.dirname, '..');
const run = promisify(execFile);

/** `durable-export local-s3` as a user runs it (the built CLI), and without s3rver installed. */
describe('durable-export local-s3', () => {
  const servers = useTestServers('local-s3-cli-');
  const running = new Set<RunningCli>();
  afterEach(async () => {
    for (const cli of running) cli.child.kill('SIGKILL');
    await Promise.allSettled([...running].map((cli) => cli.done));
    running.clear();
  });

  it('serves S3 on --port with --dir and --bucket, prints the variables that reach it, and stops on SIGTERM', async () => {
    const port = await freePort();
    const dir = join(servers.work, 's3');
    const cli = startCli(['local-s3', '--port', String(port), '--dir', dir, '--bucket', 'lake']);
    running.add(cli);
    const { stdout, match } = await outputUntil(cli, /^export (.*)$/m);
    expect(stdout).toContain(`local S3 (s3rver) listening on http://127.0.0.1:${port}, data in ${dir}`);
    const variables = Object.fromEntries(
      (match[1] ?? '').split(' ').map((pair) => pair.split('=') as [string, string]),
    );
    expect(variables).toEqual({
      AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    });

    // The printed variables are all an export needs besides the Lambda endpoint: it writes into
    // the bucket --bucket created, and the lake reads back.
    const data = generateSyntheticExecutions({ count: 4, seed: 3, functionNames: ['orders'] });
    const service = await servers.localService({ executions: data });
    const exported = await runCli(['export', '-f', 'orders', '--out', 's3://lake/try'], {
      ...variables,
      AWS_ENDPOINT_URL_LAMBDA: service.url,
    });
    expect(exported.stderr).not.toMatch(/fatal/);
    expect(exported.code).toBe(0);
    expect((await readdir(dir)).sort()).toContain('lake');
    const query = await runCli(
      ['query', '--out', 's3://lake/try', '--format', 'csv', 'SELECT count(*) AS n FROM executions'],
      variables,
    );
    expect(query.stdout).toBe('n\n4\n');

    cli.child.kill('SIGTERM');
    const ended = await cli.done;
    expect(ended.code).toBe(0);
    // The server is gone with it (its data stays in --dir).
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    expect((await stat(join(dir, 'lake'))).isDirectory()).toBe(true);
  });

  it('says how to get s3rver when the installed package lacks it (a devDependency), exit 2', async () => {
    // The package as npm installs it: bin, dist and config, with every dependency but s3rver.
    const installed = join(servers.work, 'installed');
    const modules = join(installed, 'node_modules');
    await mkdir(modules, { recursive: true });
    for (const part of ['bin', 'dist', 'config', 'package.json']) {
      await cp(join(root, part), join(installed, part), { recursive: true });
    }
    for (const name of await readdir(join(root, 'node_modules'))) {
      if (name === 's3rver' || name.startsWith('.')) continue;
      await symlink(join(root, 'node_modules', name), join(modules, name));
    }
    await writeFile(join(servers.work, 'package.json'), '{}'); // the working directory has none either
    const result = await run(
      process.execPath,
      [join(installed, 'bin', 'durable-export.js'), 'local-s3', '--dir', join(servers.work, 'none')],
      { cwd: servers.work, env: { PATH: process.env.PATH } },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.stderr).toMatch(/the local S3 needs s3rver, .*run `npm install s3rver`/);
    expect(result.code).toBe(2);
  });
});
