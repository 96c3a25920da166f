import { LambdaClient } from '@aws-sdk/client-lambda';
import type { RunningLocalService } from '../../src/local/index.js';

/** The real SDK client pointed at a local service, with no retries: each test sees the raw answer. */
export function localLambdaClient(service: RunningLocalService): LambdaClient {
  return new LambdaClient({
    region: 'us-east-1',
    endpoint: service.url,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
}

/** The value, or a test failure naming what was missing. */
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`test data has no ${what}`);
  return value;
}
