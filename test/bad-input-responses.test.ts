/**
 * Bad input catalog, part 2: what the service answers. Each case exports one function whose
 * executions (or raw answers, through the fault proxy) are malformed, into a lake that already holds
 * a good export, and checks the outcome, the message naming the item, and that the earlier files
 * are intact.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningLocalService, startLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import * as fx from './support/bad-input-fixtures.js';
import { type FaultProxy, startFaultProxy } from './support/fault-proxy.js';
import type { RawResponse } from './support/fault-responses.js';
import { readLakeTable } from './support/lake-reader.js';
import { damaged, snapshotFiles } from './support/lake-snapshot.js';
import { runCli } from './support/run-cli.js';

const ENV = { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x' };
const BIG = 'x'.repeat(1024 * 1024 - 7).concat('THE-END'); // a 1 MiB step result
const CONTROL_NAME = 'step\u0000\u0007\u001b[31mred\u001b[0m\ttab\nline';

// --- the cases' executions --------------------------------------------------------------------
const unknownType = fx.appendEvents(fx.one('unknowntype', 1), [
  { EventType: 'QuantumStarted', Id: 'quantum-1', Name: 'entangle' },
  { EventType: 'StepPaused', Id: 'paused-1', Name: 'pause', SubType: 'Step' },
]);
const noTimestamps = [fx.one('notimestamps', 2), fx.one('notimestamps', 3)];
const stringTimes = [fx.one('stringtimes', 4), fx.one('stringtimes', 5)];
const hugeStep = fx.firstEvent(fx.one('hugepayload', 6), 'StepSucceeded');
const huge = fx.changeOperation(fx.one('hugepayload', 6), hugeStep.Id, (event) =>
  event.EventType === 'StepSucceeded'
    ? {
        ...event,
        StepSucceededDetails: {
          ...(event.StepSucceededDetails as object),
          Result: { Payload: BIG, Truncated: false },
        },
      }
    : event,
);
const controlStep = fx.firstEvent(fx.one('controlchars', 7), 'StepStarted');
const control = fx.changeOperation(fx.one('controlchars', 7), controlStep.Id, (event) => ({
  ...event,
  Name: CONTROL_NAME,
}));
const invalidUtf8 = fx.one('controlchars', 8);
const dupStep = fx.firstEvent(fx.one('dupids', 9), 'StepStarted');
const dupIds = fx.appendEvents(fx.one('dupids', 9), [
  {
    EventType: 'StepStarted',
    Id: dupStep.Id,
    Name: 'second-use-of-the-id',
    SubType: 'Step',
    StepStartedDetails: {},
  },
  {
    EventType: 'StepSucceeded',
    Id: dupStep.Id,
    SubType: 'Step',
    StepSucceededDetails: {
      Result: { Payload: '"again"', Truncated: false },
      RetryDetails: { CurrentAttempt: 1 },
    },
  },
]);
const hugeAttemptStep = fx.firstEvent(fx.one('hugeattempt', 12), 'StepSucceeded');
const hugeAttempt = [
  fx.changeOperation(fx.one('hugeattempt', 12), hugeAttemptStep.Id, (event) =>
    event.EventType === 'StepSucceeded'
      ? {
          ...event,
          StepSucceededDetails: {
            ...(event.StepSucceededDetails as object),
            RetryDetails: { CurrentAttempt: 3_000_000_000 },
          },
        }
      : event,
  ),
  fx.one('hugeattempt', 13),
];
const goodArn = fx.one('badarn', 10);
const listingOnly = fx.one('listingbad', 11);
const MALFORMED_ARN = 'not-a-durable-execution-arn\u001b[2J';

/** Raw answers for what the service's fixture check refuses. */
function respond({ url }: { url: URL }): RawResponse | undefined {
  const path = url.pathname;
  const [untimed, stringTimed] = [noTimestamps[0], stringTimes[0]] as const;
  if (untimed && path === fx.historyPath(untimed)) {
    const step = fx.firstEvent(untimed, 'StepStarted').Id;
    return fx.historyBody(
      untimed.events.map((e) => (e.Id === step ? { ...e, EventTimestamp: undefined } : e)),
    );
  }
  if (stringTimed && path === fx.historyPath(stringTimed)) {
    return fx.historyBody(
      stringTimed.events.map((e) => ({
        ...e,
        EventTimestamp: new Date(Number(e.EventTimestamp) * 1000).toISOString(),
      })),
    );
  }
  if (path === fx.historyPath(invalidUtf8)) {
    const step = fx.firstEvent(invalidUtf8, 'StepStarted').Id;
    const events = invalidUtf8.events.map((e) => (e.Id === step ? { ...e, Name: 'bad@@BYTES@@name' } : e));
    return fx.withInvalidUtf8(JSON.stringify({ Events: events }));
  }
  if (path === fx.listingPath('badarn')) {
    return fx.listingBody([
      fx.listingEntry(goodArn),
      { ...fx.listingEntry(goodArn), DurableExecutionArn: MALFORMED_ARN },
    ]);
  }
  if (path === fx.listingPath('listingbad')) {
    return fx.listingBody([{ ...fx.listingEntry(listingOnly), StartTimestamp: undefined }]);
  }
  return undefined;
}

