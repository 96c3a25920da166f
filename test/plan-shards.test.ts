import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import type { WorkItem } from '../src/plan/work-item.js';
import { compareLakeWithSource, noDifference } from './support/lake-equality.js';
import { rateLimitsEnv } from './support/rate-limits.js';
import { runCli } from './support/run-cli.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

const FUNCTIONS = ['orders', 'payments', 'audit'];
const TARGET = 8;

describe('plan, --work-item and --shard', () => {
  const servers = useTestServers('plan-shards-');
  let service: RunningLocalService;
  const source = generateSyntheticExecutions({ count: 48, seed: 11, functionNames: FUNCTIONS });
  const startsOf = (fn: string) =>
    source
      .filter((e) => String(e.execution.FunctionArn).includes(`:function:${fn}`))
      .map((e) => Math.round(Number(e.execution.StartTimestamp) * 1000));
  const env = () => ({ ...LOCAL_AWS_ENV, ...rateLimitsEnv(1000), AWS_ENDPOINT_URL_LAMBDA: service.url });
  const planFile = () => join(servers.work, 'plan.jsonl');
  let items: WorkItem[];

  beforeAll(async () => {
    service = await servers.localService({ executions: source });
    const fns = FUNCTIONS.flatMap((f) => ['-f', f]);
    const planned = await runCli(
      [
        'plan',
        ...fns,
        '--out',
        join(servers.work, 'sharded'),
        '--plan-out',
        planFile(),
        '--target-executions-per-item',
        String(TARGET),
      ],
      env(),
    );
    expect(planned.stderr).toBe('');
    expect(planned.code).toBe(0);
    items = (await readFile(planFile(), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as WorkItem);
  }, 60_000);

  it('plan writes items of similar size that partition each function’s executions at execution boundaries', async () => {
    expect(items.map((i) => i.item)).toEqual(items.map((_, n) => n));
    for (const fn of FUNCTIONS) {
      const starts = startsOf(fn);
      const own = items.filter((i) => i.function === fn);
      expect(own.length).toBe(Math.ceil(starts.length / TARGET) || 1);
      // Each item holds its share within 1 (distinct start times), never more than the target.
      const share = starts.length / own.length;
      for (const i of own) {
        expect(Math.abs(i.executions - share)).toBeLessThanOrEqual(1);
        expect(i.executions).toBeLessThanOrEqual(TARGET);
        expect(i.account).toMatch(/^\d{12}$/);
        expect(i.region).toBeTruthy();
        expect(i.roleArn).toBeNull();
      }
      // Half-open slices that meet exactly; the outer bounds are open (no window was given).
      expect(own[0]?.startedAfter).toBeNull();
      expect(own.at(-1)?.startedBefore).toBeNull();
      for (let k = 1; k < own.length; k++) {
        const cut = own[k]?.startedAfter as string;
        expect(own[k - 1]?.startedBefore).toBe(cut);
        // Each cut is an execution's start: an execution exactly on a boundary, in the later slice.
        expect(starts).toContain(Date.parse(cut));
      }
      expect(own.reduce((n, i) => n + i.executions, 0)).toBe(starts.length);
    }
    expect(items.length).toBeGreaterThanOrEqual(6);
  });

  it('plan + 3 shards in separate processes give the lake of one export: no duplicates, verify passes', async () => {
    const single = join(servers.work, 'single');
    const sharded = join(servers.work, 'sharded');
    const one = await runCli(['export', ...FUNCTIONS.flatMap((f) => ['-f', f]), '--out', single], env());
    expect(one.code).toBe(0);
    const shards = await Promise.all(
      [0, 1, 2].map((i) =>
        runCli(
          [
            'export',
            '--plan',
            planFile(),
            '--shard',
            `${i}/3`,
            '--out',
            sharded,
            '--summary-json',
            join(servers.work, `shard-${i}.json`),
          ],
          env(),
        ),
      ),
    );
    for (const s of shards) expect(s.code, s.stderr).toBe(0);
    expect(await compareLakeWithSource(single, source)).toEqual(noDifference(source));
    expect(await compareLakeWithSource(sharded, source)).toEqual(noDifference(source));
    const verify = await runCli(['verify', '--out', sharded], env());
    expect(verify.stdout).toContain('verify: OK');
    expect(verify.code).toBe(0);
    // Each shard names its items; together they are every item, each once.
    const ran: number[] = [];
    for (const i of [0, 1, 2]) {
      const summary = JSON.parse(await readFile(join(servers.work, `shard-${i}.json`), 'utf8'));
      expect(summary.shard).toBe(`${i}/3`);
      for (const w of summary.workItems) {
        expect(w.item % 3).toBe(i);
        ran.push(w.item);
      }
      expect(shards[i]?.stdout).toContain(`work items of ${planFile()} (shard ${i}/3)`);
    }
    expect(ran.sort((a, b) => a - b)).toEqual(items.map((i) => i.item));
  }, 180_000);

  it('a re-run of a work item is the same job: it skips what the first run committed', async () => {
    const sharded = join(servers.work, 'sharded');
    const again = await runCli(
      ['export', '--work-item', `${planFile()}#1`, '--out', sharded, '--summary-json', '-'],
      env(),
    );
    const summary = JSON.parse(again.stdout);
    expect(summary.workItems.map((w: { item: number }) => w.item)).toEqual([1]);
    expect(summary.executionsExported).toBe(0);
    expect(summary.executionsSkipped).toBe(items[1]?.executions);
  }, 60_000);

  it('bad work-item references are usage errors naming the file and line', async () => {
    const out = join(servers.work, 'bad');
    const missing = join(servers.work, 'no-such-plan.jsonl');
    const noFile = await runCli(['export', '--work-item', `${missing}#0`, '--out', out], env());
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain(`cannot read work items ${missing}`);

    const outOfRange = await runCli(['export', '--work-item', `${planFile()}#99`, '--out', out], env());
    expect(outOfRange.code).toBe(2);
    expect(outOfRange.stderr).toContain(
      `work items ${planFile()} has no item 99 (items 0-${items.length - 1})`,
    );

    const malformed = join(servers.work, 'malformed.jsonl');
    const lines = (await readFile(planFile(), 'utf8')).split('\n');
    await writeFile(malformed, `${lines[0]}\n{"item": 1, "function": \n`);
    const badLine = await runCli(['export', '--work-item', malformed, '--out', out], env());
    expect(badLine.code).toBe(2);
    expect(badLine.stderr).toContain(`work items ${malformed} line 2: not JSON`);

    const notItem = join(servers.work, 'not-item.jsonl');
    await writeFile(notItem, '{"item": 0, "function": "orders"}\n');
    const partial = await runCli(['export', '--work-item', notItem, '--out', out], env());
    expect(partial.code).toBe(2);
    expect(partial.stderr).toContain(`work items ${notItem} line 1: not a work item`);

    const withFunction = await runCli(
      ['export', '--plan', planFile(), '--shard', '0/3', '-f', 'orders', '--out', out],
      env(),
    );
    expect(withFunction.code).toBe(2);
    expect(withFunction.stderr).toContain(
      'a work item sets the function and the time window: drop --function',
    );

    const badShard = await runCli(['export', '--plan', planFile(), '--shard', '3/3', '--out', out], env());
    expect(badShard.code).toBe(2);
    expect(badShard.stderr).toContain('--shard 3/3: expected i/N with 0 <= i < N');
  }, 120_000);

  it('plan writes to s3:// and --work-item reads from it', async () => {
    const s3 = await servers.localS3('plans');
    const s3env = { ...env(), AWS_ENDPOINT_URL_S3: s3.endpoint };
    const location = 's3://plans/fleet/plan.jsonl';
    const planned = await runCli(
      [
        'plan',
        '-f',
        'orders',
        '--out',
        join(servers.work, 'from-s3'),
        '--plan-out',
        location,
        '--target-executions-per-item',
        '5',
      ],
      s3env,
    );
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stdout).toContain(`written to            ${location}`);
    const out = join(servers.work, 'from-s3');
    const run = await runCli(
      ['export', '--work-item', `${location}#0`, '--out', out, '--summary-json', '-'],
      s3env,
    );
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.workItemsFrom).toBe('s3://plans/fleet/plan.jsonl');
    expect(summary.workItems).toHaveLength(1);
    expect(summary.executionsExported).toBe(summary.workItems[0].executionsListed);
    expect(summary.executionsExported).toBeGreaterThan(0);
  }, 60_000);
});
