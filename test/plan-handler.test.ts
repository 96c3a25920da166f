import { GetObjectCommand } from '@aws-sdk/client-s3';
import { Duration } from 'aws-cdk-lib';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientOptionsOf } from '../src/aws/aws-connection.js';
import { createS3Client } from '../src/aws/s3-client.js';
import { handler as planHandler } from '../src/lambda/plan-handler.js';
import { handler as workItemHandler } from '../src/lambda/work-item-handler.js';
import { type RunningLocalService, startLocalService } from '../src/local/service/local-service.js';
import {
  generateSyntheticExecutions,
  type SyntheticExecution,
} from '../src/local/synthetic/generate-executions.js';
import { queryLake } from '../src/query/query-lake.js';
import { type PreconditionProxy, startPreconditionProxy } from './sink-precondition-proxy.js';
import { logicalIdOf, onlyResource, standInCodeDirectory, synthesizeExport } from './support/deploy-stack.js';
import { lambdaContext } from './support/lambda-context.js';
import { rateLimitsEnv } from './support/rate-limits.js';
import { asRunning } from './support/running-execution.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';
import { expectVerifiedOnce } from './support/verified-lake.js';

const DAY_MS = 86_400_000;
/** The bucket of the synthesized stack (test/support/deploy-stack.ts), here on the local S3. */
const BUCKET = 'my-lake';

const arnOf = (e: SyntheticExecution) => String(e.execution.DurableExecutionArn);
const operationsOf = (executions: SyntheticExecution[]) =>
  executions.reduce((n, e) => n + e.expectedOperations.length, 0);

/**
 * The scheduled fleet end to end in-process: the `DurableExport` construct is synthesized with
 * `allFunctions`, `fleet` and a schedule; its plan and work-item handlers run with the environment
 * the template gives them, the Plan step gets the payload the state machine makes of the schedule's
 * input, and the Map's batches are made of the plan the Plan step wrote to the local S3, as the
 * ItemReader and ItemBatcher would.
 */
