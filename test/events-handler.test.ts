import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { RunLogger } from '../src/cli/run-logger.js';
import { ConfigError } from '../src/errors.js';
import { type Config, openLake, parseOutputLocation, queryLake, verifyLake } from '../src/index.js';
import { eventsHandler, type SqsBatchResponse } from '../src/lambda/events-handler.js';
import { loadHandlerConfig } from '../src/lambda/handler-config.js';
import { LOCAL_S3_CREDENTIALS } from '../src/local/local-s3.js';
import { statusChangeEvents } from '../src/local/service/status-change-events.js';
import { arnOf } from '../src/local/service/stored-execution.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { startFaultProxy } from './support/fault-proxy.js';
import { kmsException } from './support/fault-responses.js';
import { lambdaContext } from './support/lambda-context.js';
import { rateLimitsEnv } from './support/rate-limits.js';
import { sqsEventOf, sqsRecordOf } from './support/sqs-events.js';
import { useTestServers } from './support/test-servers.js';

const BUCKET = 'events-lake';
const OUT = `s3://${BUCKET}/durable`;

/**
 * The SQS events handler in-process, against the local durable service (behind a proxy that fails
 * one execution's history permanently) and local S3, fed the status-change events the local service
 * writes (`local-service --events-out`). After each batch, `verify` passes and `operations_latest`
 * holds every exported operation once.
 */
