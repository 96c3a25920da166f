/**
 * Truth to the source: executions produced by AWS's own durable SDK (`@aws/durable-execution-sdk-js`,
 * run by `@aws/durable-execution-sdk-js-testing`; recorded by `make fixtures`) go through the real
 * export (history source over HTTP from the local service, Parquet in a local directory, read back
 * with DuckDB) and every exported row must equal the operation the SDK reported, field for field.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { runExportJob } from '../src/export-job.js';
import { type RunningLocalService, startLocalService } from '../src/local/service/local-service.js';
import type { ExportSummary } from '../src/pipeline/run-export.js';
import { type LakeTable, readLakeTable } from './support/lake-reader.js';
import { rateLimitsAll } from './support/rate-limits.js';
import {
  type Comparison,
  compareWithSdk,
  loadSdkFixtures,
  type SdkFixture,
} from './support/sdk-fixture-rows.js';

type Wire = Record<string, unknown>;

const at = (seconds: unknown) => (typeof seconds === 'number' ? new Date(Math.round(seconds * 1000)) : null);

describe('SDK fixtures: exported rows equal the operations AWS durable SDK reported', () => {
  let work: string;
  let service: RunningLocalService;
  let fixtures: SdkFixture[];
  let summary: ExportSummary;
  let operations: LakeTable;
  let executions: LakeTable;
  let comparison: Comparison;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'sdk-fixtures-'));
    fixtures = await loadSdkFixtures();
    // Small pages: every history spans several pages, cut by count and by bytes.
    service = await startLocalService({ executions: fixtures, maxPageBytes: 8 * 1024 });
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' });
    const config = await loadConfig({
      flags: {
        lambda: { pageSize: 5, rateLimits: rateLimitsAll(1000), maxConcurrent: 8 },
        export: { functions: ['sdk-fixtures'], out: join(work, 'lake') },
      },
    });
    summary = await runExportJob(config, { region: 'us-east-1', endpointUrlLambda: service.url });
    operations = await readLakeTable(join(work, 'lake'), 'operations');
    executions = await readLakeTable(join(work, 'lake'), 'executions');
    const rows = new Map(operations.rows.map((r) => [`${r.execution_arn}|${r.operation_id}`, r]));
    comparison = compareWithSdk(fixtures, rows);
  });

  afterAll(async () => {
    await service?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('covers every SDK construct and outcome the recorder runs', () => {
    const ops = fixtures.flatMap((f) => f.sdkOperations);
    const seen = (type: string) => new Set(ops.filter((o) => o.Type === type).map((o) => o.Status));
    expect(new Set(ops.map((o) => o.SubType))).toEqual(
      new Set(
        [undefined, 'Step', 'Wait', 'Callback', 'WaitForCallback', 'RunInChildContext', 'Map'].concat([
          'MapIteration',
          'Parallel',
          'ParallelBranch',
          'WaitForCondition',
          'ChainedInvoke',
        ]),
      ),
    );
    expect(seen('STEP')).toEqual(new Set(['SUCCEEDED', 'FAILED']));
    expect(seen('CALLBACK')).toEqual(new Set(['STARTED', 'SUCCEEDED', 'FAILED', 'TIMED_OUT']));
    expect(seen('CHAINED_INVOKE')).toEqual(new Set(['SUCCEEDED', 'FAILED']));
    expect(new Set(fixtures.map((f) => f.execution.Status))).toEqual(
      new Set(['SUCCEEDED', 'FAILED', 'RUNNING']),
    );
    expect(
      Math.max(...ops.map((o) => Number((o.StepDetails as Wire | undefined)?.Attempt ?? 0))),
    ).toBeGreaterThan(3);
    expect(ops.some((o) => (o.ContextDetails as Wire | undefined)?.ReplayChildren === true)).toBe(true);
    expect(ops.some((o) => (o.CallbackDetails as Wire | undefined)?.Error !== undefined)).toBe(true);
    expect(Math.max(...fixtures.map((f) => String(f.execution.Result ?? '').length))).toBeGreaterThan(
      256 * 1024,
    );
  });

  it('exports every recorded execution without failure or fold warning', () => {
    expect(summary.failures).toEqual([]);
    expect(summary.warnings).toBe(0);
    expect(summary.executionsExported).toBe(fixtures.length);
    expect(executions.rows).toHaveLength(fixtures.length);
  });

  it('writes exactly one row per SDK operation', () => {
    const sdkCount = fixtures.reduce((n, f) => n + f.sdkOperations.length, 0);
    expect(operations.rows).toHaveLength(sdkCount);
    expect(comparison.compared).toBe(sdkCount);
  });

  it('equals the SDK operation field for field, apart from the documented exceptions', () => {
    expect(comparison.differences).toEqual([]);
    // Each exception is needed by some fixture (an exception nothing needs would be dead weight).
    expect(comparison.applied.replayChildrenNotInHistory).toBeGreaterThan(0);
    expect(comparison.applied.endNotStampedByEmulator).toBeGreaterThan(0);
  });

  it('carries what only history holds: callback timeouts and wait durations, no empty child names', () => {
    const filled = (column: string) => operations.rows.filter((r) => r[column] !== null).length;
    expect(filled('callback_timeout_seconds')).toBeGreaterThan(0);
    expect(filled('callback_heartbeat_timeout_seconds')).toBeGreaterThan(0);
    expect(filled('wait_seconds')).toBe(operations.rows.filter((r) => r.type === 'WAIT').length);
    // The emulator writes empty strings into ChainedInvokeStartedDetails (docs/DURABLE-API.md §5).
    expect(filled('child_execution_arn') + filled('child_function_name')).toBe(0);
  });

  it('carries the execution input on every EXECUTION operation', () => {
    for (const f of fixtures) {
      const execution = f.sdkOperations.find((o) => o.Type === 'EXECUTION');
      const row = operations.rows.find(
        (r) => r.execution_arn === f.execution.DurableExecutionArn && r.type === 'EXECUTION',
      );
      expect(row?.operation_id).toBe(execution?.Id);
      expect(row?.input_payload).toBe((execution?.ExecutionDetails as Wire | undefined)?.InputPayload);
      expect(row?.input_payload).toBe(f.execution.InputPayload);
    }
  });

  it('fills the executions table from the execution, byte for byte', () => {
    const byArn = new Map(executions.rows.map((r) => [r.execution_arn, r]));
    for (const { execution, events, sdkOperations } of fixtures) {
      const row = byArn.get(execution.DurableExecutionArn);
      const error = (execution.Error ?? {}) as Wire;
      expect(row).toMatchObject({
        execution_name: execution.DurableExecutionName,
        function_arn: execution.FunctionArn,
        status: execution.Status,
        start_timestamp: at(execution.StartTimestamp),
        end_timestamp: at(execution.EndTimestamp),
        input_payload: execution.InputPayload,
        result: execution.Result ?? null,
        error_type: error.ErrorType ?? null,
        error_message: error.ErrorMessage ?? null,
        error_data: error.ErrorData ?? null,
        error_stack_trace: Array.isArray(error.StackTrace) ? JSON.stringify(error.StackTrace) : null,
        operation_count: BigInt(sdkOperations.length),
        invocation_count: BigInt(events.filter((e) => e.EventType === 'InvocationCompleted').length),
      });
    }
  });
});
