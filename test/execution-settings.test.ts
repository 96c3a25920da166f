/**
 * The executions table's settings columns from the history source: the timeout from history itself,
 * and the version, retention and trace header from GetDurableExecution, which the history source
 * reads only where it must (an unqualified function ARN, whose version history cannot name, or
 * truncated execution payloads).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { runExportJob } from '../src/export-job.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { functionArn } from '../src/local/synthetic/model.js';
import type { ExportSummary } from '../src/pipeline/run-export.js';
import { type LakeTable, readLakeTable } from './support/lake-reader.js';
import { rateLimitsAll } from './support/rate-limits.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

type Wire = Record<string, unknown>;

describe('executions: timeout, retention, trace id and version from the history source', () => {
  const servers = useTestServers('execution-settings-');
  const data = generateSyntheticExecutions({ count: 40, seed: 7, functionNames: ['orders'] });
  // One execution of an unqualified function ARN: only GetDurableExecution names its version.
  const unqualified = data[3]?.execution as Wire;
  unqualified.FunctionArn = functionArn('orders', null);
  unqualified.Version = '7';
  /** History cut the execution's own input, result or error. */
  const truncated = (e: (typeof data)[number]) =>
    e.events.some(
      (ev) => String(ev.EventType).startsWith('Execution') && JSON.stringify(ev).includes('"Truncated":true'),
    );
  let summary: ExportSummary;
  let executions: LakeTable;

  beforeAll(async () => {
    Object.assign(process.env, LOCAL_AWS_ENV);
    const service = await servers.localService({ executions: data });
    const config = await loadConfig({
      flags: {
        lambda: { rateLimits: rateLimitsAll(1000), maxConcurrent: 8 },
        export: { functions: ['orders'], out: join(servers.work, 'lake') },
      },
    });
    summary = await runExportJob(config, { endpointUrlLambda: service.url });
    executions = await readLakeTable(join(servers.work, 'lake'), 'executions');
  });

  it('fills each column where its source has it, and NULL elsewhere', () => {
    expect(summary).toMatchObject({ executionsExported: data.length, executionsFailed: 0 });
    const byArn = new Map(executions.rows.map((r) => [r.execution_arn, r]));
    let described = 0;
    for (const e of data) {
      const x = e.execution as Wire;
      const row = byArn.get(x.DurableExecutionArn) ?? {};
      const started = e.events.find((ev) => ev.EventType === 'ExecutionStarted') as Wire;
      const timeout = (started.ExecutionStartedDetails as Wire).ExecutionTimeout;
      expect(row.execution_timeout_seconds).toBe(timeout);
      expect(timeout).toBe((x.DurableConfig as Wire).ExecutionTimeout);
      const read = x === unqualified || truncated(e);
      expect(row.version).toBe(x === unqualified ? '7' : '1');
      expect(row.retention_days).toBe(read ? 14 : null);
      expect(row.trace_id).toBe(read ? (x.TraceHeader as Wire).XAmznTraceId : null);
      if (read) described++;
    }
    expect(described).toBeGreaterThan(1);
    expect(described).toBeLessThan(data.length / 2);
  });
});
