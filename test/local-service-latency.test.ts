import { GetDurableExecutionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { startLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';

describe('local service latency and request hook', () => {
  it('answers after ms ± jitterMs and reports each request’s API as it arrives', async () => {
    const executions = generateSyntheticExecutions({ count: 2, seed: 3, functionNames: ['orders'] });
    const seen: (string | undefined)[] = [];
    const service = await startLocalService({
      executions,
      latency: { ms: 60, jitterMs: 10, seed: 2 },
      onRequest: (api) => seen.push(api),
    });
    const client = new LambdaClient({
      region: 'us-east-1',
      endpoint: service.url,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
    try {
      const arn = String(executions[0]?.execution.DurableExecutionArn);
      const started = performance.now();
      const answer = await client.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
      expect(answer.DurableExecutionArn).toBe(arn);
      // At least the lowest delay the draw allows; timers never fire early by a whole millisecond.
      expect(performance.now() - started).toBeGreaterThanOrEqual(49);
      expect(seen).toEqual(['GetDurableExecution']);
    } finally {
      client.destroy();
      await service.close();
    }
    await expect(startLocalService({ executions, latency: { ms: 5, jitterMs: 10 } })).rejects.toThrow(
      /jitterMs <= ms/,
    );
  });
});
