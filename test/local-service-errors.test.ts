import {
  GetDurableExecutionCommand,
  GetDurableExecutionHistoryCommand,
  ServiceException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { generateSyntheticExecutions, startLocalService } from '../src/local/index.js';
import { defined, localLambdaClient } from './support/local-lambda-client.js';

const client = localLambdaClient;

const data = generateSyntheticExecutions({ count: 3, seed: 9 });
const arn = defined(data[0], 'execution 0').execution.DurableExecutionArn as string;

describe('local service errors on the wire', () => {
  it('throttles every request with probability 1: TooManyRequestsException with Retry-After', async () => {
    const service = await startLocalService({
      executions: data,
      throttle: { probability: 1, seed: 1, retryAfterSeconds: 2 },
    });
    try {
      const call = client(service).send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
      await expect(call).rejects.toBeInstanceOf(TooManyRequestsException);
      const error = (await call.catch((e: unknown) => e)) as TooManyRequestsException;
      expect(error.retryAfterSeconds).toBe('2');
      expect(error.Reason).toBe('CallerRateLimitExceeded');
      expect(error.$metadata.httpStatusCode).toBe(429);
      expect(error.$metadata.attempts).toBe(1);
      expect(service.requestCount()).toBe(1);
    } finally {
      await service.close();
    }
  });

  it('throttles a seeded, reproducible share of requests', async () => {
    const pattern = async (seed: number): Promise<string> => {
      const service = await startLocalService({ executions: data, throttle: { probability: 0.3, seed } });
      try {
        let out = '';
        for (let i = 0; i < 60; i++)
          out +=
            (await fetch(`${service.url}/2025-12-01/durable-executions/${encodeURIComponent(arn)}`))
              .status === 429
              ? 'T'
              : '.';
        return out;
      } finally {
        await service.close();
      }
    };
    const first = await pattern(7);
    expect(await pattern(7)).toBe(first);
    const throttled = first.split('').filter((ch) => ch === 'T').length;
    expect(throttled).toBeGreaterThan(5);
    expect(throttled).toBeLessThan(35);
  });

  it('answers unknown routes with 404 and a clear message, with the AWS headers', async () => {
    const service = await startLocalService({ executions: data });
    try {
      const res = await fetch(`${service.url}/2025-12-01/nothing-here`);
      expect(res.status).toBe(404);
      expect(res.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
      expect(res.headers.get('x-amzn-requestid')).toBeTruthy();
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(((await res.json()) as { message: string }).message).toMatch(
        /^No route for GET \/2025-12-01\/nothing-here/,
      );
      const post = await fetch(`${service.url}/2025-12-01/durable-executions/${encodeURIComponent(arn)}`, {
        method: 'POST',
      });
      expect(post.status).toBe(404);
      expect(service.requestCount()).toBe(2);
    } finally {
      await service.close();
    }
  });

  it('decodes percent-encoded path labels and writes epoch-second numbers', async () => {
    const service = await startLocalService({ executions: data });
    try {
      const res = await fetch(
        `${service.url}/2025-12-01/durable-executions/${encodeURIComponent(arn)}?IncludeExecutionData=false`,
      );
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body.DurableExecutionArn).toBe(arn);
      expect(body.StartTimestamp).toBeTypeOf('number');
      expect(body.ExecutionDataIncluded).toBe(false);
    } finally {
      await service.close();
    }
  });

  it('answers an internal failure with 500 ServiceException', async () => {
    // An event whose serialization throws stands in for a bug inside the service.
    const broken = structuredClone(defined(data[1], 'execution 1'));
    Object.assign(defined(broken.events[0], 'event'), {
      toJSON() {
        throw new Error('cannot serialize event 1');
      },
    });
    const service = await startLocalService({ executions: [broken] });
    try {
      const call = client(service).send(
        new GetDurableExecutionHistoryCommand({
          DurableExecutionArn: broken.execution.DurableExecutionArn as string,
        }),
      );
      await expect(call).rejects.toBeInstanceOf(ServiceException);
      await expect(call).rejects.toThrow(
        /Internal error in the local durable-execution service: cannot serialize event 1/,
      );
    } finally {
      await service.close();
    }
  });

  it('rejects invalid options before listening', async () => {
    await expect(
      startLocalService({ executions: data, throttle: { probability: 2, seed: 1 } }),
    ).rejects.toThrow(/probability/);
    await expect(startLocalService({ executions: data, maxPageBytes: 0 })).rejects.toThrow(/maxPageBytes/);
    await expect(startLocalService({ executions: [{ execution: {}, events: [] }] })).rejects.toThrow(
      /LocalServiceOptions.executions: \[0\]\.execution\.DurableExecutionArn/,
    );
  });
});
