import { createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { ConfigError } from '../src/errors.js';
import { runExportJob } from '../src/export-job.js';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { firstCodePoints, REDACTION_KEY_ENV, Redaction } from '../src/transform/redaction.js';
import { readLakeTable } from './support/lake-reader.js';
import { rateLimitsAll } from './support/rate-limits.js';
import { runCli } from './support/run-cli.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

const KEY = 'test-redaction-key';
const hmac = (value: string) => createHmac('sha256', KEY).update(value, 'utf8').digest('hex');

describe('Redaction rules', () => {
  const env = { [REDACTION_KEY_ENV]: KEY };

  it('drops, hashes (HMAC-SHA-256, hex) and truncates by code points; NULL stays NULL', () => {
    const redaction = Redaction.of(
      { input_payload: 'hash', result: 'truncate:3', error_data: 'drop', error_message: 'truncate:0' },
      env,
    );
    const row = {
      input_payload: '{"card":"4111"}',
      result: '😀😀😀😀',
      error_data: 'x',
      error_message: 'boom',
      error_stack_trace: null,
      name: 'kept',
    };
    expect(redaction?.apply(row)).toEqual({
      input_payload: hmac('{"card":"4111"}'),
      result: '😀😀😀',
      error_data: null,
      error_message: '',
      error_stack_trace: null,
      name: 'kept',
    });
    expect(row.input_payload).toBe('{"card":"4111"}'); // the input row is not modified
    expect(firstCodePoints('a😀b', 2)).toBe('a😀');
  });

  it('is off without a config, and hash without the key is a ConfigError naming the variable', () => {
    expect(Redaction.of(undefined, env)).toBeUndefined();
    expect(Redaction.of({}, env)).toBeUndefined();
    expect(() => Redaction.of({ result: 'hash' }, {})).toThrow(ConfigError);
    expect(() => Redaction.of({ result: 'hash' }, {})).toThrow(
      /redaction.result is "hash".*DURABLE_EXPORT_REDACTION_KEY/,
    );
  });

  it('the config file refuses unknown columns and values, naming the key', async () => {
    const work = await mkdtemp(join(tmpdir(), 'redaction-config-'));
    const file = join(work, 'c.json');
    await writeFile(file, JSON.stringify({ redaction: { result: 'mask' } }));
    await expect(loadConfig({ file })).rejects.toThrow(
      /key "redaction.result": expected "drop", "hash" or "truncate:N"/,
    );
    await writeFile(file, JSON.stringify({ redaction: { name: 'drop' } }));
    await expect(loadConfig({ file })).rejects.toThrow(/unknown key "redaction.name"/);
    await rm(work, { recursive: true, force: true });
  });
});

describe('an export with redaction', () => {
  const source = generateSyntheticExecutions({ count: 15, seed: 81, functionNames: ['orders'] });
  const servers = useTestServers('redaction-');
  let service: RunningLocalService;
  beforeAll(async () => {
    service = await servers.localService({ executions: source });
    Object.assign(process.env, LOCAL_AWS_ENV);
  });
  afterAll(async () => {
    delete process.env[REDACTION_KEY_ENV];
  });

  async function exportTo(out: string, redaction?: Record<string, string>) {
    const config = await loadConfig({
      flags: { lambda: { rateLimits: rateLimitsAll(1000) }, export: { functions: ['orders'], out } },
      file: redaction ? await configFile(redaction) : undefined,
    });
    await runExportJob(config, { endpointUrlLambda: service.url });
    const key = (r: Record<string, unknown>) => `${r.execution_arn}|${r.operation_id ?? ''}`;
    const byKey = async (table: string) =>
      new Map((await readLakeTable(out, table)).rows.map((r) => [key(r), r]));
    const events = (await readLakeTable(out, 'events')).rows;
    return {
      operations: await byKey('operations'),
      executions: await byKey('executions'),
      events: new Map(events.map((r) => [`${r.execution_arn}|${r.event_id}`, r])),
    };
  }

  async function configFile(redaction: Record<string, string>): Promise<string> {
    const file = join(servers.work, 'redaction.json');
    await writeFile(file, JSON.stringify({ redaction }));
    return file;
  }

  it('applies each rule to both tables and leaves every other column alone', async () => {
    process.env[REDACTION_KEY_ENV] = KEY;
    const plain = await exportTo(join(servers.work, 'plain'));
    const rules = {
      input_payload: 'hash',
      result: 'truncate:4',
      error_data: 'drop',
      error_message: 'hash',
      error_stack_trace: 'drop',
    };
    const redacted = await exportTo(join(servers.work, 'redacted'), rules);
    const expectRedacted = (before: Record<string, unknown>, after: Record<string, unknown> | undefined) => {
      const str = (v: unknown) => (typeof v === 'string' ? v : null);
      expect(after).toEqual({
        ...before,
        // Each export stamps its own run into its rows.
        exported_at: after?.exported_at,
        export_run_id: after?.export_run_id,
        input_payload: str(before.input_payload) === null ? null : hmac(String(before.input_payload)),
        result: str(before.result) === null ? null : firstCodePoints(String(before.result), 4),
        error_data: null,
        error_message: str(before.error_message) === null ? null : hmac(String(before.error_message)),
        error_stack_trace: null,
      });
    };
    let withPayload = 0;
    for (const table of ['operations', 'executions'] as const) {
      for (const [key, before] of plain[table]) {
        expectRedacted(before, redacted[table].get(key));
        if (typeof before.input_payload === 'string') withPayload++;
      }
    }
    expect(withPayload).toBeGreaterThanOrEqual(2 * source.length);
  });

  it('covers every copy of a payload in the events table: payload, details_json and the error columns', async () => {
    process.env[REDACTION_KEY_ENV] = KEY;
    const plain = await exportTo(join(servers.work, 'events-plain'));
    const rules = {
      input_payload: 'hash',
      result: 'truncate:4',
      error_message: 'hash',
      error_stack_trace: 'drop',
    };
    const redacted = await exportTo(join(servers.work, 'events-redacted'), { ...rules, error_data: 'drop' });
    const seen = { input: 0, result: 0, error: 0 };
    for (const [key, before] of plain.events) {
      const after = redacted.events.get(key) as Record<string, unknown>;
      const details = before.details_json === null ? null : JSON.parse(String(before.details_json));
      const input = details?.Input?.Payload;
      const result = details?.Result?.Payload;
      const error = details?.Error?.Payload;
      if (typeof input === 'string') {
        seen.input++;
        details.Input.Payload = hmac(input);
        expect(after.payload).toBe(hmac(input));
      } else if (typeof result === 'string') {
        seen.result++;
        details.Result.Payload = firstCodePoints(result, 4);
        expect(after.payload).toBe(firstCodePoints(result, 4));
      }
      if (error) {
        seen.error++;
        if (typeof error.ErrorMessage === 'string') error.ErrorMessage = hmac(error.ErrorMessage);
        delete error.ErrorData;
        delete error.StackTrace;
      }
      expect(after.details_json === null ? null : JSON.parse(String(after.details_json))).toEqual(details);
      expect(after.error_message).toBe(
        typeof before.error_message === 'string' ? hmac(before.error_message) : null,
      );
      expect([after.error_data, after.error_stack_trace]).toEqual([null, null]);
    }
    expect(Math.min(seen.input, seen.result, seen.error)).toBeGreaterThan(0);
  });

  it('hash without DURABLE_EXPORT_REDACTION_KEY stops the CLI before any work: exit 2, key named', async () => {
    const out = join(servers.work, 'never');
    const result = await runCli(
      ['export', '-f', 'orders', '--out', out, '--config', await configFile({ result: 'hash' })],
      { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('DURABLE_EXPORT_REDACTION_KEY');
    await expect(readLakeTable(out, 'operations')).rejects.toThrow();
  });
});
