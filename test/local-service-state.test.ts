import {
  GetDurableExecutionStateCommand,
  InvalidParameterValueException,
  type LambdaClient,
  type Operation,
  paginateGetDurableExecutionState,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateSyntheticExecutions,
  type RunningLocalService,
  type StoredExecution,
  startLocalService,
} from '../src/local/index.js';
import { defined, localLambdaClient } from './support/local-lambda-client.js';

const client = localLambdaClient;

const ARN =
  'arn:aws:lambda:us-east-1:123456789012:function:tree:1/durable-execution/tree-1/0b7e8c1a-2f4d-4e6a-9b1c-3d5e7f9a1b2c';
const T0 = 1767225600;

/**
 * A hand-written history: EXECUTION; A (RunInChildContext, succeeded) > a1, A2 (succeeded) > a21;
 * B (Map, succeeded, ReplayChildren) > B1 (succeeded) > b11; C (Parallel, still open) > c1.
 */
function treeExecution(): StoredExecution {
  const events: Record<string, unknown>[] = [];
  const add = (
    EventType: string,
    Id: string,
    extra: Record<string, unknown> = {},
    details: Record<string, unknown> = {},
  ) =>
    events.push({
      EventType,
      EventId: events.length + 1,
      Id,
      EventTimestamp: T0 + events.length * 0.125,
      ...extra,
      [`${EventType}Details`]: details,
    });
  const ctx = (id: string, subType: string, parent?: string) => ({
    SubType: subType,
    ...(parent && { ParentId: parent }),
    Name: id,
  });
  const ok = { Result: { Payload: '"ok"', Truncated: false } };
  add(
    'ExecutionStarted',
    'exec-1',
    {},
    { Input: { Payload: '{}', Truncated: false }, ExecutionTimeout: 900 },
  );
  add('ContextStarted', 'A', ctx('A', 'RunInChildContext'));
  add('StepStarted', 'a1', ctx('a1', 'Step', 'A'));
  add('StepSucceeded', 'a1', ctx('a1', 'Step', 'A'), { ...ok, RetryDetails: { CurrentAttempt: 1 } });
  add('ContextStarted', 'A2', ctx('A2', 'RunInChildContext', 'A'));
  add('WaitStarted', 'a21', ctx('a21', 'Wait', 'A2'), { Duration: 1, ScheduledEndTimestamp: T0 + 2 });
  add('WaitSucceeded', 'a21', ctx('a21', 'Wait', 'A2'), { Duration: 1 });
  add('ContextSucceeded', 'A2', ctx('A2', 'RunInChildContext', 'A'), ok);
  add('ContextSucceeded', 'A', ctx('A', 'RunInChildContext'), ok);
  add('ContextStarted', 'B', ctx('B', 'Map'));
  add('ContextStarted', 'B1', ctx('B1', 'MapIteration', 'B'));
  add('StepStarted', 'b11', ctx('b11', 'Step', 'B1'));
  add('StepSucceeded', 'b11', ctx('b11', 'Step', 'B1'), { ...ok, RetryDetails: { CurrentAttempt: 1 } });
  add('ContextSucceeded', 'B1', ctx('B1', 'MapIteration', 'B'), ok);
  add('ContextSucceeded', 'B', ctx('B', 'Map'), {
    Result: { Payload: '', Truncated: false },
    ReplayChildren: true,
  });
  add('ContextStarted', 'C', ctx('C', 'Parallel'));
  add('StepStarted', 'c1', ctx('c1', 'Step', 'C'));
  add('StepFailed', 'c1', ctx('c1', 'Step', 'C'), {
    Error: { Payload: { ErrorType: 'Error', ErrorMessage: 'boom' }, Truncated: false },
    RetryDetails: { CurrentAttempt: 1, NextAttemptDelaySeconds: 5 },
  });
  add(
    'InvocationCompleted',
    undefined as never,
    {},
    { StartTimestamp: T0, EndTimestamp: T0 + 3, RequestId: 'r-1' },
  );
  delete events.at(-1)?.Id;
  return {
    execution: {
      DurableExecutionArn: ARN,
      DurableExecutionName: 'tree-1',
      FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:tree:1',
      Status: 'RUNNING',
      StartTimestamp: T0,
    },
    events,
  };
}

const synthetic = generateSyntheticExecutions({ count: 30, seed: 21 });

