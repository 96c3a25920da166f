import type { Context } from 'aws-lambda';

/**
 * A Lambda `Context` for invoking a handler in-process: `getRemainingTimeInMillis` counts down from
 * `timeoutMs` as real time passes, as in Lambda.
 */
export function lambdaContext(timeoutMs = 60_000, requestId = 'test-request'): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'durable-export-events',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:durable-export-events',
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/durable-export-events',
    logStreamName: 'test',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