describe('the fleet’s plan handler: a scheduled plan whose items the work-item handler runs', () => {
  const servers = useTestServers('plan-handler-');
  const startFrom = new Date(Date.now() - 2 * DAY_MS);
  const synthesized = synthesizeExport(
    {
      allFunctions: true,
      prefix: 'durable',
      fleet: true,
      schedule: ScheduleExpression.rate(Duration.hours(1)),
      startedAfter: startFrom.toISOString().slice(0, 10),
    },
    standInCodeDirectory(),
  );
  const environmentOf = (fn: IConstruct | undefined): Record<string, string> =>
    synthesized.template.toJSON().Resources[logicalIdOf(synthesized, fn)].Properties.Environment.Variables;
  const scheduleInput: unknown = JSON.parse(
    (onlyResource(synthesized.template, 'AWS::Scheduler::Schedule').Target as { Input: string }).Input,
  );
  const maxItemsPerBatch = 5;
  const saved = { ...process.env };
  let proxy: PreconditionProxy;
  let service: RunningLocalService | undefined;

  beforeAll(async () => {
    const s3 = await servers.localS3(BUCKET);
    proxy = servers.own(await startPreconditionProxy(s3.endpoint));
    Object.assign(process.env, LOCAL_AWS_ENV, { AWS_ENDPOINT_URL_S3: proxy.endpoint });
  });
  afterAll(async () => {
    await service?.close();
    process.env = saved;
  });

  async function serve(executions: SyntheticExecution[]): Promise<void> {
    await service?.close();
    service = await startLocalService({ executions });
    process.env.AWS_ENDPOINT_URL_LAMBDA = service.url;
  }

  /** Runs `fn` with the function's environment from the template (and fast local rate limits). */
  async function withEnvironment<T>(fn: IConstruct | undefined, run: () => Promise<T>): Promise<T> {
    const before = { ...process.env };
    Object.assign(process.env, environmentOf(fn), rateLimitsEnv(1000), extra);
    try {
      return await run();
    } finally {
      process.env = before;
    }
  }
  let extra: Record<string, string> = {};

  /** One execution of the state machine: Plan, then (items > 0) the Map's batches; what each step returned. */
  async function runStateMachine(executionName: string, input: unknown) {
    // The Plan task's Payload: { 'executionName.$': '$$.Execution.Name', 'input.$': '$' }.
    const plan = await withEnvironment(synthesized.construct.planFunction, () =>
      planHandler({ executionName, input }),
    );
    if (plan.items === 0) return { plan, batches: [] };
    const lines = await readPlan(plan.bucket, plan.key);
    expect(lines).toHaveLength(plan.items);
    const batches = [];
    for (let i = 0; i < lines.length; i += maxItemsPerBatch) {
      const Items = lines.slice(i, i + maxItemsPerBatch);
      const BatchInput = { kind: 'work-items', planKey: plan.key, sinceLastRun: plan.sinceLastRun };
      batches.push(
        await withEnvironment(synthesized.construct.workItemFunction, () =>
          workItemHandler({ Items, BatchInput }, lambdaContext(600_000)),
        ),
      );
    }
    return { plan, batches };
  }

  async function readPlan(bucket: string, key: string): Promise<unknown[]> {
    const s3 = createS3Client(clientOptionsOf({ endpointUrlS3: proxy.endpoint }, 's3'));
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      expect(object.ContentType).toBe('application/x-ndjson');
      const text = (await object.Body?.transformToString()) ?? '';
      return text
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l));
    } finally {
      s3.destroy();
    }
  }

  it('plans one item per discovered function from its watermark; run twice, the lake is one export with the ended executions re-exported', async () => {
    const out = `s3://${BUCKET}/durable`;
    const finished = generateSyntheticExecutions({
      count: 12,
      seed: 31,
      functionNames: ['orders', 'payments'],
      startFrom,
      spanDays: 1,
    });
    const ending = finished.filter((e) => e.execution.Status === 'SUCCEEDED').slice(0, 2);
    const endingArns = new Set(ending.map(arnOf));
    await serve(finished.map((e) => (endingArns.has(arnOf(e)) ? asRunning(e) : e)));

    expect(scheduleInput).toEqual({ sinceLastRun: true });
    const first = await runStateMachine('scheduled-run-1', scheduleInput);
    expect(first.plan).toEqual({
      bucket: BUCKET,
      key: 'durable/_plans/scheduled-run-1.jsonl',
      items: 2,
      sinceLastRun: true,
    });
    expect(first.batches).toHaveLength(1);
    expect(first.batches[0]).toMatchObject({ items: [0, 1], executionsExported: 12, executionsFailed: 0 });
    await expectVerifiedOnce(out, operationsOf(finished), proxy.endpoint);

    // Between the runs two executions end and three new ones start: the next scheduled run
    // exports the new ones from each function's watermark and re-exports the two that ended.
    const later = generateSyntheticExecutions({
      count: 3,
      seed: 32,
      functionNames: ['orders'],
      startFrom: new Date(Date.now() + 5),
      spanDays: 20 / DAY_MS,
    });
    await serve([...finished, ...later]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    const second = await runStateMachine('scheduled-run-2', scheduleInput);
    expect(second.plan.items).toBe(2);
    const exported = second.batches.reduce((n, b) => n + b.executionsExported, 0);
    expect(exported).toBe(3 + 2);
    await expectVerifiedOnce(out, operationsOf([...finished, ...later]), proxy.endpoint);
    const statuses = await queryLake(
      out,
      `SELECT status FROM executions_latest WHERE execution_arn IN (${[...endingArns].map((a) => `'${a}'`).join(', ')})`,
      { endpointUrlS3: proxy.endpoint },
    );
    expect(statuses.rows.map((r) => r[0])).toEqual(['SUCCEEDED', 'SUCCEEDED']);

    // A third run finds nothing new: nothing is exported again.
    const third = await runStateMachine('scheduled-run-3', scheduleInput);
    expect(third.batches.reduce((n, b) => n + b.executionsExported, 0)).toBe(0);
    await expectVerifiedOnce(out, operationsOf([...finished, ...later]), proxy.endpoint);
  });

  it('plans a backfill window started by hand in slices, which together export it once; or runs a plan given by its key', async () => {
    const executions = generateSyntheticExecutions({
      count: 10,
      seed: 33,
      functionNames: ['refunds'],
      startFrom,
      spanDays: 1,
    });
    await serve(executions);
    const out = `s3://${BUCKET}/backfill`;
    extra = { DURABLE_EXPORT_EXPORT_OUT: out };
    try {
      const input = {
        startedAfter: startFrom.toISOString(),
        startedBefore: new Date(startFrom.getTime() + DAY_MS + 1).toISOString(),
        targetExecutionsPerItem: 3,
      };
      const { plan, batches } = await runStateMachine('backfill-1', input);
      expect(plan).toMatchObject({ key: 'backfill/_plans/backfill-1.jsonl', sinceLastRun: false });
      expect(plan.items).toBeGreaterThanOrEqual(3);
      expect(batches.reduce((n, b) => n + b.executionsExported, 0)).toBe(10);
      await expectVerifiedOnce(out, operationsOf(executions), proxy.endpoint);

      // The same plan given by its key (as `plan --plan-out` would have written it): read, not
      // made again; its items' jobs are committed, so nothing is exported twice.
      const again = await runStateMachine('backfill-2', { planKey: plan.key });
      expect(again.plan).toEqual({ ...plan, key: plan.key });
      expect(again.batches.reduce((n, b) => n + b.executionsExported, 0)).toBe(0);
      expect(again.batches.reduce((n, b) => n + b.executionsSkipped, 0)).toBe(10);
      await expectVerifiedOnce(out, operationsOf(executions), proxy.endpoint);
      await expect(
        withEnvironment(synthesized.construct.planFunction, () =>
          planHandler({ executionName: 'x', input: { planKey: 'backfill/plans/elsewhere.jsonl' } }),
        ),
      ).rejects.toThrow(/reads plans under backfill\/_plans\/ only/);
    } finally {
      extra = {};
    }
  });

  it('refuses an event that is not the Plan step’s, naming the field', async () => {
    await expect(planHandler({ input: { sinceLastRun: true } })).rejects.toThrow(
      /not an event of the fleet state machine's Plan step: executionName/,
    );
    await expect(
      planHandler({ executionName: 'x', input: { sinceLastRun: true, window: 1 } }),
    ).rejects.toThrow(/input window/);
  });
});
