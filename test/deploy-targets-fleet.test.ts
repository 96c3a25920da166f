import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientOptionsOf } from '../src/aws/aws-connection.js';
import { createS3Client } from '../src/aws/s3-client.js';
import { handler as planHandler } from '../src/lambda/plan-handler.js';
import { handler as workItemHandler } from '../src/lambda/work-item-handler.js';
import type { WorkItem } from '../src/plan/work-item.js';
import { logicalIdOf, standInCodeDirectory, synthesizeExport } from './support/deploy-stack.js';
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
import { lambdaContext } from './support/lambda-context.js';
import { rateLimitsEnv } from './support/rate-limits.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

/** The bucket of the synthesized stack (test/support/deploy-stack.ts), here on the local S3. */
const BUCKET = 'my-lake';
const TARGETS = [
  ...FLEET_REGIONS.map((region) => ({ region })),
  ...FLEET_REGIONS.map((region) => ({ region, roleArn: MEMBER_ROLE, externalId: MEMBER_EXTERNAL_ID })),
];

/**
 * A fleet of the `DurableExport` construct with `targets`, started by hand with a window: the plan
 * and work-item handlers run in-process with the environment of the synthesized template, against
 * the local durable service (two accounts, two Regions) and the local STS, as the state machine
 * would run them (test/plan-handler.test.ts runs the same steps for one account).
 */
describe('DurableExport targets: a backfill of the fleet reads each target', () => {
  const servers = useTestServers('deploy-targets-fleet-');
  const executions = fleetExecutions(
    24,
    41,
    [CENTRAL_ACCOUNT, MEMBER_ACCOUNT].flatMap((a) => FLEET_REGIONS.map((r) => fleetFunction(a, r, 'orders'))),
  );
  const synthesized = synthesizeExport(
    { functions: ['orders'], prefix: 'durable', fleet: true, targets: TARGETS },
    standInCodeDirectory(),
  );
  const saved = { ...process.env };
  let fleet: Fleet;
  let s3Endpoint: string;

  beforeAll(async () => {
    s3Endpoint = (await servers.localS3(BUCKET)).endpoint;
    fleet = await startFleet(servers, { executions });
    Object.assign(process.env, LOCAL_AWS_ENV);
  });
  afterAll(() => {
    process.env = saved;
  });

  async function withEnvironment<T>(fn: IConstruct | undefined, run: () => Promise<T>): Promise<T> {
    const before = { ...process.env };
    const resources = synthesized.template.toJSON().Resources;
    Object.assign(
      process.env,
      resources[logicalIdOf(synthesized, fn)].Properties.Environment.Variables,
      rateLimitsEnv(1000),
      {
        AWS_ENDPOINT_URL_S3: s3Endpoint,
        AWS_ENDPOINT_URL_LAMBDA: fleet.service.url,
        AWS_ENDPOINT_URL_STS: fleet.sts.url,
      },
    );
    try {
      return await run();
    } finally {
      process.env = before;
    }
  }

  it('plans items in every target, each carrying its role, and the work items export every execution once', async () => {
    const input = {
      startedAfter: '2000-01-01T00:00:00Z',
      startedBefore: new Date(Date.now() + 86_400_000).toISOString(),
    };
    const plan = await withEnvironment(synthesized.construct.planFunction, () =>
      planHandler({ executionName: 'backfill-targets', input }),
    );
    const s3 = createS3Client(clientOptionsOf({ endpointUrlS3: s3Endpoint }, 's3'));
    const object = await s3.send(new GetObjectCommand({ Bucket: plan.bucket, Key: plan.key }));
    const text = (await object.Body?.transformToString()) ?? '';
    s3.destroy();
    const items = text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as WorkItem);
    expect(new Set(items.map((i) => `${i.account}/${i.region}/${i.roleArn}/${i.externalId}`))).toEqual(
      new Set([
        `${CENTRAL_ACCOUNT}/eu-west-1/null/undefined`,
        `${CENTRAL_ACCOUNT}/us-east-2/null/undefined`,
        `${MEMBER_ACCOUNT}/eu-west-1/${MEMBER_ROLE}/${MEMBER_EXTERNAL_ID}`,
        `${MEMBER_ACCOUNT}/us-east-2/${MEMBER_ROLE}/${MEMBER_EXTERNAL_ID}`,
      ]),
    );
    const BatchInput = { kind: 'work-items', planKey: plan.key, sinceLastRun: plan.sinceLastRun };
    const batch = await withEnvironment(synthesized.construct.workItemFunction, () =>
      workItemHandler({ Items: items, BatchInput }, lambdaContext(600_000)),
    );
    expect(batch.executionsExported).toBe(executions.length);
    expect(fleet.sts.assumeRoleCalls(MEMBER_ROLE)).toBeGreaterThan(0);
  }, 120_000);
});
