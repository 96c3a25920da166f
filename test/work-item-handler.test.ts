import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../src/lambda/work-item-handler.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import type { WorkItem } from '../src/plan/work-item.js';
import { compareLakeWithSource, noDifference } from './support/lake-equality.js';
import { lambdaContext } from './support/lambda-context.js';
import { rateLimitsEnv } from './support/rate-limits.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

const item = (n: number, fn: string): WorkItem => ({
  item: n,
  account: null,
  region: null,
  roleArn: null,
  function: fn,
  startedAfter: null,
  startedBefore: null,
  executions: 0,
});

/** The fleet state machine's Map batch, as its ItemBatcher hands it to the work-item function. */
const batch = (items: WorkItem[]) => ({
  Items: items,
  BatchInput: { kind: 'work-items', planKey: 'durable/_plans/test.jsonl' },
});

/**
 * The fleet's work-item Lambda handler in-process, against the local durable service: a Map batch
 * of plan items exported into the lake from `DURABLE_EXPORT_EXPORT_OUT`, each item its own job.
 */
describe('the work-item Lambda handler (the fleet state machine’s item processor)', () => {
  const servers = useTestServers('work-items-');
  const source = generateSyntheticExecutions({ count: 12, seed: 5, functionNames: ['orders', 'payments'] });
  const saved = { ...process.env };
  let out: string;

  beforeAll(async () => {
    const service = await servers.localService({ executions: source });
    out = join(servers.work, 'lake');
    Object.assign(process.env, LOCAL_AWS_ENV, rateLimitsEnv(1000), {
      AWS_ENDPOINT_URL_LAMBDA: service.url,
      DURABLE_EXPORT_EXPORT_OUT: out,
    });
  });
  afterAll(() => {
    process.env = saved;
  });

  it('exports each item of a batch as its own job, and a re-run of the batch skips what committed', async () => {
    const first = await handler(batch([item(0, 'orders'), item(1, 'payments')]), lambdaContext(600_000));
    expect(first).toMatchObject({ items: [0, 1], executionsExported: 12, executionsFailed: 0 });
    expect(first.manifests).toHaveLength(2);
    expect(await compareLakeWithSource(out, source)).toEqual(noDifference(source));
    const again = await handler(batch([item(0, 'orders'), item(1, 'payments')]), lambdaContext(600_000));
    expect(again).toMatchObject({ executionsExported: 0, executionsSkipped: 12 });
    expect(await compareLakeWithSource(out, source)).toEqual(noDifference(source));
  });

  it('fails a batch whose function cannot be listed (the Map counts it), and refuses a malformed one', async () => {
    await expect(handler(batch([item(2, 'no-such-function')]), lambdaContext(600_000))).rejects.toThrow(
      /work items 2 of durable\/_plans\/test\.jsonl: 0 executions and 1 listings failed/,
    );
    await expect(handler({ Items: [] }, lambdaContext(600_000))).rejects.toThrow(
      /not a work-item batch of the fleet state machine: Items/,
    );
    await expect(
      handler(batch([{ ...item(3, 'orders'), item: -1 }]), lambdaContext(600_000)),
    ).rejects.toThrow(/durable\/_plans\/test\.jsonl line 1: not a work item: item/);
  });
});
