/**
 * Durable handlers for the fixture recorder: callbacks, map, parallel, nested child contexts, chained
 * invokes, results too large to checkpoint (ReplayChildren) and unicode/control characters. Callbacks are
 * completed (or left to time out) by the scenario's driver, see `scenarios.ts`.
 */
import {
  type DurableContext,
  type DurableLambdaHandler,
  withDurableExecution,
} from '@aws/durable-execution-sdk-js';
import { NamedError } from './handlers-steps.js';

async function settle(promise: Promise<unknown>): Promise<string> {
  try {
    return `ok: ${JSON.stringify(await promise)}`;
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

/**
 * createCallback and waitForCallback, each succeeded, failed and timed out, plus a heartbeat timeout.
 * Sequential, so the driver completes them in a known order.
 */
export function createCallbacksHandler(): DurableLambdaHandler {
  return withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
    const outcomes: string[] = [];
    const [approval] = await ctx.createCallback('approval', { timeout: { minutes: 10 } });
    outcomes.push(await settle(approval));
    const [webhook] = await ctx.createCallback('payment-webhook');
    outcomes.push(await settle(webhook));
    const [partner] = await ctx.createCallback('slow-partner', { timeout: { seconds: 1 } });
    outcomes.push(await settle(partner));
    const [beat] = await ctx.createCallback('heartbeat', {
      timeout: { hours: 1 },
      heartbeatTimeout: { seconds: 1 },
    });
    outcomes.push(await settle(beat));
    const submit = async (callbackId: string) => {
      if (!callbackId) throw new Error('no callback id');
    };
    outcomes.push(await settle(ctx.waitForCallback('wfc-succeeds', submit)));
    outcomes.push(await settle(ctx.waitForCallback('wfc-fails', submit)));
    outcomes.push(await settle(ctx.waitForCallback('wfc-times-out', submit, { timeout: { seconds: 1 } })));
    return outcomes;
  });
}

/**
 * Two approvals in parallel: a createCallback and a waitForCallback. Recorded while both wait (a RUNNING
 * execution: open contexts, started callbacks), then completed by the scenario's driver.
 */
export function createAwaitingApprovalsHandler(): DurableLambdaHandler {
  return withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
    await ctx.step('validate', async () => ({ valid: true }));
    const approvals = await ctx.parallel('approvals', [
      {
        name: 'manager',
        func: async (child) => {
          const [approved] = await child.createCallback('manager-approval', { timeout: { days: 1 } });
          return approved;
        },
      },
      {
        name: 'finance',
        func: async (child) =>
          child.waitForCallback('finance-approval', async () => {}, { heartbeatTimeout: { hours: 1 } }),
      },
    ]);
    return approvals.getResults();
  });
}

/** map with an item namer and a failing item (tolerated), parallel with named/unnamed and failing branches. */
export function createMapParallelHandler(): DurableLambdaHandler {
  return withDurableExecution(async (event: { skus: string[] }, ctx: DurableContext) => {
    const priced = await ctx.map(
      'price-skus',
      event.skus,
      async (child, sku, index) => {
        const price = await child.step('lookup-price', async () => {
          if (sku === 'SKU-404') throw new NamedError('PriceNotFoundError', `no price for ${sku}`);
          return 10 * (index + 1);
        });
        return { sku, price };
      },
      { itemNamer: (sku) => `sku-${sku}`, maxConcurrency: 2, completionConfig: { toleratedFailureCount: 1 } },
    );
    const plain = await ctx.map([1, 2], async (child, n) => child.step(async () => n * n));
    const branches = await ctx.parallel(
      'notify',
      [
        { name: 'email', func: async (child) => child.step('send-email', async () => 'sent') },
        async (child) => {
          await child.wait({ seconds: 10 });
          return 'sms-after-wait';
        },
        {
          name: 'pager',
          func: async (child) =>
            child.step(
              'page-oncall',
              async () => {
                throw new NamedError('PagerDownError', 'pager service unavailable');
              },
              { retryStrategy: () => ({ shouldRetry: false }) },
            ),
        },
      ],
      { completionConfig: { toleratedFailureCount: 1 } },
    );
    return {
      priced: priced.successCount,
      failed: priced.failureCount,
      plain: plain.getResults(),
      branches: branches.all.map((b) => b.status),
    };
  });
}

