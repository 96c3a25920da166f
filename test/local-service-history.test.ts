import {
  GetDurableExecutionCommand,
  GetDurableExecutionHistoryCommand,
  InvalidParameterValueException,
  type LambdaClient,
  paginateGetDurableExecutionHistory,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateSyntheticExecutions,
  type RunningLocalService,
  startLocalService,
} from '../src/local/index.js';
import { defined, localLambdaClient } from './support/local-lambda-client.js';

const client = localLambdaClient;

const data = generateSyntheticExecutions({ count: 40, seed: 5 });
// The execution with the most events, so paging crosses many pages.
const big = defined([...data].sort((a, b) => b.events.length - a.events.length)[0], 'execution');
const bigArn = big.execution.DurableExecutionArn as string;
const MISSING_ARN =
  'arn:aws:lambda:us-east-1:123456789012:function:order-processor:1/durable-execution/order-1/00000000-0000-4000-8000-000000000000';

describe('GetDurableExecution', () => {
  let service: RunningLocalService;
  let c: LambdaClient;
  beforeAll(async () => {
    service = await startLocalService({ executions: data });
    c = client(service);
  });
  afterAll(() => service.close());

  it('returns the stored execution with Dates at millisecond precision', async () => {
    const stored = defined(
      data.find(
        (e) => e.execution.Status === 'SUCCEEDED' && (e.execution.StartTimestamp as number) % 1 !== 0,
      ),
      'stored execution',
    );
    const got = await c.send(
      new GetDurableExecutionCommand({ DurableExecutionArn: stored.execution.DurableExecutionArn as string }),
    );
    expect(got.StartTimestamp).toBeInstanceOf(Date);
    expect(got.StartTimestamp?.getTime()).toBe(
      Math.round((stored.execution.StartTimestamp as number) * 1000),
    );
    expect(got.StartTimestamp?.getUTCMilliseconds()).not.toBe(0);
    expect(got.EndTimestamp?.getTime()).toBe(Math.round((stored.execution.EndTimestamp as number) * 1000));
    expect(got).toMatchObject({
      Status: 'SUCCEEDED',
      Version: '1',
      ExecutionDataIncluded: true,
      InputPayload: stored.execution.InputPayload,
    });
    expect(got.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('omits InputPayload, Result and Error when IncludeExecutionData is false', async () => {
    const failed = defined(
      data.find((e) => e.execution.Status === 'FAILED'),
      'failed execution',
    );
    const arn = failed.execution.DurableExecutionArn as string;
    const full = await c.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
    expect(full.Error?.ErrorType).toBeTypeOf('string');
    const lean = await c.send(
      new GetDurableExecutionCommand({ DurableExecutionArn: arn, IncludeExecutionData: false }),
    );
    expect(lean.ExecutionDataIncluded).toBe(false);
    expect(lean.InputPayload).toBeUndefined();
    expect(lean.Error).toBeUndefined();
    expect(lean.Status).toBe('FAILED');
  });

  it('rejects a malformed ARN with InvalidParameterValueException and an unknown one with ResourceNotFoundException', async () => {
    await expect(
      c.send(new GetDurableExecutionCommand({ DurableExecutionArn: 'arn:aws:lambda:nope' })),
    ).rejects.toBeInstanceOf(InvalidParameterValueException);
    const missing = c.send(new GetDurableExecutionCommand({ DurableExecutionArn: MISSING_ARN }));
    await expect(missing).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(missing).rejects.toThrow(/Durable execution not found/);
  });
});

describe('GetDurableExecutionHistory', () => {
  let service: RunningLocalService;
  let c: LambdaClient;
  beforeAll(async () => {
    service = await startLocalService({ executions: data });
    c = client(service);
  });
  afterAll(() => service.close());

  it('pages through every event exactly once, oldest first', async () => {
    const ids: number[] = [];
    let pages = 0;
    for await (const page of paginateGetDurableExecutionHistory(
      { client: c, pageSize: 25 },
      { DurableExecutionArn: bigArn },
    )) {
      pages++;
      for (const e of page.Events ?? []) ids.push(e.EventId as number);
    }
    expect(big.events.length).toBeGreaterThan(75);
    expect(pages).toBe(Math.ceil(big.events.length / 25));
    expect(ids).toEqual(big.events.map((e) => e.EventId));
  });

  it('serves newest first with ReverseOrder and keeps timestamps at millisecond precision', async () => {
    const page = await c.send(
      new GetDurableExecutionHistoryCommand({ DurableExecutionArn: bigArn, ReverseOrder: true, MaxItems: 3 }),
    );
    const last = defined(big.events.at(-1), 'event');
    expect(page.Events?.[0]?.EventId).toBe(last.EventId);
    expect(page.Events?.[0]?.EventTimestamp).toBeInstanceOf(Date);
    expect(page.Events?.[0]?.EventTimestamp?.getTime()).toBe(
      Math.round((last.EventTimestamp as number) * 1000),
    );
    expect(page.NextMarker).toBeTruthy();
  });

  it('omits payloads but keeps Truncated when IncludeExecutionData is false', async () => {
    const page = await c.send(
      new GetDurableExecutionHistoryCommand({
        DurableExecutionArn: bigArn,
        IncludeExecutionData: false,
        MaxItems: 1000,
      }),
    );
    const started = page.Events?.find((e) => e.EventType === 'ExecutionStarted');
    expect(started?.ExecutionStartedDetails?.Input).toEqual({ Truncated: expect.any(Boolean) });
    const withPayload = (page.Events ?? []).filter((e) => JSON.stringify(e).includes('"Payload"'));
    expect(withPayload).toEqual([]);
    const full = await c.send(
      new GetDurableExecutionHistoryCommand({ DurableExecutionArn: bigArn, MaxItems: 1000 }),
    );
    expect(
      full.Events?.find((e) => e.EventType === 'ExecutionStarted')?.ExecutionStartedDetails?.Input?.Payload,
    ).toBeTypeOf('string');
  });

  it('splits pages by the byte budget', async () => {
    const small = await startLocalService({ executions: data, maxPageBytes: 8 * 1024 });
    try {
      const counts: number[] = [];
      const ids: number[] = [];
      for await (const page of paginateGetDurableExecutionHistory(
        { client: client(small), pageSize: 1000 },
        { DurableExecutionArn: bigArn },
      )) {
        counts.push(page.Events?.length ?? 0);
        for (const e of page.Events ?? []) ids.push(e.EventId as number);
      }
      expect(counts.length).toBeGreaterThan(1);
      expect(Math.max(...counts)).toBeLessThan(big.events.length);
      expect(ids).toEqual(big.events.map((e) => e.EventId));
    } finally {
      await small.close();
    }
  });

  it('rejects an expired marker, a malformed ARN, bad MaxItems and an unknown execution', async () => {
    const quick = await startLocalService({ executions: data, markerTtlMs: 100 });
    try {
      const qc = client(quick);
      const first = await qc.send(
        new GetDurableExecutionHistoryCommand({ DurableExecutionArn: bigArn, MaxItems: 5 }),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const late = qc.send(
        new GetDurableExecutionHistoryCommand({ DurableExecutionArn: bigArn, Marker: first.NextMarker }),
      );
      await expect(late).rejects.toBeInstanceOf(InvalidParameterValueException);
      await expect(late).rejects.toThrow(/expired/);
    } finally {
      await quick.close();
    }
    const send = (DurableExecutionArn: string, MaxItems?: number) =>
      c.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn, MaxItems }));
    await expect(send('my-execution')).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(send(bigArn, 5000)).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(send(MISSING_ARN)).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
