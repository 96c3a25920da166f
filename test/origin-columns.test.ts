import { join } from 'node:path';
import type { Column } from '@aws-sdk/client-glue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookbookQuery } from '../src/athena/cookbook.js';
import { registerGlueTables } from '../src/athena/register-glue-tables.js';
import { registerGlueViews } from '../src/athena/register-glue-views.js';
import { createGlueClient } from '../src/aws/glue-client.js';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import type { StoredExecution } from '../src/local/service/stored-execution.js';
import {
  generateSyntheticExecutions,
  type SyntheticExecution,
} from '../src/local/synthetic/generate-executions.js';
import { openLakeSession, rowObjects } from '../src/query/lake-session.js';
import { LAKE_TABLES, TABLE_NAMES } from '../src/schema/index.js';
import { FLEET_CHECKS } from './support/cookbook-fleet-checks.js';
import { plain, truthOf } from './support/cookbook-truth.js';
import { type GlueStub, startGlueStub } from './support/glue-stub.js';
import { asVersion3, rewriteAsVersion3 } from './support/previous-schema-lake.js';
import { rateLimitsEnv } from './support/rate-limits.js';
import { runCli } from './support/run-cli.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

/**
 * `account_id` and `region` (schema version 4): every row of every table says which account and
 * Region its execution ran in, from the execution ARN, so a fleet shares one lake; a lake that
 * also holds files of schema version 3 still queries, verifies and compacts.
 */

const HOME = { account: '123456789012', region: 'us-east-1' }; // the synthetic generator's
const AWAY = { account: '210987654321', region: 'eu-west-1' };
const functionArn = (name: string, at: typeof HOME) =>
  `arn:aws:lambda:${at.region}:${at.account}:function:${name}`;

/**
 * `executions` with every ARN of function `name` moved to account and Region `to` (the synthetic
 * generator makes every function in one account and Region): each string that holds the function's
 * ARN, so chained invokes and their children stay linked.
 */
function relocated<T extends StoredExecution>(executions: T[], name: string, to: typeof AWAY): T[] {
  const from = `${functionArn(name, HOME)}:`;
  const into = `${functionArn(name, to)}:`;
  const move = (value: unknown): unknown => {
    if (typeof value === 'string') return value.replaceAll(from, into);
    if (Array.isArray(value)) return value.map(move);
    if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, move(v)]));
    }
    return value;
  };
  return executions.map((e) => move(e) as T);
}

const functionOf = (e: SyntheticExecution) => String(e.execution.FunctionArn).split(':')[6];

/** Rows of `table` whose origin columns differ from their execution ARN's account and Region fields. */
const WRONG_ORIGIN = (table: string) => `SELECT count(*) AS n,
  count(*) FILTER (WHERE account_id IS DISTINCT FROM split_part(execution_arn, ':', 5)
                      OR region IS DISTINCT FROM split_part(execution_arn, ':', 4)) AS wrong
  FROM ${table}`;