/** runInChildContext nested four levels deep, with steps and a wait inside, and a failing child caught. */
export function createNestedContextsHandler(): DurableLambdaHandler {
  return withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
    const result = await ctx.runInChildContext('level-1', async (l1) => {
      const a = await l1.step('l1-step', async () => 'a');
      return l1.runInChildContext('level-2', async (l2) => {
        await l2.wait('l2-wait', { seconds: 3 });
        return l2.runInChildContext('level-3', async (l3) => {
          const b = await l3.step('l3-step', async () => 'b');
          const c = await l3.runInChildContext('level-4', async (l4) => l4.step('l4-step', async () => 'c'));
          return `${a}${b}${c}`;
        });
      });
    });
    const failed = await settle(
      ctx.runInChildContext('failing-child', async (child) => {
        await child.step('inside-failing', async () => 1);
        throw new NamedError('ChildBrokeError', 'child context gave up');
      }),
    );
    const unnamed = await ctx.runInChildContext(async (child) => child.step('in-unnamed', async () => 'u'));
    return { result, failed, unnamed };
  });
}

/** A durable function invoked with a result, a plain function, and a function that fails. */
export function createInvokeHandler(): DurableLambdaHandler {
  return withDurableExecution(async (event: { customer: string }, ctx: DurableContext) => {
    const score = await ctx.invoke('score-customer', 'credit-score:1', { customer: event.customer });
    const tax = await ctx.invoke('tax-rate:$LATEST', { country: 'DE' });
    const failed = await settle(ctx.invoke('fraud-check', 'fraud-check:1', { customer: event.customer }));
    return { score, tax, failed };
  });
}

/** The durable function registered as `credit-score:1`. */
export const creditScoreHandler: DurableLambdaHandler = withDurableExecution(
  async (event: { customer: string }, ctx: DurableContext) =>
    ctx.step('compute-score', async () => ({ customer: event.customer, score: 712 })),
);

/** A plain (non-durable) function registered as `tax-rate:$LATEST`. */
export async function taxRateHandler(event: { country: string }): Promise<{ country: string; rate: number }> {
  return { country: event.country, rate: 0.19 };
}

/** A plain function registered as `fraud-check:1` that throws. */
export async function fraudCheckHandler(): Promise<never> {
  throw new NamedError('FraudSuspectedError', 'velocity limit exceeded');
}

/** 263,900 bytes, deterministic: just over the JS SDK's 256 KB checkpoint limit (CHECKPOINT_SIZE_LIMIT_BYTES). */
export const LARGE_TEXT = 'durable-export large result. '.repeat(9_100);

/**
 * Results over 256 KB. A child context's: the SDK checkpoints it with ReplayChildren and an empty Result
 * (a map's: its summary) and re-runs the context on replay. The execution's own: returned inline (only
 * results over 6 MB are checkpointed), so GetDurableExecution and ExecutionSucceeded carry all of it.
 */
export function createLargeResultHandler(): DurableLambdaHandler {
  return withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
    const big = await ctx.runInChildContext('build-report', async (child) => {
      const header = await child.step('report-header', async () => 'report:');
      return `${header}${LARGE_TEXT}`;
    });
    await ctx.map('big-items', ['a', 'b'], async (child, item) => {
      await child.step('item-step', async () => item);
      return `${item}:${LARGE_TEXT}`;
    });
    return big;
  });
}

/** Unicode and control characters in names, inputs, results and error messages. */
export const UNICODE_NAME = 'naïve ✓ 名前 🚀 tab\there';

export function createUnicodeHandler(): DurableLambdaHandler {
  return withDurableExecution(async (event: { note: string }, ctx: DurableContext) => {
    const echoed = await ctx.step(UNICODE_NAME, async () => ({
      note: event.note,
      emoji: '👩🏽‍💻',
      nul: '\u0000',
    }));
    await ctx.step('control\u0001chars\u001f\nnewline', async () => 'bell\u0007 del\u007f "quotes" \\ back');
    const failure = await settle(
      ctx.step(
        'raw-control-error',
        async () => {
          throw new NamedError('Ünicode\u2028Error', 'line1\nline2\ttab \u0000nul \u001b[31mred\u001b[0m ½');
        },
        { retryStrategy: () => ({ shouldRetry: false }) },
      ),
    );
    return { echoed, failure, lone: '\ud800' };
  });
}
