/**
 * Durable handlers for the fixture recorder: steps (results, retries, custom retry strategies), waits,
 * waitForCondition and failing executions. Each `create…` returns a fresh handler, so attempt counters
 * start at zero for every recording (a handler re-runs on every invocation; a completed step does not).
 */
import {
  createRetryStrategy,
  type DurableContext,
  type DurableLambdaHandler,
  JitterStrategy,
  StepSemantics,
  withDurableExecution,
} from '@aws/durable-execution-sdk-js';

/** An error with its own `name`, which the SDK checkpoints as `ErrorType`. */
export class NamedError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** Step results of every JSON shape, a step without a result, an unnamed step, at-most-once semantics. */
export function createStepsHandler(): DurableLambdaHandler {
  return withDurableExecution(async (event: { orderId: number }, ctx: DurableContext) => {
    const user = await ctx.step('fetch-user', async () => ({ id: 'u1', name: 'Ada', tags: ['vip', 'eu'] }));
    await ctx.step('no-result', async () => undefined);
    const answer = await ctx.step(async () => 42);
    const text = await ctx.step('string-result', async () => 'plain text');
    await ctx.step('null-result', async () => null);
    await ctx.step('boolean-result', async () => false);
    await ctx.step('at-most-once', async () => 'once', { semantics: StepSemantics.AtMostOncePerRetry });
    return { orderId: event.orderId, user, answer, text };
  });
}

/**
 * Retries: exponential backoff that succeeds on the third attempt, a custom strategy that gives up after
 * three attempts (the step FAILS and the handler catches it), a strategy that never retries, and a
 * linear custom delay.
 */
export function createStepRetriesHandler(): DurableLambdaHandler {
  const attempts = new Map<string, number>();
  const attempt = (name: string): number => {
    const n = (attempts.get(name) ?? 0) + 1;
    attempts.set(name, n);
    return n;
  };
  return withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
    const backoff = createRetryStrategy({
      maxAttempts: 5,
      initialDelay: { seconds: 2 },
      backoffRate: 2,
      jitter: JitterStrategy.NONE,
    });
    const flaky = await ctx.step(
      'flaky-backoff',
      async () => {
        const n = attempt('flaky');
        if (n < 3) throw new NamedError('TransientError', `attempt ${n} failed: upstream 503`);
        return { ok: true, attempts: n };
      },
      { retryStrategy: backoff },
    );
    const outcomes: string[] = [];
    try {
      await ctx.step(
        'always-declined',
        async () => {
          throw new NamedError('PaymentDeclinedError', `card declined (try ${attempt('declined')})`);
        },
        { retryStrategy: (_error, count) => ({ shouldRetry: count < 3, delay: { seconds: count * 3 } }) },
      );
    } catch (error) {
      outcomes.push(`declined: ${(error as Error).message}`);
    }
    try {
      await ctx.step(
        'never-retried',
        async () => {
          throw new TypeError('cannot read properties of undefined');
        },
        { retryStrategy: () => ({ shouldRetry: false }) },
      );
    } catch (error) {
      outcomes.push(`never: ${(error as Error).name}`);
    }
    return { flaky, outcomes };
  });
}

/** Named and unnamed waits of different lengths, between steps. */
export function createWaitsHandler(): DurableLambdaHandler {
  return withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
    await ctx.step('before', async () => 'before');
    await ctx.wait('cool-down', { seconds: 30 });
    await ctx.wait({ minutes: 2 });
    await ctx.wait('overnight', { hours: 12, minutes: 30 });
    return ctx.step('after', async () => 'after');
  });
}

/** waitForCondition: polls an external status until it is READY (three checks, fixed delay). */
export function createWaitForConditionHandler(): DurableLambdaHandler {
  return withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
    const final = await ctx.waitForCondition<{ polls: number; status: string }>(
      'poll-job',
      async (state) => {
        const polls = state.polls + 1;
        return { polls, status: polls >= 3 ? 'READY' : 'RUNNING' };
      },
      {
        initialState: { polls: 0, status: 'NEW' },
        waitStrategy: (state) =>
          state.status === 'READY'
            ? { shouldContinue: false }
            : { shouldContinue: true, delay: { seconds: 5 } },
      },
    );
    return final;
  });
}

/** A handler that throws after a step: the execution FAILS with the error's name and message. */
export function createFailingHandler(): DurableLambdaHandler {
  return withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
    await ctx.step('reserve-stock', async () => ({ reserved: 3 }));
    throw new NamedError('OrderRejectedError', 'order 7 rejected: stock reserved but payment missing');
  });
}

/** A step that exhausts its retries and is not caught: the step error fails the execution. */
export function createUncaughtStepFailureHandler(): DurableLambdaHandler {
  return withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
    await ctx.step(
      'charge-card',
      async () => {
        throw new NamedError('GatewayTimeoutError', 'gateway did not answer within 30 s');
      },
      { retryStrategy: (_error, count) => ({ shouldRetry: count < 2, delay: { seconds: 1 } }) },
    );
    return 'unreachable';
  });
}
