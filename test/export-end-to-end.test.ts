import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { runExportJob } from '../src/export-job.js';
import { downloadLake } from '../src/lake/download-lake.js';
import type { LocalS3 } from '../src/local/local-s3.js';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import {
  generateSyntheticExecutions,
  type SyntheticExecution,
} from '../src/local/synthetic/generate-executions.js';
import type { ExportSummary } from '../src/pipeline/run-export.js';
import { depthsOf, expectedOperationRow, truncatedIdsOf } from './support/expected-rows.js';
import { type LakeTable, readLakeTable } from './support/lake-reader.js';
import { rateLimitsAll } from './support/rate-limits.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

const BUCKET = 'e2e-lake';
const PREFIX = 'exports/durable';

describe('export end to end: local durable service → real SDK → Parquet on local S3 → DuckDB', () => {
  const servers = useTestServers('e2e-');
  let s3: LocalS3;
  let s3Client: S3Client;
  let service: RunningLocalService;
  let source: SyntheticExecution[];
  let summary: ExportSummary;
  let operations: LakeTable;
  let executions: LakeTable;
  let keys: string[];

  beforeAll(async () => {
    s3 = await servers.localS3(BUCKET);
    s3Client = s3.client();
    source = generateSyntheticExecutions({ count: 40, seed: 11, functionNames: ['orders', 'payments'] });
    service = await servers.localService({ executions: source, maxPageBytes: 64 * 1024 });
    Object.assign(process.env, LOCAL_AWS_ENV);
    const config = await loadConfig({
      flags: {
        // small pages so every execution's history spans several pages
        lambda: { pageSize: 7, rateLimits: rateLimitsAll(1000), maxConcurrent: 8 },
        sink: { rowGroupRows: 100 },
        export: { functions: ['orders', 'payments'], out: `s3://${BUCKET}/${PREFIX}` },
      },
    });
    summary = await runExportJob(config, { endpointUrlLambda: service.url, endpointUrlS3: s3.endpoint });
    keys = await downloadLake(s3Client, BUCKET, PREFIX, join(servers.work, 'lake'));
    operations = await readLakeTable(join(servers.work, 'lake'), 'operations');
    executions = await readLakeTable(join(servers.work, 'lake'), 'executions');
  });

  afterAll(async () => {
    s3Client?.destroy();
  });

  it('exports every execution and reports no failure', () => {
    expect(summary.executionsFailed).toBe(0);
    expect(summary.failures).toEqual([]);
    expect(summary.executionsExported).toBe(source.length);
    expect(executions.rows).toHaveLength(source.length);
  });

  it('writes one row per source operation, none missing and none doubled', () => {
    const expected = source.reduce((n, e) => n + e.expectedOperations.length, 0);
    expect(operations.rows).toHaveLength(expected);
    expect(summary.operations).toBe(expected);
    const ids = new Set(operations.rows.map((r) => `${r.execution_arn}|${r.operation_id}`));
    expect(ids.size).toBe(expected);
  });

  it('stores Hive-style keys under the prefix, one dt partition per execution start day', () => {
    // Bookkeeping (_state/, _manifests/) is `_`-prefixed: hidden from Athena.
    const dataKeys = keys.filter((key) => !key.startsWith(`${PREFIX}/_`));
    expect(keys.filter((key) => key.startsWith(`${PREFIX}/_manifests/`))).toHaveLength(1);
    for (const key of dataKeys)
      expect(key).toMatch(
        /^exports\/durable\/(operations|executions|events|invocations)\/dt=\d{4}-\d{2}-\d{2}\/part-[0-9a-f]{32}\.parquet$/,
      );
    for (const row of executions.rows) {
      expect(row.dt).toBe((row.start_timestamp as Date).toISOString().slice(0, 10));
    }
    const days = new Set(executions.rows.map((r) => r.dt));
    expect(days.size).toBeGreaterThan(1);
  });

  it('has the declared column types as DuckDB (and so Athena) reads them', () => {
    expect(operations.types).toMatchObject({
      execution_arn: 'VARCHAR',
      operation_id: 'VARCHAR',
      start_timestamp: 'TIMESTAMP WITH TIME ZONE',
      end_timestamp: 'TIMESTAMP WITH TIME ZONE',
      duration_ms: 'BIGINT',
      depth: 'INTEGER',
      attempt: 'INTEGER',
      is_error: 'BOOLEAN',
      replay_children: 'BOOLEAN',
      payload_truncated: 'BOOLEAN',
      dt: 'VARCHAR',
    });
    expect(executions.types).toMatchObject({
      start_timestamp: 'TIMESTAMP WITH TIME ZONE',
      operation_count: 'BIGINT',
      invocation_count: 'BIGINT',
      duration_ms: 'BIGINT',
      contexts_pruned: 'BIGINT',
      exported_at: 'TIMESTAMP WITH TIME ZONE',
      export_run_id: 'VARCHAR',
    });
  });

  it('equals its source operation field for field, with nulls exactly where the source has no value', () => {
    const byKey = new Map(operations.rows.map((r) => [`${r.execution_arn}|${r.operation_id}`, r]));
    let compared = 0;
    let truncated = 0;
    for (const e of source) {
      const arn = String(e.execution.DurableExecutionArn);
      const functionName = String(e.execution.FunctionArn).split(':')[6];
      const context = {
        arn,
        functionName: functionName ?? '',
        truncatedIds: truncatedIdsOf(e.events),
        depthOf: depthsOf(e.expectedOperations),
      };
      for (const op of e.expectedOperations) {
        const row = byKey.get(`${arn}|${String(op.Id)}`);
        const { dt: _dt, exported_at, export_run_id, ...columns } = row ?? {};
        // Provenance: the run that wrote the row (its manifest's run id) and when.
        expect(export_run_id).toBe(summary.commit?.runId);
        expect(exported_at).toBeInstanceOf(Date);
        const expected = expectedOperationRow(op, context, e.expectedHistoryColumns[String(op.Id)]);
        if (expected.payload_truncated) {
          // History cut the result: the row holds its first part, and says so.
          expect(String(expected.result).startsWith(String(columns.result))).toBe(true);
          expect(String(columns.result).length).toBeLessThan(String(expected.result).length);
          expected.result = columns.result;
          truncated++;
        }
        expect(columns, `operation ${String(op.Id)} of ${arn}`).toEqual(expected);
        compared++;
      }
    }
    expect(compared).toBe(operations.rows.length);
    expect(truncated).toBeGreaterThan(0);
  });

  it('fills the executions table from the listing and the history', () => {
    const byArn = new Map(executions.rows.map((r) => [r.execution_arn, r]));
    for (const e of source) {
      const row = byArn.get(e.execution.DurableExecutionArn);
      expect(row?.status).toBe(e.execution.Status);
      expect(row?.operation_count).toBe(BigInt(e.expectedOperations.length));
      expect(row?.invocation_count).toBe(BigInt(e.invocationCount));
      // Full payloads, also where history truncated them (read from GetDurableExecution).
      expect(row?.input_payload ?? null).toBe(e.execution.InputPayload ?? null);
      expect(row?.result ?? null).toBe(e.execution.Result ?? null);
      expect(row?.error_type ?? null).toBe(
        (e.execution.Error as { ErrorType?: string } | undefined)?.ErrorType ?? null,
      );
    }
  });
});
