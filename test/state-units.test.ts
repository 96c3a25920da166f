import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DurableExecutionInvocationInput, WireOperation } from '@aws/durable-execution-sdk-js';
import type { Operation } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRequestOf } from '../src/config/export-request.js';
import { loadConfig } from '../src/config/load-config.js';
import { ConfigError } from '../src/errors.js';
import {
  type InvocationExecutionState,
  type InvocationOperation,
  initialStateFromInvocation,
  operationFromInvocation,
} from '../src/invocation/invocation-operations.js';
import { openManifest } from '../src/source/open-manifest.js';
import { prunedContexts } from '../src/source/pruned-contexts.js';
import { isInvalidCheckpointToken, kmsErrorName, stateReadError } from '../src/source/state-errors.js';
import { parseManifestLine, parseManifestLines } from '../src/source/token-manifest.js';

const ARN =
  'arn:aws:lambda:us-east-1:123456789012:function:my-fn:1/durable-execution/order-42/3f1c2a9e-0b7d-4c1e-9a55-2b8f6d1e7a10';
const noS3 = () => {
  throw new Error('no S3 in this test');
};

describe('token manifest lines', () => {
  const parse = (text: string) => parseManifestLine(text, 7, new Map());

  it('accepts an ARN of every qualifier form and a base64 token; ignores other members and blank lines', () => {
    for (const q of ['1', '$LATEST', '$LATEST.PUBLISHED']) {
      const arn = ARN.replace(':1/', `:${q}/`);
      expect(parse(JSON.stringify({ durableExecutionArn: arn, checkpointToken: 'QUJD+/==', x: 1 }))).toEqual({
        executionArn: arn,
        checkpointToken: 'QUJD+/==',
      });
    }
    expect(parse('   ')).toBeUndefined();
  });

  it('names what is wrong', () => {
    const cases: [string, RegExp][] = [
      ['{"durableExecutionArn":', /^not valid JSON( \(at character \d+\))?$/],
      ['{"checkpointToken": QUJD}', /^not valid JSON( \(at character \d+\))?$/],
      ['"text"', /^expected a JSON object .*, got a string$/],
      ['null', /^expected a JSON object .*, got null$/],
      [JSON.stringify({ checkpointToken: 'QUJD' }), /^missing "durableExecutionArn" \(a string\)$/],
      [JSON.stringify({ durableExecutionArn: ARN, checkpointToken: 5 }), /^missing "checkpointToken"/],
      [
        JSON.stringify({ durableExecutionArn: ARN.replace(':1/', ':prod/'), checkpointToken: 'QUJD' }),
        /malformed durableExecutionArn/,
      ],
      [
        JSON.stringify({ durableExecutionArn: ARN.replace('123456789012', '1234'), checkpointToken: 'QUJD' }),
        /malformed durableExecutionArn/,
      ],
      [
        JSON.stringify({ durableExecutionArn: ARN, checkpointToken: '' }),
        /malformed checkpointToken \(0 characters\)/,
      ],
      [JSON.stringify({ durableExecutionArn: ARN, checkpointToken: 'QUJD===' }), /malformed checkpointToken/],
      [
        JSON.stringify({ durableExecutionArn: ARN, checkpointToken: 'a'.repeat(2049) }),
        /malformed checkpointToken \(2049 characters\)/,
      ],
    ];
    for (const [text, reason] of cases) {
      expect(parse(text), text).toMatchObject({
        kind: 'invalid',
        line: 7,
        reason: expect.stringMatching(reason),
      });
      // A reason never quotes the line or the token (a token lets its holder read the state).
      expect(JSON.stringify(parse(text))).not.toMatch(/QUJD|aaaa|text/);
    }
  });

  it('numbers lines from 1, counts blank ones, strips a BOM and reports a repeated ARN', async () => {
    const good = JSON.stringify({ durableExecutionArn: ARN, checkpointToken: 'QUJD' });
    const parsed = [];
    for await (const item of parseManifestLines([`\uFEFF${good}`, '', 'x', good])) parsed.push(item);
    expect(parsed).toEqual([
      { executionArn: ARN, checkpointToken: 'QUJD' },
      { kind: 'invalid', line: 3, reason: expect.stringMatching(/^not valid JSON/) },
      { kind: 'invalid', line: 4, reason: `execution ${ARN} already listed on line 1` },
    ]);
  });
});

