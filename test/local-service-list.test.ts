import {
  InvalidParameterValueException,
  type LambdaClient,
  ListDurableExecutionsByFunctionCommand,
  type ListDurableExecutionsByFunctionCommandInput,
  paginateListDurableExecutionsByFunction,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateSyntheticExecutions,
  type RunningLocalService,
  type StoredExecution,
  startLocalService,
} from '../src/local/index.js';
import { localLambdaClient } from './support/local-lambda-client.js';

const client = localLambdaClient;

/** A hand-made execution: only what the list API reads. */
function execution(
  fn: string,
  name: string,
  startIso: string,
  status: string,
  qualifier = '1',
): StoredExecution {
  const start = Date.parse(startIso) / 1000;
  return {
    execution: {
      DurableExecutionArn: `arn:aws:lambda:us-east-1:123456789012:function:${fn}:${qualifier}/durable-execution/${name}/id-${name}`,
      DurableExecutionName: name,
      FunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${fn}:${qualifier}`,
      Status: status,
      StartTimestamp: start,
      ...(status !== 'RUNNING' && { EndTimestamp: start + 1.5 }),
    },
    events: [],
  };
}

const HAND_MADE = [
  execution('shop', 'a', '2026-01-01T00:00:00.000Z', 'SUCCEEDED'),
  execution('shop', 'b', '2026-01-01T06:00:00.250Z', 'FAILED'),
  execution('shop', 'c', '2026-01-01T12:00:00.000Z', 'RUNNING'),
  execution('shop', 'd', '2026-01-02T00:00:00.000Z', 'SUCCEEDED', '2'),
  execution('shop', 'e', '2026-01-02T00:00:00.001Z', 'TIMED_OUT'),
  execution('other', 'a', '2026-01-01T03:00:00.000Z', 'SUCCEEDED'),
];

async function names(c: LambdaClient, input: ListDurableExecutionsByFunctionCommandInput): Promise<string[]> {
  const out: string[] = [];
  for await (const page of paginateListDurableExecutionsByFunction({ client: c, pageSize: 2 }, input)) {
    for (const e of page.DurableExecutions ?? []) out.push(e.DurableExecutionName as string);
  }
  return out;
}

describe('ListDurableExecutionsByFunction filters', () => {
  let service: RunningLocalService;
  let c: LambdaClient;
  beforeAll(async () => {
    service = await startLocalService({ executions: HAND_MADE });
    c = client(service);
  });
  afterAll(() => service.close());

  it('lists newest first by default and oldest first with ReverseOrder', async () => {
    expect(await names(c, { FunctionName: 'shop' })).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(await names(c, { FunctionName: 'shop', ReverseOrder: true })).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('accepts a name, a partial ARN and a full ARN, qualified or not', async () => {
    const forms = [
      'shop',
      '123456789012:function:shop',
      'arn:aws:lambda:us-east-1:123456789012:function:shop',
    ];
    for (const FunctionName of forms)
      expect(await names(c, { FunctionName, ReverseOrder: true })).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await names(c, { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:shop:2' })).toEqual(
      ['d'],
    );
    expect(await names(c, { FunctionName: 'shop', Qualifier: '1', ReverseOrder: true })).toEqual([
      'a',
      'b',
      'c',
      'e',
    ]);
  });

  it('filters by a half-open time window [StartedAfter, StartedBefore)', async () => {
    const window = {
      StartedAfter: new Date('2026-01-01T06:00:00.250Z'),
      StartedBefore: new Date('2026-01-02T00:00:00.001Z'),
    };
    expect(await names(c, { FunctionName: 'shop', ReverseOrder: true, ...window })).toEqual(['b', 'c', 'd']);
    expect(await names(c, { FunctionName: 'shop', StartedAfter: new Date('2026-01-01T12:00:00Z') })).toEqual([
      'e',
      'd',
      'c',
    ]);
  });

  it('filters by statuses and by exact execution name', async () => {
    expect(await names(c, { FunctionName: 'shop', Statuses: ['SUCCEEDED', 'RUNNING'] })).toEqual([
      'd',
      'c',
      'a',
    ]);
    expect(await names(c, { FunctionName: 'shop', DurableExecutionName: 'b' })).toEqual(['b']);
    expect(await names(c, { FunctionName: 'other', DurableExecutionName: 'b' })).toEqual([]);
  });

  it('returns epoch-second timestamps as Dates with millisecond precision', async () => {
    const page = await c.send(
      new ListDurableExecutionsByFunctionCommand({ FunctionName: 'shop', DurableExecutionName: 'b' }),
    );
    const b = page.DurableExecutions?.[0];
    expect(b?.StartTimestamp).toBeInstanceOf(Date);
    expect(b?.StartTimestamp?.toISOString()).toBe('2026-01-01T06:00:00.250Z');
    expect(b?.EndTimestamp?.toISOString()).toBe('2026-01-01T06:00:01.750Z');
    expect(page.NextMarker).toBeUndefined();
  });

  it('rejects bad input with InvalidParameterValueException and unknown functions with ResourceNotFoundException', async () => {
    const send = (input: ListDurableExecutionsByFunctionCommandInput) =>
      c.send(new ListDurableExecutionsByFunctionCommand(input));
    await expect(send({ FunctionName: 'nope' })).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(send({ FunctionName: 'shop', MaxItems: 1001 })).rejects.toThrow(
      /MaxItems must be an integer from 0 to 1000/,
    );
    await expect(send({ FunctionName: 'shop', Statuses: ['DONE' as never] })).rejects.toBeInstanceOf(
      InvalidParameterValueException,
    );
    await expect(send({ FunctionName: 'bad name!' })).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(
      send({
        FunctionName: 'shop',
        StartedAfter: new Date('2026-01-02Z'),
        StartedBefore: new Date('2026-01-01Z'),
      }),
    ).rejects.toThrow(/StartedAfter .* is later than StartedBefore/);
    await expect(send({ FunctionName: 'shop:1', Qualifier: '2' })).rejects.toBeInstanceOf(
      InvalidParameterValueException,
    );
    await expect(send({ FunctionName: 'shop', Marker: 'bm90LWEtbWFya2Vy' })).rejects.toThrow(
      /Invalid marker/,
    );
  });
});

describe('ListDurableExecutionsByFunction paging', () => {
  const data = generateSyntheticExecutions({ count: 60, seed: 11, functionNames: ['fn-a', 'fn-b'] });
  const arnsOf = (fn: string) =>
    data
      .filter((e) => (e.execution.FunctionArn as string).includes(`:function:${fn}:`))
      .map((e) => e.execution.DurableExecutionArn);

  it('collects every execution exactly once across many pages', async () => {
    const service = await startLocalService({ executions: data });
    try {
      let pages = 0;
      const seen: string[] = [];
      for await (const page of paginateListDurableExecutionsByFunction(
        { client: client(service), pageSize: 7 },
        { FunctionName: 'fn-a' },
      )) {
        pages++;
        expect(page.DurableExecutions?.length).toBeLessThanOrEqual(7);
        for (const e of page.DurableExecutions ?? []) seen.push(e.DurableExecutionArn as string);
      }
      expect(pages).toBeGreaterThan(2);
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual(arnsOf('fn-a').sort());
    } finally {
      await service.close();
    }
  });

  it('splits pages by the byte budget before MaxItems is reached', async () => {
    const service = await startLocalService({ executions: data, maxPageBytes: 1500 });
    try {
      const sizes: number[] = [];
      const seen: string[] = [];
      for await (const page of paginateListDurableExecutionsByFunction(
        { client: client(service), pageSize: 1000 },
        { FunctionName: 'fn-b' },
      )) {
        sizes.push(page.DurableExecutions?.length ?? 0);
        for (const e of page.DurableExecutions ?? []) seen.push(e.DurableExecutionArn as string);
      }
      expect(sizes.length).toBeGreaterThan(3);
      expect(Math.max(...sizes)).toBeLessThan(10); // each summary is ~300 bytes
      expect([...seen].sort()).toEqual(arnsOf('fn-b').sort());
    } finally {
      await service.close();
    }
  });

  it('rejects an expired marker with a message about expiry', async () => {
    const service = await startLocalService({ executions: data, markerTtlMs: 150 });
    try {
      const c = client(service);
      const first = await c.send(
        new ListDurableExecutionsByFunctionCommand({ FunctionName: 'fn-a', MaxItems: 2 }),
      );
      expect(first.NextMarker).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
      await new Promise((resolve) => setTimeout(resolve, 250));
      const late = c.send(
        new ListDurableExecutionsByFunctionCommand({
          FunctionName: 'fn-a',
          MaxItems: 2,
          Marker: first.NextMarker,
        }),
      );
      await expect(late).rejects.toBeInstanceOf(InvalidParameterValueException);
      await expect(late).rejects.toThrow(/Marker expired/);
    } finally {
      await service.close();
    }
  });

  it('rejects a marker reused with different filters', async () => {
    const service = await startLocalService({ executions: data });
    try {
      const c = client(service);
      const first = await c.send(
        new ListDurableExecutionsByFunctionCommand({ FunctionName: 'fn-a', MaxItems: 2 }),
      );
      const other = c.send(
        new ListDurableExecutionsByFunctionCommand({
          FunctionName: 'fn-a',
          ReverseOrder: true,
          Marker: first.NextMarker,
        }),
      );
      await expect(other).rejects.toThrow(/issued for a different request/);
    } finally {
      await service.close();
    }
  });
});