describe('bad input: what the service answers', () => {
  let work: string;
  let lake: string;
  let service: RunningLocalService;
  let proxy: FaultProxy;
  let before: Map<string, string>;

  const exportCli = (fn: string, env: Record<string, string> = {}) =>
    runCli(
      [
        'export',
        '-f',
        fn,
        '--out',
        lake,
        '--endpoint-url-lambda',
        proxy.endpoint,
        '--requests-per-second',
        '500',
      ],
      { ...ENV, ...env },
    );
  const rowsOf = async (fn: string) =>
    (await readLakeTable(lake, 'operations')).rows.filter((r) => r.function_name === fn);

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'bad-responses-'));
    lake = join(work, 'lake');
    const executions = [
      ...generateSyntheticExecutions({ count: 6, seed: 92, functionNames: ['orders'] }),
      ...[
        unknownType,
        ...noTimestamps,
        ...stringTimes,
        huge,
        control,
        invalidUtf8,
        dupIds,
        goodArn,
        listingOnly,
        ...hugeAttempt,
      ],
    ];
    service = await startLocalService({ executions });
    proxy = await startFaultProxy({ upstream: service.url, service: 'lambda', seed: 0, respond });
    const good = await exportCli('orders');
    expect(good.code, good.stderr).toBe(0);
    before = await snapshotFiles(lake);
  }, 60_000);

  afterAll(async () => {
    await proxy?.close();
    await service?.close();
    await rm(work, { recursive: true, force: true });
  });

  afterEach(async () => {
    expect(damaged(before, await snapshotFiles(lake))).toEqual([]);
  });

  it('an unknown function: reported by name; nothing else asked, so the run failed (3)', async () => {
    const result = await exportCli('no-such-function');
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(
      /no-such-function: listing executions of function no-such-function failed on page 1: ResourceNotFoundException/,
    );
  });

  it('an operation with an unknown Type or Status passes through as text', async () => {
    const result = await exportCli('unknowntype');
    expect(result.code, result.stdout).toBe(0);
    const rows = await rowsOf('unknowntype');
    expect(rows.find((r) => r.operation_id === 'quantum-1')).toMatchObject({
      type: 'QuantumStarted',
      status: 'STARTED',
    });
    expect(rows.find((r) => r.operation_id === 'paused-1')).toMatchObject({
      type: 'STEP',
      status: 'StepPaused',
    });
  });

  it('events without timestamps: that execution fails, naming the operation and the field', async () => {
    const [bad, ok] = noTimestamps.map(fx.arnOf) as [string, string];
    const result = await exportCli('notimestamps');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `${bad}: operation ${String(fx.firstEvent(noTimestamps[0] as never, 'StepStarted').Id)} of ${bad} lacks required StartTimestamp`,
    );
    expect(new Set((await rowsOf('notimestamps')).map((r) => r.execution_arn))).toEqual(new Set([ok]));
  });

  it('an Attempt beyond the 32-bit column: that execution fails, named; the job can finish', async () => {
    const [bad, ok] = hugeAttempt.map(fx.arnOf) as [string, string];
    const result = await exportCli('hugeattempt');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `${bad}: operation ${String(hugeAttemptStep.Id)} of ${bad}: StepDetails.Attempt is 3000000000`,
    );
    expect(new Set((await rowsOf('hugeattempt')).map((r) => r.execution_arn))).toEqual(new Set([ok]));
    // The failed execution is in no batch: the same command runs again without tripping on it.
    expect((await exportCli('hugeattempt')).code).toBe(1);
  });

  it('timestamps as strings: the SDK cannot parse the page; that execution fails, named', async () => {
    const [bad, ok] = stringTimes.map(fx.arnOf) as [string, string];
    const result = await exportCli('stringtimes');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `reading history of ${bad} failed on page 1: TypeError: Expected real number, got implicit NaN (the response could not be read: a value of the wrong type?)`,
    );
    expect(new Set((await rowsOf('stringtimes')).map((r) => r.execution_arn))).toEqual(new Set([ok]));
  });

  it('a 1 MiB step result is exported intact', async () => {
    expect((await exportCli('hugepayload')).code).toBe(0);
    const row = (await rowsOf('hugepayload')).find((r) => r.operation_id === hugeStep.Id);
    expect(row?.result).toBe(BIG);
  });

  it('control characters are kept; bytes that are not UTF-8 become U+FFFD', async () => {
    expect((await exportCli('controlchars')).code).toBe(0);
    const rows = await rowsOf('controlchars');
    const row = (e: typeof control, id: unknown) =>
      rows.find((r) => r.execution_arn === fx.arnOf(e) && r.operation_id === id);
    expect(row(control, controlStep.Id)?.name).toBe(CONTROL_NAME);
    expect(row(invalidUtf8, fx.firstEvent(invalidUtf8, 'StepStarted').Id)?.name).toBe('bad\uFFFD\uFFFDname');
  });

  it('an operation Id used twice, across pages: one row, merged, with fold warnings', async () => {
    const result = await exportCli('dupids', { DURABLE_EXPORT_LAMBDA_PAGE_SIZE: '3' });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/fold warnings\s+[1-9]/);
    const rows = (await rowsOf('dupids')).filter((r) => r.operation_id === dupStep.Id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: dupStep.Name, status: 'SUCCEEDED', result: '"again"' });
  });

  it('a malformed execution ARN in a listing: that execution fails, quoted; the others are exported', async () => {
    const result = await exportCli('badarn');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${JSON.stringify(MALFORMED_ARN)} is not a durable execution ARN`);
    expect(result.stdout).not.toContain('\u001b[2J'); // printed escaped, never as a terminal control
    expect((await rowsOf('badarn')).some((r) => r.execution_arn === fx.arnOf(goodArn))).toBe(true);
  });

  it('a listing entry without StartTimestamp: that function fails, naming the field', async () => {
    const result = await exportCli('listingbad');
    expect(result.code).toBe(3);
    expect(result.stdout).toContain(
      'ListDurableExecutionsByFunction for listingbad returned an execution without StartTimestamp',
    );
  });
});