describe('the SQS events handler', () => {
  const executions = generateSyntheticExecutions({ count: 10, seed: 14, functionNames: ['orders'] });
  const arns = executions.map(arnOf);
  const events = statusChangeEvents(executions);
  const ended = (i: number) => {
    const event = events.find(
      (e) => e.detail.durableExecutionArn === arns[i] && e.detail.status !== 'RUNNING',
    );
    if (!event) throw new Error(`execution ${i} has not ended`);
    return JSON.stringify(event);
  };
  const started = (i: number) =>
    JSON.stringify(
      events.find((e) => e.detail.durableExecutionArn === arns[i] && e.detail.status === 'RUNNING'),
    );
  /** Ended events of executions 0-3, with 0 and 1 delivered twice (other message ids). */
  const endedWithDuplicates = () => [
    sqsRecordOf(ended(0), { messageId: 'm0' }),
    sqsRecordOf(ended(1), { messageId: 'm1' }),
    sqsRecordOf(ended(1), { messageId: 'm1-again' }),
    sqsRecordOf(ended(2), { messageId: 'm2' }),
    sqsRecordOf(ended(0), { messageId: 'm0-again' }),
    sqsRecordOf(ended(3), { messageId: 'm3' }),
  ];
  const operationsOf = (i: number) => executions[i]?.expectedOperations.length ?? 0;
  /** The execution whose history read fails permanently (KMS). */
  const POISON = 5;
  const servers = useTestServers('events-handler-');
  const logged: Record<string, unknown>[] = [];
  let connection: {
    region: string;
    credentials: typeof LOCAL_S3_CREDENTIALS;
    endpointUrlLambda: string;
    endpointUrlS3: string;
  };
  let handle: ReturnType<typeof eventsHandler>;
  const exported = new Set<number>();

  /** As in Lambda: the defaults and the function's `DURABLE_EXPORT_*` variables. */
  const config = (): Promise<Config> =>
    loadHandlerConfig({
      ...rateLimitsEnv(500),
      DURABLE_EXPORT_EXPORT_OUT: OUT,
      DURABLE_EXPORT_LAMBDA_CONCURRENT_EXPORTERS: '2',
    });

  beforeAll(async () => {
    const s3 = await servers.localS3(BUCKET);
    const service = await servers.localService({ executions });
    const poison = `/durable-executions/${encodeURIComponent(arns[POISON] as string)}/history`;
    const proxy = servers.own(
      await startFaultProxy({
        upstream: service.url,
        service: 'lambda',
        seed: 1,
        respond: ({ url }) => (url.pathname.endsWith(poison) ? kmsException() : undefined),
      }),
    );
    connection = {
      region: 'us-east-1',
      credentials: LOCAL_S3_CREDENTIALS,
      endpointUrlLambda: proxy.endpoint,
      endpointUrlS3: s3.endpoint,
    };
    const stream = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) logged.push(JSON.parse(line));
        done();
      },
    });
    handle = eventsHandler({
      config,
      connection,
      logger: new RunLogger({ level: 'info', format: 'json', stream }),
    });
  });

  const quiet = () =>
    new RunLogger({
      level: 'error',
      format: 'json',
      stream: new Writable({ write: (_c, _e, done) => done() }),
    });

  /** Runs one batch and returns the handler's answer and its `batch done` log line. */
  async function invoke(records: ReturnType<typeof sqsRecordOf>[]) {
    const before = logged.length;
    const answer: SqsBatchResponse = await handle(sqsEventOf(records), lambdaContext(60_000));
    const done = logged.slice(before).find((l) => l.message === 'batch done');
    return {
      failed: answer.batchItemFailures.map((f) => f.itemIdentifier).sort(),
      done,
      logs: logged.slice(before),
    };
  }

  /** `verify` passes, and `operations_latest` holds each exported operation once. */
  async function expectLakeSound() {
    const lake = openLake(parseOutputLocation(OUT), connection);
    try {
      expect((await verifyLake(lake)).problems).toEqual([]);
    } finally {
      lake.close();
    }
    const result = await queryLake(
      OUT,
      'SELECT count(*) AS n, count(DISTINCT (execution_arn, operation_id)) AS distinct_ops FROM operations_latest',
      { ...connection, tempDir: servers.work },
    );
    const expected = [...exported].reduce((n, i) => n + operationsOf(i), 0);
    expect(result.rows[0]?.map(Number)).toEqual([expected, expected]);
  }

  it('exports a batch with duplicates once, ignoring RUNNING events', async () => {
    const records = [
      ...endedWithDuplicates(),
      sqsRecordOf(started(0), { messageId: 'running-0' }),
      sqsRecordOf(started(4), { messageId: 'running-4' }),
    ];
    const { failed, done } = await invoke(records);
    expect(failed).toEqual([]);
    expect(done).toMatchObject({
      messages: 8,
      duplicates: 2,
      ignored: 2,
      malformed: 0,
      executions: 4,
      exported: 4,
      skipped: 0,
      failed: 0,
    });
    // One commit: one file per table and day, not per execution.
    expect(done?.files).toBeLessThanOrEqual(4 * 3);
    for (const i of [0, 1, 2, 3]) exported.add(i);
    await expectLakeSound();
  });

  it('fails a malformed message alone and acknowledges another detail-type', async () => {
    const envelope = JSON.parse(ended(4));
    const records = [
      sqsRecordOf(ended(4), { messageId: 'm4' }),
      sqsRecordOf('{not json', { messageId: 'not-json' }),
      sqsRecordOf(JSON.stringify({ ...envelope, detail: { ...envelope.detail, durableExecutionArn: 'x' } }), {
        messageId: 'bad-arn',
      }),
      sqsRecordOf(JSON.stringify({ hello: 'world' }), { messageId: 'no-envelope' }),
      sqsRecordOf(JSON.stringify({ ...envelope, 'detail-type': 'Something Else' }), {
        messageId: 'other-type',
      }),
    ];
    const { failed, done, logs } = await invoke(records);
    expect(failed).toEqual(['bad-arn', 'no-envelope', 'not-json']);
    expect(done).toMatchObject({ messages: 5, ignored: 1, malformed: 3, exported: 1 });
    const malformed = logs.filter((l) => l.message === 'malformed message');
    expect(malformed.map((l) => l.messageId).sort()).toEqual(['bad-arn', 'no-envelope', 'not-json']);
    expect(JSON.stringify(malformed)).not.toContain('world');
    exported.add(4);
    await expectLakeSound();
  });

  it('names only the messages of an execution whose history read fails permanently', async () => {
    const records = [
      sqsRecordOf(ended(POISON), { messageId: 'poison' }),
      sqsRecordOf(ended(6), { messageId: 'm6' }),
      sqsRecordOf(ended(POISON), { messageId: 'poison-again' }),
    ];
    const { failed, done, logs } = await invoke(records);
    expect(failed).toEqual(['poison', 'poison-again']);
    expect(done).toMatchObject({ executions: 2, exported: 1, failed: 1 });
    const failure = logs.find((l) => l.message === 'execution failed');
    expect(failure).toMatchObject({ executionArn: arns[POISON], messageIds: ['poison', 'poison-again'] });
    expect(String(failure?.reason)).toMatch(/KMSAccessDeniedException/);
    exported.add(6);
    await expectLakeSound();
  });

  it('skips a redelivered batch that was committed: nothing written twice', async () => {
    // The same messages as the first batch's ended ones, delivered again.
    const records = endedWithDuplicates();
    const { failed, done } = await invoke(records);
    expect(failed).toEqual([]);
    expect(done).toMatchObject({ executions: 4, exported: 0, skipped: 4, files: 0 });
    await expectLakeSound();
  });

  it('skips executions another mix of messages redelivers (the export index), exporting only the new one', async () => {
    const { failed, done } = await invoke([
      sqsRecordOf(ended(1), { messageId: 'm1-later' }),
      sqsRecordOf(ended(9), { messageId: 'm9' }),
      sqsRecordOf(ended(2), { messageId: 'm2-later' }),
    ]);
    expect(failed).toEqual([]);
    // Another set of ARNs is another job: the index, asked with each event's status, skips 1 and 2.
    expect(done).toMatchObject({ executions: 3, exported: 1, skipped: 2 });
    exported.add(9);
    await expectLakeSound();
  });

  it('fails every message of a batch it has no time left for, and commits nothing of it', async () => {
    const hurried = eventsHandler({ config, connection, reserveMs: 60_000, logger: quiet() });
    const answer = await hurried(
      sqsEventOf([sqsRecordOf(ended(8), { messageId: 'm8' }), sqsRecordOf('{', { messageId: 'broken' })]),
      lambdaContext(60_000),
    );
    expect(answer.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['broken', 'm8']);
    await expectLakeSound();
  });

  it('fails the whole batch on a configuration without an output, naming what is missing', async () => {
    const unconfigured = eventsHandler({ config: () => loadHandlerConfig({}), connection, logger: quiet() });
    const event = sqsEventOf([sqsRecordOf(ended(7), { messageId: 'm7' })]);
    const error = await unconfigured(event, lambdaContext()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(String(error)).toMatch(/no output/);
  });

  it('fails the whole batch when the lake cannot be written: nothing uncommitted is acknowledged', async () => {
    const unreachable = eventsHandler({
      config: async () => ({ ...(await config()), sink: { ...(await config()).sink, probeTimeoutMs: 1500 } }),
      connection: { ...connection, endpointUrlS3: 'http://127.0.0.1:9' },
      logger: new RunLogger({
        level: 'error',
        format: 'json',
        stream: new Writable({ write: (_c, _e, d) => d() }),
      }),
    });
    await expect(
      unreachable(sqsEventOf([sqsRecordOf(ended(7), { messageId: 'm7' })]), lambdaContext(60_000)),
    ).rejects.toThrow();
    await expectLakeSound();
  });
});