describe('opening a manifest', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'manifest-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('streams LF and CRLF lines and a last line without a newline, only when iterated', async () => {
    const file = join(dir, 'm.jsonl');
    await writeFile(file, 'a\r\nb\n\nc');
    const opened = await openManifest(file, noS3);
    await new Promise((resolve) => setTimeout(resolve, 20)); // nothing may be lost before iteration
    const lines = [];
    for await (const line of opened.lines) lines.push(line);
    expect(lines).toEqual(['a', 'b', '', 'c']);
  });

  it('fails at once with a ConfigError for a missing file or a bad s3 URL', async () => {
    await expect(openManifest(join(dir, 'missing.jsonl'), noS3)).rejects.toThrow(
      /^cannot read manifest .*missing\.jsonl: Error: ENOENT/,
    );
    await expect(openManifest('s3://bucket-only', noS3)).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('pruned contexts (the rule in pruned-contexts.ts)', () => {
  const ctx = (Id: string, Status: string, extra: Partial<Operation> = {}): Operation =>
    ({ Id, Type: 'CONTEXT', Status, ...extra }) as Operation;
  it('counts completed contexts without ReplayChildren and without children in the view', () => {
    const ops: Operation[] = [
      { Id: 'exec', Type: 'EXECUTION', Status: 'STARTED' } as Operation,
      ctx('done', 'SUCCEEDED'),
      ctx('failed', 'FAILED', { ContextDetails: { ReplayChildren: false } }),
      ctx('replayed', 'SUCCEEDED', { ContextDetails: { ReplayChildren: true } }),
      ctx('open', 'STARTED'),
      ctx('shown', 'SUCCEEDED'),
      { Id: 'child', ParentId: 'shown', Type: 'STEP', Status: 'SUCCEEDED' } as Operation,
      ctx('odd', 'SOMETHING_NEW'),
    ];
    expect(prunedContexts(ops).map((op) => op.Id)).toEqual(['done', 'failed', 'odd']);
  });
});

describe('invocation-event operations', () => {
  it('turns epoch milliseconds into Dates and rejects values in no timestamp form, naming field and operation', () => {
    const op = operationFromInvocation({
      Id: 'a',
      Type: 'STEP',
      Status: 'PENDING',
      StartTimestamp: 1767225600500,
      EndTimestamp: new Date(1767225601000),
      StepDetails: { Attempt: 2, NextAttemptTimestamp: 1767225605000 },
      WaitDetails: { ScheduledEndTimestamp: '1767225606000' as unknown as number },
    });
    expect(op.StartTimestamp?.toISOString()).toBe('2026-01-01T00:00:00.500Z');
    expect(op.EndTimestamp?.toISOString()).toBe('2026-01-01T00:00:01.000Z');
    expect(op.StepDetails).toEqual({ Attempt: 2, NextAttemptTimestamp: new Date(1767225605000) });
    expect(op.WaitDetails?.ScheduledEndTimestamp).toEqual(new Date(1767225606000));
    const start = (StartTimestamp: unknown) => ({ Id: 'b', Type: 'STEP', Status: 'STARTED', StartTimestamp });
    const odd = (value: unknown) => () => operationFromInvocation(start(value) as InvocationOperation);
    const named = /operation b: StartTimestamp is .*not an ISO-8601 string, epoch milliseconds or a Date/;
    for (const bad of ['soon', '2026-01-01', '2026-13-45T00:00:00Z', true, {}, Number.NaN]) {
      expect(odd(bad)).toThrow(named);
    }
    expect(odd('soon')).toThrow(ConfigError);
    const wait = () =>
      operationFromInvocation({
        Id: 'w',
        Type: 'WAIT',
        Status: 'STARTED',
        WaitDetails: { ScheduledEndTimestamp: [] as unknown as string },
      });
    expect(wait).toThrow(/operation w: WaitDetails.ScheduledEndTimestamp is object/);
  });

  it('reads an event built exactly as the JS SDK wire model describes it (ISO-8601 strings)', () => {
    // DurableExecutionInvocationInput and WireOperation of @aws/durable-execution-sdk-js: the
    // runtime parses the event as JSON, so timestamps are ISO-8601 strings (WireTimestamp).
    const event: DurableExecutionInvocationInput = JSON.parse(
      JSON.stringify({
        DurableExecutionArn: ARN,
        CheckpointToken: 'dG9rZW4=',
        InitialExecutionState: {
          Operations: [
            {
              Id: 'exec',
              Type: 'EXECUTION',
              Status: 'STARTED',
              StartTimestamp: '2026-07-13T22:11:27.127Z',
              ExecutionDetails: { InputPayload: '{}' },
            },
            {
              Id: 's',
              Type: 'STEP',
              SubType: 'Step',
              Status: 'PENDING',
              StartTimestamp: '2026-07-13T22:11:27.200Z',
              StepDetails: { Attempt: 1, NextAttemptTimestamp: '2026-07-13T22:11:29.200Z' },
            },
            {
              Id: 'w',
              Type: 'WAIT',
              Status: 'SUCCEEDED',
              StartTimestamp: '2026-07-13T22:11:27.300+00:00',
              EndTimestamp: '2026-07-13T22:11:57.301Z',
              WaitDetails: { ScheduledEndTimestamp: '2026-07-13T22:11:57.300Z' },
            },
          ] satisfies WireOperation[],
        },
      }),
    );
    const state = initialStateFromInvocation(event.InitialExecutionState as InvocationExecutionState, ARN);
    const [exec, step, wait] = state.operations;
    expect(exec?.StartTimestamp).toEqual(new Date(Date.UTC(2026, 6, 13, 22, 11, 27, 127)));
    expect(step?.StepDetails?.NextAttemptTimestamp?.toISOString()).toBe('2026-07-13T22:11:29.200Z');
    expect(wait?.StartTimestamp?.toISOString()).toBe('2026-07-13T22:11:27.300Z');
    expect(wait?.EndTimestamp?.toISOString()).toBe('2026-07-13T22:11:57.301Z');
    expect(wait?.WaitDetails?.ScheduledEndTimestamp?.toISOString()).toBe('2026-07-13T22:11:57.300Z');
  });
});

describe('state read errors', () => {
  const sdkError = (name: string, message: string, status: number) =>
    Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
  it('tells a rejected token and a KMS error from the rest', () => {
    expect(
      isInvalidCheckpointToken(sdkError('InvalidParameterValueException', 'Invalid checkpoint token', 400)),
    ).toBe(true);
    expect(isInvalidCheckpointToken(sdkError('Unknown', 'Invalid checkpoint token', 400))).toBe(true);
    expect(isInvalidCheckpointToken(sdkError('InvalidParameterValueException', 'Marker expired', 400))).toBe(
      false,
    );
    expect(kmsErrorName(sdkError('KMSDisabledException', 'x', 502))).toBe('KMSDisabledException');
    expect(kmsErrorName(sdkError('ServiceException', 'x', 500))).toBeUndefined();
    const error = stateReadError(sdkError('KMSNotFoundException', 'gone', 502), {
      executionArn: ARN,
      api: 'GetDurableExecutionState',
      page: 3,
      marker: 'bWFy',
    });
    expect(error.message).toBe(
      `reading state of ${ARN} failed on GetDurableExecutionState page 3 (marker bWFy): permanent KMS error KMSNotFoundException (the execution's data key cannot be used; not retried further): KMSNotFoundException: gone`,
    );
    expect(error.context).toEqual({ stage: 'source', executionArn: ARN, marker: 'bWFy' });
    expect(error.cause).toBeInstanceOf(Error);
  });
});

describe('source options', () => {
  const request = async (exp: Record<string, unknown>) =>
    exportRequestOf(await loadConfig({ flags: { export: { out: './lake', ...exp } } }));
  it('keeps --manifest to the state source and the listing filters to the history source', async () => {
    await expect(request({ functions: ['f'], manifest: 'm.jsonl' })).rejects.toThrow(
      /^--manifest applies only to --source state/,
    );
    await expect(request({ source: 'state', manifest: 'm', functions: ['f'] })).rejects.toThrow(
      /^--function applies only to --source history/,
    );
    await expect(request({ source: 'state', manifest: 'm', statuses: ['FAILED'] })).rejects.toThrow(
      /^--status applies only to --source history/,
    );
    await expect(request({ source: 'state' })).rejects.toThrow(
      /^no manifest: --source state needs --manifest FILE/,
    );
    await expect(request({ source: 'state', manifest: 'm.jsonl' })).resolves.toMatchObject({
      source: 'state',
      manifest: 'm.jsonl',
      functions: [],
    });
    await expect(request({})).rejects.toThrow(/^no function to export/);
  });
});
