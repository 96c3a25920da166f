import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RunLogger } from '../src/cli/run-logger.js';
import { loadConfig } from '../src/index.js';
import { eventsHandler } from '../src/lambda/events-handler.js';
import { LOCAL_S3_CREDENTIALS } from '../src/local/local-s3.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { readLakeTable } from './support/lake-reader.js';
import { lambdaContext } from './support/lambda-context.js';
import { outputUntil } from './support/local-servers-cli.js';
import { rateLimitsAll } from './support/rate-limits.js';
import { type RunningCli, startCli } from './support/run-cli.js';
import { sqsEventOf, sqsRecordsOfEnvelopes } from './support/sqs-events.js';
import { useTestServers } from './support/test-servers.js';

/**
 * Trying the events handler locally: `local-service --events-out FILE` writes the status-change
 * events Lambda would send (JSON Lines of EventBridge envelopes), which become an SQS event.
 */
describe('durable-export local-service --events-out', () => {
  const servers = useTestServers('events-out-');
  const running = new Set<RunningCli>();
  afterEach(async () => {
    for (const cli of running) cli.child.kill('SIGKILL');
    await Promise.allSettled([...running].map((cli) => cli.done));
    running.clear();
  });

  it('writes RUNNING and the end of every execution; as one SQS batch the handler exports the ended ones', async () => {
    const file = join(servers.work, 'events.jsonl');
    const service = startCli(['local-service', '--synthetic', '9', '--seed', '4', '--events-out', file]);
    running.add(service);
    const url = (await outputUntil(service, /listening on (http:\S+)/)).match[1] as string;

    const data = generateSyntheticExecutions({ count: 9, seed: 4, functionNames: ['orders', 'payments'] });
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    const events = lines.map((line) => JSON.parse(line));
    expect(events[0]).toMatchObject({
      version: '0',
      source: 'aws.lambda',
      'detail-type': 'Durable Execution Status Change',
      account: expect.stringMatching(/^\d{12}$/),
      region: expect.any(String),
      detail: { status: 'RUNNING' },
    });
    const byArn = new Map<string, string[]>();
    for (const e of events)
      byArn.set(e.detail.durableExecutionArn, [
        ...(byArn.get(e.detail.durableExecutionArn) ?? []),
        e.detail.status,
      ]);
    for (const { execution } of data) {
      const statuses = byArn.get(execution.DurableExecutionArn as string);
      expect(statuses).toEqual(execution.Status === 'RUNNING' ? ['RUNNING'] : ['RUNNING', execution.Status]);
    }

    const out = join(servers.work, 'lake');
    const handle = eventsHandler({
      config: await loadConfig({ flags: { lambda: { rateLimits: rateLimitsAll(500) }, export: { out } } }),
      connection: { region: 'us-east-1', credentials: LOCAL_S3_CREDENTIALS, endpointUrlLambda: url },
      logger: new RunLogger({ level: 'error', format: 'json', stream: process.stderr }),
    });
    const answer = await handle(sqsEventOf(sqsRecordsOfEnvelopes(lines)), lambdaContext());
    expect(answer.batchItemFailures).toEqual([]);
    const ended = data
      .filter((e) => e.execution.Status !== 'RUNNING')
      .map((e) => e.execution.DurableExecutionArn);
    const rows = (await readLakeTable(out, 'executions')).rows;
    expect(rows.map((r) => r.execution_arn).sort()).toEqual(ended.sort());
  });
});
