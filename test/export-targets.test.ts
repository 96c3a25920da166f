import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkItem } from '../src/plan/work-item.js';
import type { TargetsSummary } from '../src/targets/targets-summary.js';
import {
  CENTRAL_ACCOUNT,
  FLEET_REGIONS,
  type Fleet,
  fleetExecutions,
  fleetFunction,
  MEMBER_ACCOUNT,
  MEMBER_EXTERNAL_ID,
  MEMBER_ROLE,
  startFleet,
} from './support/fleet-servers.js';
import { readLakeTable } from './support/lake-reader.js';
import { rateLimitsEnv } from './support/rate-limits.js';
import { startRedisServer } from './support/redis-server.js';
import { runCli } from './support/run-cli.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

const ACCOUNTS = [CENTRAL_ACCOUNT, MEMBER_ACCOUNT];
// The same function name in every account and Region, and one more function in one place.
const FUNCTIONS = [
  ...ACCOUNTS.flatMap((account) => FLEET_REGIONS.map((region) => fleetFunction(account, region, 'orders'))),
  fleetFunction(MEMBER_ACCOUNT, 'us-east-2', 'payments'),
];
const TARGETS = [
  ...FLEET_REGIONS.map((region) => ({ region })),
  ...FLEET_REGIONS.map((region) => ({ region, roleArn: MEMBER_ROLE, externalId: MEMBER_EXTERNAL_ID })),
];

/** `ACCOUNT/REGION` of an execution or function ARN. */
const placeOf = (arn: string) => {
  const [, , , region, account] = arn.split(':');
  return `${account}/${region}`;
};