describe('account_id and region: two accounts and Regions exported into one lake', () => {
  const servers = useTestServers('origin-');
  const source = relocated(
    generateSyntheticExecutions({ count: 12, seed: 41, functionNames: ['orders', 'payments'] }),
    'payments',
    AWAY,
  );
  let service: RunningLocalService;

  beforeAll(async () => {
    service = await servers.localService({ executions: source });
  });

  const exportTo = (out: string, functions: string[]) =>
    runCli(
      [
        'export',
        ...functions.flatMap((f) => ['-f', f]),
        '--out',
        out,
        '--endpoint-url-lambda',
        service.url,
        '--no-progress',
      ],
      { ...LOCAL_AWS_ENV, ...rateLimitsEnv(1000) },
    );

  it("gives every row of every table its execution ARN's account and Region", async () => {
    const lake = join(servers.work, 'fleet');
    const exported = await exportTo(lake, [functionArn('orders', HOME), functionArn('payments', AWAY)]);
    expect(exported.code).toBe(0);
    const session = await openLakeSession(lake);
    try {
      for (const table of TABLE_NAMES) {
        const [row] = rowObjects(await session.query(WRONG_ORIGIN(table)));
        expect(row?.n, table).toBeGreaterThan(0n);
        expect(row?.wrong, table).toBe(0n);
      }
      const perPlace = rowObjects(
        await session.query(
          'SELECT account_id, region, count(*) AS executions FROM executions GROUP BY 1, 2 ORDER BY 1',
        ),
      );
      const count = (name: string) => BigInt(source.filter((e) => functionOf(e) === name).length);
      expect(perPlace).toEqual([
        { ...origin(HOME), executions: count('orders') },
        { ...origin(AWAY), executions: count('payments') },
      ]);
      // The cookbook's fleet query: one row per account and Region, checked against the source.
      const fleet = plain(rowObjects(await session.query(cookbookQuery('fleet-failure-rate').sql)));
      expect(fleet).toHaveLength(2);
      const executions = truthOf(source);
      FLEET_CHECKS['fleet-failure-rate']?.(fleet, {
        executions,
        ops: executions.flatMap((e) => e.operations),
      });
    } finally {
      session.close();
    }
  }, 60_000);

  it('reads a lake of schema version 3 files and new files: query, verify and compact', async () => {
    const lake = join(servers.work, 'mixed');
    // A lake an earlier durable-export wrote (the orders of the home account), then a new export.
    expect((await exportTo(lake, [functionArn('orders', HOME)])).code).toBe(0);
    expect(await rewriteAsVersion3(lake)).toBeGreaterThan(0);
    expect((await exportTo(lake, [functionArn('payments', AWAY)])).code).toBe(0);

    const sql = `SELECT account_id, region, count(*) AS n FROM operations_latest GROUP BY 1, 2 ORDER BY 1 NULLS FIRST`;
    const before = await runCli(['query', '--out', lake, sql, '--format', 'json']);
    expect(before.stderr).toBe('');
    const ops = (name: string) =>
      source.filter((e) => functionOf(e) === name).reduce((n, e) => n + e.expectedOperations.length, 0);
    // Rows of the old files have NULL in the new columns.
    expect(JSON.parse(before.stdout)).toEqual([
      { account_id: null, region: null, n: ops('orders') },
      { ...origin(AWAY), n: ops('payments') },
    ]);
    const verified = await runCli(['verify', '--out', lake]);
    expect(verified.stdout).toContain('verify: OK');
    expect(verified.code).toBe(0);

    const compacted = await runCli(['compact', '--out', lake, '--before', '2100-01-01']);
    expect(compacted.stderr).toBe('');
    expect(compacted.code).toBe(0);
    expect(compacted.stdout).toMatch(/operations\/dt=\S+: \d+ files \(\d+ bytes\) -> 1 \(\d+ bytes\)/);
    expect((await runCli(['verify', '--out', lake])).code).toBe(0);
    // The rewritten files keep the columns; the old rows gain their ARN's account and Region.
    const after = await runCli(['query', '--out', lake, sql, '--format', 'json']);
    expect(JSON.parse(after.stdout)).toEqual([
      { ...origin(HOME), n: ops('orders') },
      { ...origin(AWAY), n: ops('payments') },
    ]);
    const session = await openLakeSession(lake);
    try {
      for (const table of TABLE_NAMES) {
        const [row] = rowObjects(await session.query(WRONG_ORIGIN(table)));
        expect(row?.wrong, table).toBe(0n);
      }
    } finally {
      session.close();
    }
  }, 120_000);
});

describe('account_id and region: a Glue catalog registered by schema version 3', () => {
  let stub: GlueStub;
  beforeAll(async () => {
    stub = await startGlueStub();
  });
  afterAll(() => stub?.close());

  it('gains the two columns at the end of every table, and new latest views', async () => {
    const lake = { bucket: 'fleet-lake', prefix: 'durable' };
    const glue = createGlueClient({
      endpoint: stub.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    try {
      const previous = LAKE_TABLES.map(asVersion3);
      await registerGlueTables({ client: glue, lake, tables: previous });
      await registerGlueViews({ client: glue, lake, tables: previous });
      const tables = await registerGlueTables({ client: glue, lake });
      expect(tables.map((o) => [o.table, o.action, o.addedColumns])).toEqual(
        TABLE_NAMES.map((name) => [name, 'appended', ['account_id', 'region']]),
      );
      const views = await registerGlueViews({ client: glue, lake });
      expect(views.map((o) => o.action)).toEqual(['replaced', 'replaced']);
      const columns = (name: string) =>
        (
          (stub.tables.get(`durable_export.${name}`)?.StorageDescriptor as { Columns?: Column[] } | undefined)
            ?.Columns ?? []
        ).map((c) => c.Name);
      expect(columns('operations').slice(-2)).toEqual(['account_id', 'region']);
      expect(columns('executions_latest').slice(-3)).toEqual(['account_id', 'region', 'dt']);
    } finally {
      glue.destroy();
    }
  });
});

function origin(at: typeof HOME) {
  return { account_id: at.account, region: at.region };
}
