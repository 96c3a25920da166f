/**
 * The AWS connection of a run is checked before anything is read or written (issue 16, items 2
 * and 8, `--profile`): a missing Region or missing credentials, or an endpoint that is not a URL,
 * is a usage error (exit 2) that says what to set, and the output stays untouched. Every run gets
 * an empty HOME, so no real `~/.aws` of the machine takes part.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { awsClientConfig } from '../src/aws/client-config.js';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { runCli } from './support/run-cli.js';
import { useTestServers } from './support/test-servers.js';

const root = join(import.meta.dirname, '..');
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };

describe('the AWS connection is checked before a run reads or writes', () => {
  const servers = useTestServers('aws-check-');
  let service: RunningLocalService;
  let home: string;
  const source = generateSyntheticExecutions({ count: 5, seed: 4, functionNames: ['orders'] });

  beforeAll(async () => {
    service = await servers.localService({ executions: source });
    home = join(servers.work, 'home');
    await mkdir(home);
  });

  /** Runs the built CLI with an empty HOME and only `env`. */
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { HOME: home, ...env });

  it('no credentials: exit 2 saying what to set, before any Lambda request and with nothing written', async () => {
    const out = join(servers.work, 'no-credentials');
    const before = service.requestCount();
    const result = await cli(['export', '-f', 'orders', '--out', out], {
      AWS_ENDPOINT_URL_LAMBDA: service.url,
    });
    expect(result.stderr).toContain('no AWS credentials');
    expect(result.stderr).toContain('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
    expect(result.stderr).toContain('--profile');
    expect(result.code).toBe(2);
    expect(service.requestCount()).toBe(before);
    expect(existsSync(out)).toBe(false);
  });

  it('no Region for an S3 lake: exit 2 naming --region, AWS_REGION and AWS_DEFAULT_REGION', async () => {
    const result = await cli(['export', '-f', 'orders', '--out', 's3://some-bucket/lake'], {
      ...CREDENTIALS,
      AWS_ENDPOINT_URL_LAMBDA: service.url,
    });
    expect(result.stderr).toMatch(
      /no AWS Region: give --region REGION, or set AWS_REGION \(or AWS_DEFAULT_REGION\)/,
    );
    expect(result.code).toBe(2);
  });

  it('honours AWS_DEFAULT_REGION, after AWS_REGION, as the AWS CLI does', async () => {
    const print = await cli(['config', 'print', '-f', 'orders', '--out', 's3://b/p'], {
      AWS_DEFAULT_REGION: 'eu-west-1',
    });
    expect(print.code).toBe(0);
    expect(print.stdout).toMatch(/aws\.region\s+"eu-west-1"\s+\(AWS_DEFAULT_REGION\)/);
    expect(print.stdout).toMatch(/aws\.endpoint\.s3\s+"https:\/\/s3\.eu-west-1\.amazonaws\.com"\s+\(AWS\)/);
    const both = await cli(['config', 'print'], { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'eu-west-1' });
    expect(both.stdout).toMatch(/aws\.region\s+"us-west-2"\s+\(AWS_REGION\)/);
    // Every client gets it, also with a custom endpoint (where us-east-1 used to win).
    expect(awsClientConfig('s3', {}, { AWS_DEFAULT_REGION: 'eu-west-1' }).region).toBe('eu-west-1');
    expect(
      awsClientConfig('lambda', {}, { AWS_DEFAULT_REGION: 'eu-west-1', AWS_ENDPOINT_URL_LAMBDA: 'http://l' })
        .region,
    ).toBe('eu-west-1');
  });

  it('--profile NAME takes credentials and Region from that profile, for every client', async () => {
    const aws = join(home, '.aws');
    await mkdir(aws, { recursive: true });
    await writeFile(join(aws, 'config'), '[profile lake-dev]\nregion = eu-central-1\n');
    await writeFile(
      join(aws, 'credentials'),
      '[lake-dev]\naws_access_key_id = local\naws_secret_access_key = local\n',
    );
    const out = join(servers.work, 'profile-lake');
    const args = ['export', '-f', 'orders', '--out', out, '--endpoint-url-lambda', service.url];
    const without = await cli(args);
    expect(without.code).toBe(2);
    const result = await cli([...args, '--profile', 'lake-dev']);
    expect(result.stderr).not.toContain('no AWS');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`executions exported   ${source.length}`);
    const print = await cli(['config', 'print', '--profile', 'lake-dev']);
    expect(print.stdout).toMatch(/aws\.region\s+"eu-central-1"\s+\(profile "lake-dev"\)/);
    expect(print.stdout).toMatch(/aws\.profile\s+"lake-dev"\s+\(--profile\)/);
  });

  it('an endpoint that is not a URL is a usage error naming the flag or variable (exit 2, not a per-function failure)', async () => {
    const out = join(servers.work, 'bad-endpoint');
    const flag = await cli(['export', '-f', 'orders', '--out', out, '--endpoint-url-lambda', 'not-a-url'], {
      ...CREDENTIALS,
      AWS_REGION: 'us-east-1',
    });
    expect(flag.stderr).toContain(
      'invalid --endpoint-url-lambda "not-a-url": expected an http:// or https:// URL',
    );
    expect(flag.code).toBe(2);
    const variable = await cli(['export', '-f', 'orders', '--out', out], {
      ...CREDENTIALS,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_LAMBDA: 'not-a-url',
    });
    expect(variable.stderr).toContain('invalid AWS_ENDPOINT_URL_LAMBDA "not-a-url"');
    expect(variable.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it("the README's local recipe works as pasted (on a free port, into a temp lake)", async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const block = [...readme.matchAll(/^```sh\n([\s\S]*?)^```$/gm)]
      .map((m) => m[1] ?? '')
      .find((b) => b.includes('local-service') && b.includes('AWS_ACCESS_KEY_ID=local'));
    expect(block, 'a README sh block with local-service and credentials').toBeDefined();
    const [serve, run] = (block ?? '')
      .replaceAll('9001', String(await freePort()))
      .replaceAll('/tmp/durable-lake', join(servers.work, 'durable-lake'))
      .split('\n')
      .filter((line) => line.trim() !== '');
    // Empty HOME (no ~/.aws), but the runner's npm cache: a first `npx` of a clone takes ~20 s.
    const env = {
      PATH: process.env.PATH,
      HOME: home,
      npm_config_cache: join(homedir(), '.npm'),
      npm_config_update_notifier: 'false',
    };
    // The first terminal: the service, in its own process group, stopped with its children after.
    const service = spawn('bash', ['-c', serve ?? ''], {
      cwd: root,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        service.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('listening on') && resolve());
        service.on('exit', (code) => reject(new Error(`local-service exited with ${code}`)));
      });
      // The second terminal.
      const { stdout } = await promisify(execFile)('bash', ['-c', run ?? ''], {
        cwd: root,
        env,
        timeout: 60_000,
      });
      expect(stdout).toContain('export complete');
      expect(existsSync(join(servers.work, 'durable-lake', 'operations'))).toBe(true);
    } finally {
      if (service.pid !== undefined) process.kill(-service.pid, 'SIGTERM');
    }
  }, 120_000);
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}
