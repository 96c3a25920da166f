import {
  GetDurableExecutionCommand,
  LambdaClient,
  ListDurableExecutionsByFunctionCommand,
  ListFunctionsCommand,
} from '@aws-sdk/client-lambda';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AwsCredentials } from '../src/aws/aws-connection.js';
import {
  CENTRAL_ACCOUNT,
  type Fleet,
  fleetExecutions,
  fleetFunction,
  MEMBER_ACCOUNT,
  MEMBER_EXTERNAL_ID,
  MEMBER_ROLE,
  startFleet,
} from './support/fleet-servers.js';
import { useTestServers } from './support/test-servers.js';

const BASE = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const FUNCTIONS = [
  fleetFunction(CENTRAL_ACCOUNT, 'eu-west-1', 'orders'),
  fleetFunction(CENTRAL_ACCOUNT, 'us-east-2', 'orders'),
  fleetFunction(MEMBER_ACCOUNT, 'eu-west-1', 'orders'),
];

describe('caller routing: each caller sees its own account and Region', () => {
  const servers = useTestServers('caller-routing-');
  let fleet: Fleet;
  const executions = fleetExecutions(30, 3, FUNCTIONS);
  const arnsOf = (functionArn: string) =>
    executions
      .filter((e) => e.execution.FunctionArn === `${functionArn}:1`)
      .map((e) => e.execution.DurableExecutionArn as string);

  beforeAll(async () => {
    fleet = await startFleet(servers, { executions });
  });

  const client = (region: string, credentials: AwsCredentials = BASE) =>
    new LambdaClient({ region, endpoint: fleet.service.url, credentials, maxAttempts: 1 });
  const memberCredentials = () =>
    fromTemporaryCredentials({
      params: { RoleArn: MEMBER_ROLE, ExternalId: MEMBER_EXTERNAL_ID, RoleSessionName: 't' },
      masterCredentials: BASE,
      clientConfig: { region: 'eu-west-1', endpoint: fleet.sts.url },
    });

  it('lists the functions and executions of the caller only', async () => {
    for (const [functionArn, lambda] of [
      [FUNCTIONS[0], client('eu-west-1')],
      [FUNCTIONS[1], client('us-east-2')],
      [FUNCTIONS[2], client('eu-west-1', memberCredentials())],
    ] as const) {
      const listed = await lambda.send(new ListFunctionsCommand({}));
      expect(listed.Functions?.filter((f) => f.DurableConfig).map((f) => f.FunctionArn)).toEqual([
        functionArn,
      ]);
      const page = await lambda.send(new ListDurableExecutionsByFunctionCommand({ FunctionName: 'orders' }));
      expect(page.DurableExecutions?.map((e) => e.DurableExecutionArn).sort()).toEqual(
        arnsOf(functionArn as string).sort(),
      );
      lambda.destroy();
    }
    expect(fleet.sts.assumeRoleCalls(MEMBER_ROLE)).toBe(1);
  });

  it("answers another account's execution with AccessDenied and another Region's with ResourceNotFound", async () => {
    const lambda = client('eu-west-1');
    const [member] = arnsOf(FUNCTIONS[2] as string);
    const [otherRegion] = arnsOf(FUNCTIONS[1] as string);
    await expect(
      lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: member })),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(
      lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: otherRegion })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
    await expect(
      lambda.send(new ListDurableExecutionsByFunctionCommand({ FunctionName: FUNCTIONS[2] })),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    lambda.destroy();
  });

  it('refuses expired credentials of the STS stand-in with ExpiredTokenException', async () => {
    const shortLived = await servers.localSts({
      roles: { [MEMBER_ROLE]: { externalId: MEMBER_EXTERNAL_ID } },
      credentialLifetimeMs: 1,
    });
    const issued = await fromTemporaryCredentials({
      params: { RoleArn: MEMBER_ROLE, ExternalId: MEMBER_EXTERNAL_ID, RoleSessionName: 't' },
      masterCredentials: BASE,
      clientConfig: { region: 'eu-west-1', endpoint: shortLived.url },
    })();
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Fixed credentials: no provider to refresh them.
    const lambda = client('eu-west-1', {
      accessKeyId: issued.accessKeyId,
      secretAccessKey: issued.secretAccessKey,
      sessionToken: issued.sessionToken,
    });
    await expect(lambda.send(new ListFunctionsCommand({}))).rejects.toMatchObject({
      name: 'ExpiredTokenException',
      $metadata: { httpStatusCode: 403 },
    });
    lambda.destroy();
  });
});
