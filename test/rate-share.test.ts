import { describe, expect, it } from 'vitest';
import { rateShareOf } from '../src/aws/rate-share.js';
import { loadConfig } from '../src/index.js';

describe('lambda.concurrentExporters: each run takes its share of the quotas', () => {
  it('divides every per-API rate and the overall cap by the exporters running at once', async () => {
    const config = await loadConfig({
      env: {
        DURABLE_EXPORT_LAMBDA_CONCURRENT_EXPORTERS: '5',
        DURABLE_EXPORT_LAMBDA_REQUESTS_PER_SECOND: '20',
      },
    });
    expect(rateShareOf(config.lambda)).toEqual({
      rateLimits: { list: 3, history: 3, getExecution: 6, state: 2000, listFunctions: 3 },
      requestsPerSecond: 4,
      maxConcurrent: 4,
    });
  });

  it('leaves the rates as they are by default (one exporter)', async () => {
    const config = await loadConfig({ env: {} });
    expect(config.lambda.concurrentExporters).toBe(1);
    expect(rateShareOf(config.lambda).rateLimits).toEqual(config.lambda.rateLimits);
  });

  it('refuses a share of zero, naming the variable', async () => {
    await expect(loadConfig({ env: { DURABLE_EXPORT_LAMBDA_CONCURRENT_EXPORTERS: '0' } })).rejects.toThrow(
      /DURABLE_EXPORT_LAMBDA_CONCURRENT_EXPORTERS/,
    );
  });
});
