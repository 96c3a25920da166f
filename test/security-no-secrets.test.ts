/**
 * Payloads are customer data: a run over executions whose every payload carries a distinctive
 * secret must never print it (stdout, stderr, the JSON summary), also when executions fail on
 * bodies that are not JSON, cut short, or have payload fields of the wrong type.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import {
  generateSyntheticExecutions,
  type SyntheticExecution,
} from '../src/local/synthetic/generate-executions.js';
import { arnOf, historyPath } from './support/bad-input-fixtures.js';
import { type FaultProxy, startFaultProxy } from './support/fault-proxy.js';
import type { RawResponse } from './support/fault-responses.js';
import { readLakeTable } from './support/lake-reader.js';
import { runCli } from './support/run-cli.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

const SECRET = 'sk_live_SECRET_5f2b9e0c';
const PAYLOAD_KEYS = new Set([
  'Payload',
  'InputPayload',
  'Result',
  'ErrorMessage',
  'ErrorData',
  'StackTrace',
]);

/** Every payload string under `value` prefixed with the secret. */
function secretize(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return PAYLOAD_KEYS.has(key) ? `${SECRET} ${value}` : value;
  if (Array.isArray(value)) return value.map((v) => secretize(v, key));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, secretize(v, k)]));
  }
  return value;
}

const source = generateSyntheticExecutions({ count: 10, seed: 101, functionNames: ['orders'] }).map(
  (e): SyntheticExecution => ({
    ...e,
    execution: secretize(e.execution) as Record<string, unknown>,
    events: secretize(e.events) as Record<string, unknown>[],
  }),
);
const [notJson, cutShort, htmlError] = source as [SyntheticExecution, SyntheticExecution, SyntheticExecution];
/** A step whose last event is a StepFailed: its error reaches the row. */
const finalFailure = (e: SyntheticExecution) =>
  e.events.find((x, i) => x.EventType === 'StepFailed' && !e.events.slice(i + 1).some((y) => y.Id === x.Id));
const wrongType = source.slice(3).find((e) => finalFailure(e) !== undefined) as SyntheticExecution;
const json = (body: string, status = 200, type = 'application/json'): RawResponse => ({
  status,
  headers: { 'content-type': type },
  body,
});

/** Broken answers whose bytes hold the secret right where parsing fails. */
function respond({ url }: { url: URL }): RawResponse | undefined {
  if (url.pathname === historyPath(notJson))
    return json(`{"Events":[{"EventType":"StepStarted","Name":${SECRET}}]}`);
  if (url.pathname === historyPath(cutShort))
    return json(`{"Events":[{"Name":"x","Payload":"${SECRET} and mo`);
  if (url.pathname === historyPath(htmlError)) return json(`<html>${SECRET}</html>`, 502, 'text/html');
  if (url.pathname === historyPath(wrongType)) {
    const events = wrongType.events.map((e) =>
      e === finalFailure(wrongType)
        ? {
            ...e,
            StepFailedDetails: {
              Error: { Payload: { ErrorMessage: { secret: SECRET }, StackTrace: SECRET } },
            },
          }
        : e,
    );
    return json(JSON.stringify({ Events: events }));
  }
  return undefined;
}

describe('no payload content in logs or error messages', () => {
  const servers = useTestServers('secrets-');
  let service: RunningLocalService;
  let proxy: FaultProxy;

  beforeAll(async () => {
    service = await servers.localService({ executions: source });
    proxy = servers.own(
      await startFaultProxy({ upstream: service.url, service: 'lambda', seed: 0, respond }),
    );
  });

  it('a run with failures prints ARNs, error classes and sizes, never the secret', async () => {
    const out = join(servers.work, 'lake');
    const summaryFile = join(servers.work, 'summary.json');
    const result = await runCli(
      ['export', '-f', 'orders', '--out', out, '--endpoint-url-lambda', proxy.endpoint].concat([
        '--requests-per-second',
        '500',
        '--summary-json',
        summaryFile,
      ]),
      { ...LOCAL_AWS_ENV, DURABLE_EXPORT_LAMBDA_MAX_ATTEMPTS: '2' },
    );
    const summary = await readFile(summaryFile, 'utf8');
    expect(result.code).toBe(1);
    // The failures are there, each named...
    expect(result.stdout).toContain(
      `${arnOf(notJson)}: reading history of ${arnOf(notJson)} failed on page 1: SyntaxError: the response body is not valid JSON`,
    );
    expect(result.stdout).toContain(`${arnOf(cutShort)}: reading history`);
    expect(result.stdout).toContain(`${arnOf(htmlError)}: reading history`);
    expect(result.stdout).toMatch(
      /Error\.(StackTrace is not an array of strings|ErrorMessage should be a string)/,
    );
    expect(JSON.parse(summary).executionsFailed).toBe(4);
    // ... and the secret is nowhere, not even a fragment.
    for (const text of [result.stdout, result.stderr, summary]) {
      expect(text).not.toContain('sk_live');
      expect(text).not.toContain('SECRET_5f2b');
    }
    // The payloads themselves were exported, intact.
    const rows = (await readLakeTable(out, 'operations')).rows;
    expect(rows.filter((r) => String(r.input_payload ?? '').startsWith(SECRET)).length).toBe(
      source.length - 4,
    );
  });
});