describe('export across accounts and Regions (targets)', () => {
  const servers = useTestServers('export-targets-');
  const executions = fleetExecutions(40, 21, FUNCTIONS);
  const expected = new Map<string, number>();
  for (const e of executions) {
    const place = placeOf(String(e.execution.DurableExecutionArn));
    expected.set(place, (expected.get(place) ?? 0) + 1);
  }
  let fleet: Fleet;
  const env = () => ({
    ...LOCAL_AWS_ENV,
    ...rateLimitsEnv(1000),
    AWS_ENDPOINT_URL_LAMBDA: fleet.service.url,
    AWS_ENDPOINT_URL_STS: fleet.sts.url,
  });
  const targetsFile = () => join(servers.work, 'targets.jsonl');

  beforeAll(async () => {
    fleet = await startFleet(servers, { executions });
    await writeFile(targetsFile(), TARGETS.map((t) => `${JSON.stringify(t)}\n`).join(''));
  });

  it('exports each (account, Region) once into one lake; verify passes; a re-run skips everything', async () => {
    const lake = join(servers.work, 'fleet-lake');
    const summaryFile = join(servers.work, 'summary.json');
    const args = ['export', '--all-functions', '--targets-file', targetsFile(), '--out', lake];
    const run = await runCli([...args, '--summary-json', summaryFile], env());
    expect(run.stderr).not.toMatch(/"level":"(warn|error)"/);
    expect(run.code).toBe(0);
    const summary = JSON.parse(await readFile(summaryFile, 'utf8')) as TargetsSummary;
    expect(summary.targetsFailed).toBe(0);
    expect(
      summary.targets.map((t) => [t.account, t.region, t.roleArn, t.executionsExported, t.executionsFailed]),
    ).toEqual([
      [null, 'eu-west-1', null, expected.get(`${CENTRAL_ACCOUNT}/eu-west-1`), 0],
      [null, 'us-east-2', null, expected.get(`${CENTRAL_ACCOUNT}/us-east-2`), 0],
      [MEMBER_ACCOUNT, 'eu-west-1', MEMBER_ROLE, expected.get(`${MEMBER_ACCOUNT}/eu-west-1`), 0],
      [MEMBER_ACCOUNT, 'us-east-2', MEMBER_ROLE, expected.get(`${MEMBER_ACCOUNT}/us-east-2`), 0],
    ]);
    expect(summary.executionsExported).toBe(executions.length);
    expect(run.stdout).toContain('targets               4');
    expect(run.stdout).toContain(`${MEMBER_ACCOUNT}/us-east-2 (role ${MEMBER_ROLE})`);

    // Each (account, Region)'s executions once, counted through DuckDB.
    const { rows } = await readLakeTable(lake, 'executions');
    const counted = new Map<string, number>();
    for (const row of rows) {
      const place = placeOf(String(row.execution_arn));
      counted.set(place, (counted.get(place) ?? 0) + 1);
    }
    expect(counted).toEqual(expected);
    expect(new Set(rows.map((r) => r.execution_arn)).size).toBe(executions.length);

    const verify = await runCli(['verify', '--out', lake], env());
    expect(verify.stdout).toContain('verify: OK');
    expect(verify.code).toBe(0);

    // Each target's job resumes: nothing is read or written again.
    const again = await runCli([...args, '--summary-json', summaryFile], env());
    expect(again.code).toBe(0);
    const second = JSON.parse(await readFile(summaryFile, 'utf8')) as TargetsSummary;
    expect(second.executionsExported).toBe(0);
    expect(second.executionsSkipped).toBe(executions.length);
    expect(second.files).toEqual([]);
  }, 120_000);

  it('a role that cannot be assumed is one failed target; the others are exported; exit code 1', async () => {
    const lake = join(servers.work, 'partial-lake');
    const summaryFile = join(servers.work, 'partial.json');
    const unknownRole = 'arn:aws:iam::333333333333:role/not-trusted';
    const run = await runCli(
      [
        'export',
        '--all-functions',
        ...FLEET_REGIONS.flatMap((r) => ['--region', r]),
        '--role-arn',
        MEMBER_ROLE,
        '--role-arn',
        unknownRole,
        '--external-id',
        MEMBER_EXTERNAL_ID,
        '--out',
        lake,
        '--summary-json',
        summaryFile,
      ],
      env(),
    );
    expect(run.code).toBe(1);
    const summary = JSON.parse(await readFile(summaryFile, 'utf8')) as TargetsSummary;
    expect(summary.targets.map((t) => [t.region, t.roleArn, t.error === undefined])).toEqual([
      ['eu-west-1', MEMBER_ROLE, true],
      ['eu-west-1', unknownRole, false],
      ['us-east-2', MEMBER_ROLE, true],
      ['us-east-2', unknownRole, false],
    ]);
    expect(summary.targetsFailed).toBe(2);
    const failed = summary.failures.filter((f) => f.subject.includes(unknownRole));
    expect(failed).toHaveLength(2);
    expect(failed[0]?.message).toMatch(
      /cannot assume role .*not-trusted.*AccessDenied|not authorized to perform: sts:AssumeRole/,
    );
    expect(summary.executionsExported).toBe(
      (expected.get(`${MEMBER_ACCOUNT}/eu-west-1`) ?? 0) + (expected.get(`${MEMBER_ACCOUNT}/us-east-2`) ?? 0),
    );
    expect(run.stdout).toContain('targets               4 (2 failed)');
    expect(run.stdout).toContain('export finished with failures');
  }, 120_000);

  it('plan lists items per target; the items run under their targets give the same lake', async () => {
    const planFile = join(servers.work, 'fleet-plan.jsonl');
    const lake = join(servers.work, 'planned-lake');
    const planned = await runCli(
      ['plan', '--all-functions', '--targets-file', targetsFile(), '--out', lake, '--plan-out', planFile],
      env(),
    );
    expect(planned.code).toBe(0);
    const items = (await readFile(planFile, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as WorkItem);
    const placesOfItems = new Set(items.map((i) => `${i.account}/${i.region}/${i.roleArn}/${i.externalId}`));
    expect([...placesOfItems].sort()).toEqual(
      [
        `${CENTRAL_ACCOUNT}/eu-west-1/null/undefined`,
        `${CENTRAL_ACCOUNT}/us-east-2/null/undefined`,
        `${MEMBER_ACCOUNT}/eu-west-1/${MEMBER_ROLE}/${MEMBER_EXTERNAL_ID}`,
        `${MEMBER_ACCOUNT}/us-east-2/${MEMBER_ROLE}/${MEMBER_EXTERNAL_ID}`,
      ].sort(),
    );
    expect(items.reduce((n, i) => n + i.executions, 0)).toBe(executions.length);
    expect(planned.stdout).toContain(`${MEMBER_ACCOUNT}/us-east-2 (role ${MEMBER_ROLE})\tpayments`);

    for (const shard of ['0/2', '1/2']) {
      const run = await runCli(['export', '--plan', planFile, '--shard', shard, '--out', lake], env());
      expect(run.code).toBe(0);
    }
    const { rows } = await readLakeTable(lake, 'executions');
    const counted = new Map<string, number>();
    for (const row of rows) {
      const place = placeOf(String(row.execution_arn));
      counted.set(place, (counted.get(place) ?? 0) + 1);
    }
    expect(counted).toEqual(expected);
    const verify = await runCli(['verify', '--out', lake], env());
    expect(verify.code).toBe(0);
  }, 120_000);

  it('credentials that expire during the run are assumed again, and the run completes', async () => {
    // The SDK replaces credentials with less than 5 minutes left: these have one second more.
    const short = await startFleet(servers, { executions, credentialLifetimeMs: 301_000 });
    const summaryFile = join(servers.work, 'refresh.json');
    const run = await runCli(
      [
        'export',
        '--function',
        'orders',
        '--region',
        'eu-west-1',
        '--role-arn',
        MEMBER_ROLE,
        '--external-id',
        MEMBER_EXTERNAL_ID,
        '--out',
        join(servers.work, 'refresh-lake'),
        '--summary-json',
        summaryFile,
      ],
      // Slow enough that the run outlives the first credentials: 4 requests/s per API.
      {
        ...env(),
        ...rateLimitsEnv(4),
        AWS_ENDPOINT_URL_LAMBDA: short.service.url,
        AWS_ENDPOINT_URL_STS: short.sts.url,
      },
    );
    expect(run.code).toBe(0);
    const summary = JSON.parse(await readFile(summaryFile, 'utf8')) as TargetsSummary;
    expect(summary.executionsExported).toBe(expected.get(`${MEMBER_ACCOUNT}/eu-west-1`));
    expect(summary.executionsFailed).toBe(0);
    expect(summary.durationMs).toBeGreaterThan(2_000);
    expect(short.sts.assumeRoleCalls(MEMBER_ROLE)).toBeGreaterThan(1);
  }, 120_000);

  it('--since-last-run keeps one watermark per target, and the next run finds nothing new', async () => {
    const lake = join(servers.work, 'incremental-lake');
    const summaryFile = join(servers.work, 'incremental.json');
    const args = [
      'export',
      '--function',
      'orders',
      ...FLEET_REGIONS.flatMap((r) => ['--region', r]),
      '--since-last-run',
      '--started-after',
      '2025-12-01',
      '--out',
      lake,
      '--summary-json',
      summaryFile,
    ];
    const first = await runCli(args, env());
    expect(first.code).toBe(0);
    const summary = JSON.parse(await readFile(summaryFile, 'utf8')) as TargetsSummary;
    expect(summary.targets.map((t) => [t.region, t.executionsExported])).toEqual(
      FLEET_REGIONS.map((r) => [r, expected.get(`${CENTRAL_ACCOUNT}/${r}`)]),
    );
    for (const region of FLEET_REGIONS) {
      const mark = JSON.parse(
        await readFile(join(lake, '_state', 'watermarks', region, 'default', 'orders.json'), 'utf8'),
      ) as { function: string };
      expect(mark.function).toBe('orders');
    }
    const second = await runCli(args, env());
    expect(second.code).toBe(0);
    const next = JSON.parse(await readFile(summaryFile, 'utf8')) as TargetsSummary;
    expect(next.executionsExported).toBe(0);
    expect(next.incremental?.new).toBe(0);
  }, 120_000);

  it('--dry-run plans each target, naming it, and a target that would fail', async () => {
    const lake = join(servers.work, 'dry-lake');
    const unknownRole = 'arn:aws:iam::333333333333:role/not-trusted';
    const run = await runCli(
      [
        'export',
        '--all-functions',
        '--region',
        'us-east-2',
        '--role-arn',
        MEMBER_ROLE,
        '--role-arn',
        unknownRole,
        '--external-id',
        MEMBER_EXTERNAL_ID,
        '--out',
        lake,
        '--dry-run',
      ],
      env(),
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`target ${MEMBER_ACCOUNT}/us-east-2 (role ${MEMBER_ROLE})`);
    expect(run.stdout).toContain(`  executions            ${expected.get(`${MEMBER_ACCOUNT}/us-east-2`)}`);
    expect(run.stdout).toMatch(
      /target 333333333333\/us-east-2 \(role .*not-trusted\)\n {2}target failed: cannot assume role/,
    );
    expect(run.stdout).toContain('targets               2 (1 failed)');
  }, 60_000);

  it('with --limiter redis:// each target shares the limits of its own account and Region', async () => {
    const redis = await startRedisServer();
    try {
      const run = await runCli(
        [
          'export',
          '--all-functions',
          '--targets-file',
          targetsFile(),
          '--out',
          join(servers.work, 'redis-lake'),
          '--limiter',
          redis.url,
        ],
        env(),
      );
      expect(run.code).toBe(0);
      const client = new Redis(redis.url);
      try {
        const keys = await client.keys('*durable-export:*settings*');
        const scopes = new Set(keys.map((k) => /durable-export:([^:]+:[^:]+):/.exec(k)?.[1]));
        // Own account: the functions' names do not name it ('any'); the role names the member account.
        expect([...scopes].sort()).toEqual(
          [
            'any:eu-west-1',
            'any:us-east-2',
            `${MEMBER_ACCOUNT}:eu-west-1`,
            `${MEMBER_ACCOUNT}:us-east-2`,
          ].sort(),
        );
      } finally {
        client.disconnect();
      }
    } finally {
      await redis.stop();
    }
  }, 120_000);

  it('a Region without durable functions is an empty target, not a failed one', async () => {
    const summaryFile = join(servers.work, 'empty.json');
    const args = ['export', '--all-functions', '--region', 'eu-west-1', '--region', 'ap-south-1'];
    const dry = await runCli([...args, '--out', join(servers.work, 'empty-lake'), '--dry-run'], env());
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(
      'target own account/ap-south-1\n  no function with durable execution enabled',
    );
    const run = await runCli(
      [...args, '--out', join(servers.work, 'empty-lake'), '--summary-json', summaryFile],
      env(),
    );
    expect(run.code).toBe(0);
    const summary = JSON.parse(await readFile(summaryFile, 'utf8')) as TargetsSummary;
    expect(summary.targets.map((t) => [t.region, t.executionsExported, t.error])).toEqual([
      ['eu-west-1', expected.get(`${CENTRAL_ACCOUNT}/eu-west-1`), undefined],
      ['ap-south-1', 0, undefined],
    ]);
    expect(summary.targetsFailed).toBe(0);
  }, 60_000);
});
