import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLambdaClient } from '../src/aws/lambda-client.js';
import { RateLimiter } from '../src/aws/rate-limiter.js';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { discoverDurableFunctions } from '../src/source/discover-functions.js';
import { rateLimitsAll, rateLimitsEnv } from './support/rate-limits.js';
import { runCli } from './support/run-cli.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('discovery: ListFunctions and --all-functions', () => {
  const servers = useTestServers('discover-');
  let service: RunningLocalService;
  // 60 durable functions: more than one ListFunctions page of 50.
  const many = Array.from({ length: 60 }, (_, i) => `fleet-${String(i).padStart(2, '0')}`);
  let fleet: RunningLocalService;
  const source = generateSyntheticExecutions({
    count: 12,
    seed: 5,
    functionNames: ['orders', 'orders-eu', 'payments'],
  });

  beforeAll(async () => {
    service = await servers.localService({
      executions: source,
      nonDurableFunctions: ['orders-web'],
      functionTags: {
        orders: { team: 'shop', env: 'prod' },
        'orders-eu': { team: 'shop', env: 'test' },
        'orders-web': { team: 'shop', env: 'prod' },
      },
    });
    fleet = await servers.localService({
      executions: generateSyntheticExecutions({ count: 120, seed: 2, functionNames: many }),
    });
  });

  it('serves ListFunctions as the SDK parses it: DurableConfig on durable functions only', async () => {
    const client = new LambdaClient({ region: 'us-east-1', endpoint: service.url, credentials });
    const page = await client.send(new ListFunctionsCommand({}));
    client.destroy();
    const byName = new Map((page.Functions ?? []).map((f) => [f.FunctionName, f]));
    expect([...byName.keys()].sort()).toEqual(['orders', 'orders-eu', 'orders-web', 'payments']);
    expect(byName.get('orders')?.DurableConfig?.RetentionPeriodInDays).toBe(14);
    expect(byName.get('orders-web')?.DurableConfig).toBeUndefined();
    expect(byName.get('orders')?.FunctionArn).toMatch(/^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:orders$/);
  });

  it('follows every page (at most 50 functions each) through its own rate limit', async () => {
    const limiter = new RateLimiter({ rateLimits: rateLimitsAll(1000), maxConcurrent: 4 });
    const client = createLambdaClient({
      endpoint: fleet.url,
      region: 'us-east-1',
      credentials,
      maxAttempts: 2,
      connectionTimeoutMs: 2000,
      requestTimeoutMs: 5000,
      limiter,
    });
    try {
      const found = await discoverDurableFunctions(client, {});
      expect(found.map((f) => f.name)).toEqual([...many].filter((n) => found.some((f) => f.name === n)));
      expect(found.length).toBe(new Set(found.map((f) => f.name)).size);
      expect(found.map((f) => f.name)).not.toContain('plain-handler');
      expect(limiter.stats.apis?.listFunctions.requests).toBe(2);
      expect(found.length).toBeGreaterThan(50);
      const prefixed = await discoverDurableFunctions(client, { prefix: 'fleet-5' });
      expect(prefixed.every((f) => f.name.startsWith('fleet-5'))).toBe(true);
    } finally {
      await limiter.stop();
      client.destroy();
    }
  });

  const env = () => ({ ...LOCAL_AWS_ENV, ...rateLimitsEnv(1000), AWS_ENDPOINT_URL_LAMBDA: service.url });

  it('export --all-functions --dry-run lists the durable functions it found, and their executions', async () => {
    const out = `${servers.work}/lake`;
    const all = await runCli(['export', '--all-functions', '--out', out, '--dry-run'], env());
    expect(all.stderr).toBe('');
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('functions found (--all-functions): 3');
    for (const name of ['orders', 'orders-eu', 'payments'])
      expect(all.stdout).toMatch(new RegExp(`^  ${name}\\t`, 'm'));
    expect(all.stdout).not.toContain('orders-web');
    expect(all.stdout).toMatch(/executions\s+12\b/);

    const prefixed = await runCli(
      ['export', '--all-functions', '--function-prefix', 'orders', '--out', out, '--dry-run'],
      env(),
    );
    expect(prefixed.code).toBe(0);
    expect(prefixed.stdout).toContain('functions found (--all-functions): 2');
    expect(prefixed.stdout).not.toMatch(/^ {2}payments\t/m);
    const expected = source.filter((e) => !String(e.execution.FunctionArn).includes(':function:payments'));
    expect(prefixed.stdout).toMatch(new RegExp(`executions\\s+${expected.length}\\b`));
  });

  it('--function-tag keeps the durable functions with every tag given (ListTags)', async () => {
    const out = `${servers.work}/lake`;
    const tagged = await runCli(
      [
        'export',
        '--all-functions',
        '--function-tag',
        'team=shop',
        '--function-tag',
        'env=prod',
        '--out',
        out,
        '--dry-run',
      ],
      env(),
    );
    expect(tagged.code).toBe(0);
    expect(tagged.stdout).toContain('functions found (--all-functions): 1');
    expect(tagged.stdout).toMatch(/^ {2}orders\t/m);
    const alone = await runCli(['export', '--function-tag', 'team=shop', '--out', out], env());
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--function-tag narrows --all-functions');
    const malformed = await runCli(
      ['export', '--all-functions', '--function-tag', 'team', '--out', out],
      env(),
    );
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('invalid function tag "team": expected KEY=VALUE');
  });

  it('refuses --all-functions with --function, a prefix alone, and a prefix nothing matches', async () => {
    const out = `${servers.work}/lake`;
    const both = await runCli(['export', '--all-functions', '-f', 'orders', '--out', out], env());
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--all-functions and --function cannot be used together');
    const prefixOnly = await runCli(['export', '--function-prefix', 'o', '--out', out], env());
    expect(prefixOnly.code).toBe(2);
    expect(prefixOnly.stderr).toContain('--function-prefix narrows --all-functions');
    const none = await runCli(['export', '--all-functions', '--function-prefix', 'zzz', '--out', out], env());
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(
      'found no function with durable execution enabled whose name starts with zzz',
    );
  });
});
