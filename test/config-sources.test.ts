/**
 * Where configuration comes from, and what its errors say (issue 16, items 9 and 10, and what new
 * users reached for): date-only and minute-precision windows, errors naming the flag, variable or
 * file key with the bad value, lists in variables as comma-separated values, a config file found
 * without flags, `config print` with the export flags, `--quiet` and `--verbose`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { logLines } from './support/log-lines.js';
import { runCli } from './support/run-cli.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

describe('configuration sources and their errors', () => {
  const servers = useTestServers('config-sources-');
  let service: RunningLocalService;
  let home: string;
  const source = generateSyntheticExecutions({ count: 12, seed: 3, functionNames: ['orders'] });
  let runs = 0;

  beforeAll(async () => {
    service = await servers.localService({ executions: source });
    home = join(servers.work, 'home');
    await mkdir(home);
  });

  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    runCli(args, { ...LOCAL_AWS_ENV, HOME: home, ...env });
  /** `export` of `orders` from the local service into a new lake. */
  const exportCli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    cli(
      [
        'export',
        '-f',
        'orders',
        '--out',
        join(servers.work, `lake-${++runs}`),
        '--endpoint-url-lambda',
        service.url,
        ...args,
      ],
      env,
    );
  const startedAt = (e: (typeof source)[number]) =>
    new Date(Number((e.execution as { StartTimestamp: number }).StartTimestamp) * 1000);

  it('accepts a date-only (midnight UTC) and a minute-precision window', async () => {
    const after = new Date('2026-01-02T00:00:00Z');
    const before = new Date('2026-01-03T06:30:00Z');
    const expected = source.filter((e) => startedAt(e) >= after && startedAt(e) < before).length;
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(source.length);
    const result = await exportCli([
      '--started-after',
      '2026-01-02',
      '--started-before',
      '2026-01-03T06:30Z',
    ]);
    expect(result.stderr).not.toContain('durable-export:');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`executions exported   ${expected}`);
    const offset = await exportCli(['--started-after', '2026-01-02T02:00+02:00']);
    expect(offset.code).toBe(0);
  });

  it('a bad value names the flag and quotes the value (not the config key, not NaN)', async () => {
    const rate = await exportCli(['--requests-per-second', 'abc']);
    expect(rate.stderr).toContain('invalid --requests-per-second: expected number, got "abc"');
    expect(rate.stderr).not.toMatch(/NaN|lambda\.requestsPerSecond/);
    expect(rate.code).toBe(2);
    const concurrent = await exportCli(['--max-concurrent', '0']);
    expect(concurrent.stderr).toMatch(/invalid --max-concurrent: Too small: .*>=1, got 0/);
    expect(concurrent.stderr).not.toContain('lambda.maxConcurrent');
    expect(concurrent.code).toBe(2);
    const date = await exportCli(['--started-after', 'yesterday']);
    expect(date.stderr).toMatch(/invalid --started-after: expected an ISO-8601 date .*, got "yesterday"/);
    expect(date.code).toBe(2);
  });

  it('a bad variable names the variable and its value; a misspelt one gets its right spelling', async () => {
    const typed = await exportCli([], { DURABLE_EXPORT_LAMBDA_REQUESTS_PER_SECOND: 'abc' });
    expect(typed.stderr).toContain(
      'invalid DURABLE_EXPORT_LAMBDA_REQUESTS_PER_SECOND: expected number, got "abc"',
    );
    expect(typed.code).toBe(2);
    const misspelt = await exportCli([], { DURABLE_EXPORT_LAMBDA_REQUESTSPERSECOND: '5' });
    expect(misspelt.stderr).toContain(
      'unknown DURABLE_EXPORT_LAMBDA_REQUESTSPERSECOND: no config key "lambda.requestspersecond" (did you mean DURABLE_EXPORT_LAMBDA_REQUESTS_PER_SECOND?)',
    );
    expect(misspelt.code).toBe(2);
  });

  it('a bad file value names the file, the key and the value', async () => {
    const file = join(servers.work, 'bad.json');
    await writeFile(file, JSON.stringify({ lambda: { maxConcurrent: 'lots' } }));
    const result = await exportCli(['--config', file]);
    expect(result.stderr).toContain(
      `invalid configuration in ${file}: key "lambda.maxConcurrent": expected number, got "lots"`,
    );
    expect(result.code).toBe(2);
  });

  it('takes lists in variables as comma-separated values or JSON', async () => {
    for (const functions of ['orders, payments', '["orders","payments"]']) {
      const result = await cli(['config', 'print', '--format', 'json'], {
        DURABLE_EXPORT_EXPORT_FUNCTIONS: functions,
        DURABLE_EXPORT_EXPORT_STATUSES: 'FAILED,TIMED_OUT',
      });
      expect(result.code, result.stderr).toBe(0);
      const { config, origins } = JSON.parse(result.stdout);
      expect(config.export).toMatchObject({
        functions: ['orders', 'payments'],
        statuses: ['FAILED', 'TIMED_OUT'],
      });
      expect(origins['export.functions']).toBe('DURABLE_EXPORT_EXPORT_FUNCTIONS');
    }
  });

  it('finds a config file without flags: DURABLE_EXPORT_CONFIG, else ~/.config/durable-export/config.json', async () => {
    const named = join(servers.work, 'named.json');
    await writeFile(named, JSON.stringify({ lambda: { maxConcurrent: 3 } }));
    const byVariable = await cli(['config', 'print'], { DURABLE_EXPORT_CONFIG: named });
    expect(byVariable.code, byVariable.stderr).toBe(0);
    expect(byVariable.stdout).toMatch(/lambda\.maxConcurrent\s+3\s+\(/);
    expect(byVariable.stdout).toMatch(/configFile\s+".*named\.json"\s+\(DURABLE_EXPORT_CONFIG\)/);
    const missing = await cli(['config', 'print'], {
      DURABLE_EXPORT_CONFIG: join(servers.work, 'none.json'),
    });
    expect(missing.stderr).toContain('named by DURABLE_EXPORT_CONFIG');
    expect(missing.code).toBe(2);

    const userHome = join(servers.work, 'user-home');
    const defaultFile = join(userHome, '.config', 'durable-export', 'config.json');
    await mkdir(join(userHome, '.config', 'durable-export'), { recursive: true });
    await writeFile(defaultFile, JSON.stringify({ lambda: { maxConcurrent: 6 } }));
    const byDefault = await cli(['config', 'print'], { HOME: userHome });
    expect(byDefault.stdout).toMatch(/lambda\.maxConcurrent\s+6\s+\(/);
    expect(byDefault.stdout).toMatch(/configFile\s+".*config\.json"\s+\(default location\)/);
    // --config and DURABLE_EXPORT_CONFIG come first.
    const flag = await cli(['config', 'print', '--config', named], { HOME: userHome });
    expect(flag.stdout).toMatch(/lambda\.maxConcurrent\s+3\s+\(/);
  });

  it('config print takes the export flags (they override the rest) and shows Region and endpoints in effect', async () => {
    const result = await cli(
      [
        'config',
        'print',
        '-f',
        'orders',
        '--out',
        's3://my-lake/durable',
        '--requests-per-second',
        '25',
        '--region',
        'eu-west-1',
        '--endpoint-url-s3',
        'http://127.0.0.1:9002',
      ],
      { DURABLE_EXPORT_LAMBDA_REQUESTS_PER_SECOND: '20', AWS_ENDPOINT_URL_LAMBDA: 'http://127.0.0.1:9001' },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/lambda\.requestsPerSecond\s+25\s+\(--requests-per-second\)/);
    // One API's rate from a flag, another's from a variable, the rest from the defaults.
    const perApi = await cli(['config', 'print', '--rate-limit-history', '20'], {
      DURABLE_EXPORT_LAMBDA_RATE_LIMITS: '{"list":5}',
    });
    expect(perApi.stdout).toMatch(/lambda\.rateLimits\.history\s+20\s+\(--rate-limit-history\)/);
    expect(perApi.stdout).toMatch(/lambda\.rateLimits\.list\s+5\s+\(environment \(DURABLE_EXPORT_\*\)\)/);
    expect(perApi.stdout).toMatch(/lambda\.rateLimits\.getExecution\s+30\s+\(defaults/);
    expect(result.stdout).toMatch(/export\.functions\s+\["orders"\]\s+\(--function\)/);
    expect(result.stdout).toMatch(/aws\.region\s+"eu-west-1"\s+\(--region\)/);
    expect(result.stdout).toMatch(
      /aws\.endpoint\.lambda\s+"http:\/\/127\.0\.0\.1:9001"\s+\(AWS_ENDPOINT_URL_LAMBDA\)/,
    );
    expect(result.stdout).toMatch(/aws\.endpoint\.s3\s+"http:\/\/127\.0\.0\.1:9002"\s+\(--endpoint-url-s3\)/);
    const help = await cli(['config', 'print', '--help']);
    expect(help.stdout).toContain('--function <name>');
    expect(help.stdout).toContain('flags');
  });

  it('--quiet prints nothing on success and the summary when something failed; --verbose logs the connection', async () => {
    const quiet = await exportCli(['--quiet']);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toBe('');
    expect(quiet.stderr).toBe('');
    const failing = await exportCli(['--quiet', '-f', 'no-such-fn']);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('no-such-fn');
    const verbose = await exportCli(['--verbose']);
    expect(verbose.code).toBe(0);
    const connection = logLines(verbose.stderr).find((l) => l.message === 'aws connection');
    expect(connection).toMatchObject({
      level: 'debug',
      region: { value: 'us-east-1', origin: 'AWS_REGION' },
      endpoints: { lambda: { value: service.url, origin: '--endpoint-url-lambda' } },
    });
    const both = await exportCli(['--quiet', '--verbose']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(
      /--quiet.*cannot be used with.*--verbose|--verbose.*cannot be used with.*--quiet/,
    );
  });
});