describe('GetDurableExecutionState', () => {
  let service: RunningLocalService;
  let c: LambdaClient;
  beforeAll(async () => {
    service = await startLocalService({ executions: [treeExecution(), ...synthetic] });
    c = client(service);
  });
  afterAll(() => service.close());

  async function allOperations(arn: string, pageSize: number): Promise<{ ops: Operation[]; pages: number }> {
    const ops: Operation[] = [];
    let pages = 0;
    const input = { DurableExecutionArn: arn, CheckpointToken: service.checkpointToken(arn) };
    for await (const page of paginateGetDurableExecutionState({ client: c, pageSize }, input)) {
      pages++;
      ops.push(...(page.Operations ?? []));
    }
    return { ops, pages };
  }

  it('prunes the children of completed contexts unless ReplayChildren is true', async () => {
    const { ops, pages } = await allOperations(ARN, 2);
    expect(ops.map((op) => op.Id)).toEqual(['exec-1', 'A', 'B', 'B1', 'C', 'c1']);
    expect(pages).toBe(3);
    const byId = new Map(ops.map((op) => [op.Id, op]));
    expect(byId.get('B')?.ContextDetails).toEqual({ ReplayChildren: true, Result: '' });
    expect(byId.get('C')).toMatchObject({ Status: 'STARTED', Type: 'CONTEXT', SubType: 'Parallel' });
    expect(byId.get('c1')).toMatchObject({ Status: 'PENDING', ParentId: 'C' });
    expect(byId.get('c1')?.StepDetails?.Attempt).toBe(1);
    expect(byId.get('c1')?.StepDetails?.NextAttemptTimestamp?.getTime()).toBe((T0 + 17 * 0.125 + 5) * 1000);
    expect(byId.get('c1')?.StartTimestamp?.toISOString()).toBe('2026-01-01T00:00:02.000Z');
    expect(byId.get('exec-1')?.ExecutionDetails?.InputPayload).toBe('{}');
  });

  it('pages a large replay view with every operation exactly once, in start order', async () => {
    // Top-level operations are never pruned, so the execution with the most of them has the largest view.
    const topLevel = (e: (typeof synthetic)[number]) =>
      e.expectedOperations.filter((op) => op.ParentId === undefined).length;
    const big = defined([...synthetic].sort((a, b) => topLevel(b) - topLevel(a))[0], 'execution');
    const { ops, pages } = await allOperations(big.execution.DurableExecutionArn as string, 3);
    expect(topLevel(big)).toBeGreaterThan(6);
    expect(pages).toBe(Math.ceil(ops.length / 3));
    const ids = ops.map((op) => op.Id);
    expect(new Set(ids).size).toBe(ids.length);
    const order = big.expectedOperations.map((op) => op.Id);
    expect(ids).toEqual(order.filter((id) => ids.includes(id as string)));
    for (const op of big.expectedOperations) if (op.ParentId === undefined) expect(ids).toContain(op.Id);
  });

  it('accepts only the current checkpoint token', async () => {
    const arn = defined(synthetic[3], 'execution 3').execution.DurableExecutionArn as string;
    const send = (CheckpointToken?: string, Marker?: string) =>
      c.send(
        new GetDurableExecutionStateCommand({
          DurableExecutionArn: arn,
          CheckpointToken,
          Marker,
          MaxItems: 1,
        }),
      );
    const old = service.checkpointToken(arn);
    const first = await send(old);
    expect(first.NextMarker).toBeTruthy();
    for (const wrong of ['QUJD+/==', undefined]) {
      const rejected = send(wrong);
      await expect(rejected).rejects.toBeInstanceOf(InvalidParameterValueException);
      await expect(rejected).rejects.toThrow(/^Invalid checkpoint token$/);
    }
    const fresh = service.advanceToken(arn);
    expect(fresh).not.toBe(old);
    expect(service.checkpointToken(arn)).toBe(fresh);
    await expect(send(old)).rejects.toThrow(/^Invalid checkpoint token$/);
    await expect(send(fresh)).resolves.toMatchObject({
      Operations: [expect.objectContaining({ Type: 'EXECUTION' })],
    });
    // A marker issued under the superseded token does not continue under the new one.
    await expect(send(fresh, first.NextMarker)).rejects.toThrow(/Invalid marker/);
  });

  it('rejects a malformed ARN, an unknown execution and an expired marker', async () => {
    const send = (DurableExecutionArn: string) =>
      c.send(new GetDurableExecutionStateCommand({ DurableExecutionArn, CheckpointToken: 'QUJD' }));
    await expect(send('arn:aws:lambda:us-east-1:123456789012:function:tree')).rejects.toBeInstanceOf(
      InvalidParameterValueException,
    );
    await expect(send(ARN.replace('tree-1', 'tree-2'))).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(() => service.checkpointToken(ARN.replace('tree-1', 'tree-2'))).toThrow(/not found/);

    const quick = await startLocalService({ executions: [treeExecution()], markerTtlMs: 100 });
    try {
      const qc = client(quick);
      const input = { DurableExecutionArn: ARN, CheckpointToken: quick.checkpointToken(ARN), MaxItems: 1 };
      const first = await qc.send(new GetDurableExecutionStateCommand(input));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await expect(
        qc.send(new GetDurableExecutionStateCommand({ ...input, Marker: first.NextMarker })),
      ).rejects.toThrow(/Marker expired/);
    } finally {
      await quick.close();
    }
  });

  it('splits pages by the byte budget', async () => {
    const small = await startLocalService({ executions: synthetic, maxPageBytes: 4096 });
    try {
      const arn = defined(synthetic[0], 'execution 0').execution.DurableExecutionArn as string;
      const counts: number[] = [];
      const input = { DurableExecutionArn: arn, CheckpointToken: small.checkpointToken(arn) };
      for await (const page of paginateGetDurableExecutionState(
        { client: client(small), pageSize: 1000 },
        input,
      )) {
        counts.push(page.Operations?.length ?? 0);
      }
      expect(counts.length).toBeGreaterThan(1);
      expect(Math.max(...counts)).toBeLessThan(counts.reduce((a, b) => a + b, 0));
    } finally {
      await small.close();
    }
  });
});
