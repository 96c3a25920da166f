import type { Context } from 'aws-lambda';

/**
 * A Lambda `Context` for a handler invoked in-process: `getRemainingTimeInMillis()` counts down
 * from `budgetMs` in real time, as Lambda's does from the function timeout.
 */
export function lambdaContext(budgetMs = 60_000, functionName = 'durable-export'): Context {
  const deadline = Date.now() + budgetMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: `request-${deadline}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/01/01/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
