/**
 * The executions the fixture recorder runs: one durable handler each, its input, the functions it may
 * invoke and, for callbacks, a driver that completes them the way an external system would.
 */
import type { DurableLambdaHandler, ErrorObject } from '@aws/durable-execution-sdk-js';
import { type LocalDurableTestRunner, WaitingOperationStatus } from '@aws/durable-execution-sdk-js-testing';
import {
  createAwaitingApprovalsHandler,
  createCallbacksHandler,
  createInvokeHandler,
  createLargeResultHandler,
  createMapParallelHandler,
  createNestedContextsHandler,
  createUnicodeHandler,
  creditScoreHandler,
  fraudCheckHandler,
  taxRateHandler,
} from './handlers-composite.js';
import {
  createFailingHandler,
  createStepRetriesHandler,
  createStepsHandler,
  createUncaughtStepFailureHandler,
  createWaitForConditionHandler,
  createWaitsHandler,
} from './handlers-steps.js';

export interface Scenario {
  /** The execution name: part of the ARN, so `[a-zA-Z0-9_-]+`. */
  name: string;
  handler: () => DurableLambdaHandler;
  /** The execution input; `undefined` runs without one (the emulator then stores `{}`). */
  payload?: unknown;
  /** Registers the functions the handler invokes. */
  register?: (runner: LocalDurableTestRunner) => void;
  /**
   * Resolves once the execution waits for what `drive` will complete: the execution is recorded at
   * that point, as RUNNING, and then finished.
   */
  pause?: (runner: LocalDurableTestRunner) => Promise<void>;
  /** Runs alongside the execution (after `pause`, if any): completes callbacks. */
  drive?: (runner: LocalDurableTestRunner) => Promise<void>;
  /** The fixture file: `main` (small executions) or `large` (payloads over 256 KB). */
  file: FixtureFile;
}

export type FixtureFile = 'main' | 'large';

/** Where each fixture file goes, relative to the repository root. */
export const FIXTURE_FILES: Readonly<Record<FixtureFile, string>> = {
  main: 'test/fixtures/sdk-executions.json',
  large: 'test/fixtures/sdk-large-result.json',
};

async function succeed(
  runner: LocalDurableTestRunner,
  name: string,
  status: WaitingOperationStatus,
  result: string,
) {
  const op = runner.getOperation(name);
  await op.waitForData(status);
  await op.sendCallbackSuccess(result);
}

async function fail(
  runner: LocalDurableTestRunner,
  name: string,
  status: WaitingOperationStatus,
  error: ErrorObject,
) {
  const op = runner.getOperation(name);
  await op.waitForData(status);
  await op.sendCallbackFailure(error);
}

/** Completes the callbacks of `createCallbacksHandler`; `slow-partner`, `heartbeat` and `wfc-times-out` time out. */
async function driveCallbacks(runner: LocalDurableTestRunner): Promise<void> {
  await succeed(
    runner,
    'approval',
    WaitingOperationStatus.STARTED,
    JSON.stringify({ approved: true, by: 'Zoë' }),
  );
  await fail(runner, 'payment-webhook', WaitingOperationStatus.STARTED, {
    ErrorType: 'PaymentGatewayError',
    ErrorMessage: 'gateway said no',
    ErrorData: JSON.stringify({ code: 402, retryable: false }),
    StackTrace: [
      'PaymentGatewayError: gateway said no',
      '    at charge (gateway.js:10:5)',
      '    at hook (hook.js:3:1)',
    ],
  });
  await succeed(runner, 'wfc-succeeds', WaitingOperationStatus.SUBMITTED, '"shipped"');
  await fail(runner, 'wfc-fails', WaitingOperationStatus.SUBMITTED, {
    ErrorType: 'CarrierError',
    ErrorMessage: 'parcel lost',
    StackTrace: ['CarrierError: parcel lost', '    at track (carrier.js:1:1)'],
  });
}

async function pauseApprovals(runner: LocalDurableTestRunner): Promise<void> {
  await runner.getOperation('manager-approval').waitForData(WaitingOperationStatus.STARTED);
  await runner.getOperation('finance-approval').waitForData(WaitingOperationStatus.SUBMITTED);
}

/** Runs after `pauseApprovals`: both callbacks wait (a second `waitForData` on them would never resolve). */
async function driveApprovals(runner: LocalDurableTestRunner): Promise<void> {
  await runner.getOperation('manager-approval').sendCallbackSuccess('"approved"');
  await runner.getOperation('finance-approval').sendCallbackSuccess('"approved"');
}

export const SCENARIOS: readonly Scenario[] = [
  { file: 'main', name: 'steps', handler: createStepsHandler, payload: { orderId: 7 } },
  { file: 'main', name: 'step-retries', handler: createStepRetriesHandler },
  { file: 'main', name: 'waits', handler: createWaitsHandler, payload: { note: 'waits' } },
  { file: 'main', name: 'wait-for-condition', handler: createWaitForConditionHandler, payload: null },
  {
    file: 'main',
    name: 'callbacks',
    handler: createCallbacksHandler,
    payload: { order: 'o-1' },
    drive: driveCallbacks,
  },
  {
    file: 'main',
    name: 'map-parallel',
    handler: createMapParallelHandler,
    payload: { skus: ['SKU-1', 'SKU-404', 'SKU-3'] },
  },
  { file: 'main', name: 'nested-contexts', handler: createNestedContextsHandler },
  {
    file: 'main',
    name: 'invoke',
    handler: createInvokeHandler,
    payload: { customer: 'c-42' },
    register: (runner) => {
      runner.registerDurableFunction('credit-score:1', creditScoreHandler);
      runner.registerFunction('tax-rate:$LATEST', taxRateHandler);
      runner.registerFunction('fraud-check:1', fraudCheckHandler);
    },
  },
  { file: 'large', name: 'large-result', handler: createLargeResultHandler },
  {
    file: 'main',
    name: 'unicode',
    handler: createUnicodeHandler,
    payload: { note: 'Grüße — «ταχύ» 😀 \u0000 \r\n \u2028 end' },
  },
  {
    file: 'main',
    name: 'awaiting-approvals',
    handler: createAwaitingApprovalsHandler,
    payload: { order: 'o-9' },
    pause: pauseApprovals,
    drive: driveApprovals,
  },
  { file: 'main', name: 'failing-execution', handler: createFailingHandler, payload: { order: 7 } },
  { file: 'main', name: 'uncaught-step-failure', handler: createUncaughtStepFailureHandler },
];
