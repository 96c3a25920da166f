import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { runExportJob } from '../src/export-job.js';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import {
  generateSyntheticExecutions,
  type SyntheticExecution,
} from '../src/local/synthetic/generate-executions.js';
import type { ExportSummary } from '../src/pipeline/run-export.js';
import { type LakeTable, readLakeTable } from './support/lake-reader.js';
import { rateLimitsAll } from './support/rate-limits.js';
import {
  byOperationKey,
  contextsThatLostChildren,
  expectedPrunedContexts,
  manifestLine,
  replayVisible,
} from './support/replay-truth.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

/**
 * The same synthetic executions exported twice through the real parts (local service, real
 * LambdaClient, PartitionedSink to a local directory, DuckDB reading the Parquet back): once from
 * history, once from GetDurableExecutionState with a token manifest. For every operation the state
 * view returns, the rows are identical except for three documented differences, asserted below.
 */
/** Columns only history fills. */
const HISTORY_ONLY = [
  'child_execution_arn',
  'child_function_name',
  'child_version',
  'tenant_id',
  'callback_timeout_seconds',
  'callback_heartbeat_timeout_seconds',
  'wait_seconds',
];
const ERROR_COLUMNS = ['error_type', 'error_message', 'error_data', 'error_stack_trace'];

describe('state source and history source give the same rows', () => {
  const servers = useTestServers('state-parity-');
  let service: RunningLocalService;
  let data: SyntheticExecution[];
  let history: { summary: ExportSummary; operations: LakeTable; executions: LakeTable };
  let state: { summary: ExportSummary; operations: LakeTable; executions: LakeTable };

  async function exportTo(dir: string, exp: Record<string, unknown>) {
    const config = await loadConfig({
      flags: {
        lambda: { pageSize: 7, rateLimits: rateLimitsAll(1000), maxConcurrent: 8 },
        export: { ...exp, out: dir },
      },
    });
    const summary = await runExportJob(config, { endpointUrlLambda: service.url });
    return {
      summary,
      operations: await readLakeTable(dir, 'operations'),
      executions: await readLakeTable(dir, 'executions'),
    };
  }

  beforeAll(async () => {
    Object.assign(process.env, LOCAL_AWS_ENV);
    data = generateSyntheticExecutions({ count: 60, seed: 17, functionNames: ['orders'] });
    service = await servers.localService({ executions: data, maxPageBytes: 64 * 1024 });
    const manifest = join(servers.work, 'tokens.jsonl');
    const lines = data.map((e) => {
      const arn = e.execution.DurableExecutionArn as string;
      return manifestLine(arn, service.checkpointToken(arn));
    });
    await writeFile(manifest, `${lines.join('\n')}\n`);
    history = await exportTo(join(servers.work, 'history'), { functions: ['orders'] });
    state = await exportTo(join(servers.work, 'state'), { source: 'state', manifest });
  });

  it('exports every execution from both sources, the state view exactly', () => {
    expect(history.summary.executionsFailed).toBe(0);
    expect(state.summary).toMatchObject({ source: 'state', executionsFailed: 0, inputLinesSkipped: 0 });
    expect(state.summary.executionsExported).toBe(data.length);
    const expected = data.flatMap((e) =>
      replayVisible(e.expectedOperations).map((op) => `${e.execution.DurableExecutionArn}|${op.Id}`),
    );
    const rows = byOperationKey(state.operations.rows);
    expect([...rows.keys()].sort()).toEqual(expected.sort());
    expect(history.operations.rows.length).toBeGreaterThan(state.operations.rows.length);
  });

  it('differs from history only in source, replay_children and payloads history truncated', () => {
    const fromHistory = byOperationKey(history.operations.rows);
    const truth = new Map(
      data.flatMap((e) =>
        e.expectedOperations.map((op) => [`${e.execution.DurableExecutionArn}|${op.Id}`, op]),
      ),
    );
    let replayFlags = 0;
    let untruncated = 0;
    let cancelledWaits = 0;
    for (const row of state.operations.rows) {
      const key = `${row.execution_arn}|${row.operation_id}`;
      const h = { ...fromHistory.get(key) };
      const op = truth.get(key) as Record<string, unknown>;
      const details = (op.ContextDetails ?? op.StepDetails ?? op.CallbackDetails ?? {}) as Record<
        string,
        unknown
      >;
      // 1. The source column names the API.
      expect([row.source, h.source]).toEqual(['state', 'history']);
      // 2. ReplayChildren is only in the state view; no history event carries it, so history has NULL.
      expect(h.replay_children).toBeNull();
      expect(row.replay_children).toBe(details.ReplayChildren === true ? true : null);
      if (row.replay_children) replayFlags++;
      // 3. History cuts long payloads (32 KiB here) and flags them; state returns the checkpointed text whole.
      expect(row.payload_truncated).toBe(false);
      if (h.payload_truncated) {
        expect(row.result).toBe(details.Result);
        expect(String(row.result).startsWith(String(h.result))).toBe(true);
        expect(String(h.result).length).toBeLessThan(String(row.result).length);
        h.result = row.result;
        untruncated++;
      }
      // 4. What only history tells (no Operation member has it) is NULL from state: the chained
      // invoke's child, callback timeouts, wait seconds, and the error of a cancelled wait.
      for (const column of HISTORY_ONLY) expect(row[column], column).toBeNull();
      if (row.type === 'WAIT' && h.error_type !== null) {
        expect(row.status).toBe('CANCELLED');
        for (const column of ERROR_COLUMNS) h[column] = null;
        cancelledWaits++;
      }
      for (const column of HISTORY_ONLY) h[column] = null;
      expect({ ...row, source: '', replay_children: null, payload_truncated: false }).toEqual({
        ...h,
        // Each export stamps its own run into its rows.
        exported_at: row.exported_at,
        export_run_id: row.export_run_id,
        source: '',
        replay_children: null,
        payload_truncated: false,
      });
    }
    expect(replayFlags).toBeGreaterThan(0);
    expect(untruncated).toBeGreaterThan(0);
    expect(cancelledWaits).toBeGreaterThan(0);
  });

  it('writes the same execution rows except source, counts and provenance', () => {
    const fromHistory = new Map(history.executions.rows.map((r) => [r.execution_arn, r]));
    expect(state.executions.rows).toHaveLength(data.length);
    for (const row of state.executions.rows) {
      const e = data.find((d) => d.execution.DurableExecutionArn === row.execution_arn) as SyntheticExecution;
      expect(row.source).toBe('state');
      // The replay view's operations, not the full tree.
      expect(row.operation_count).toBe(BigInt(replayVisible(e.expectedOperations).length));
      // No state API reports invocations: NULL, unknown, for the state source.
      expect(row.invocation_count).toBeNull();
      // The state source counts the contexts the replay view may have pruned; history sees all.
      expect(row.contexts_pruned).toBe(BigInt(expectedPrunedContexts(e.expectedOperations).length));
      expect(fromHistory.get(row.execution_arn)?.contexts_pruned).toBeNull();
      const h = fromHistory.get(row.execution_arn);
      // GetDurableExecution, which the state source always reads, reports the retention and the
      // trace header; history has neither (the history source reads them only where it calls it).
      expect(row.retention_days).toBe(14);
      expect(row.trace_id).toMatch(/^Root=1-/);
      const same = {
        source: '',
        operation_count: 0n,
        invocation_count: 0n,
        retention_days: 0,
        trace_id: '',
        contexts_pruned: 0n,
        exported_at: null,
        export_run_id: '',
      };
      expect({ ...row, ...same }).toEqual({ ...h, ...same });
    }
  });

  it('counts pruned contexts by the documented rule and does not call those executions complete', () => {
    const expected = data.map((e) => expectedPrunedContexts(e.expectedOperations).length);
    const total = expected.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(0);
    expect(state.summary.contextsPruned).toBe(total);
    expect(state.summary.executionsIncomplete).toBe(expected.filter((n) => n > 0).length);
    expect(state.summary.incompleteExecutions).toHaveLength(expected.filter((n) => n > 0).length);
    for (const entry of state.summary.incompleteExecutions ?? []) {
      const e = data.find(
        (d) => d.execution.DurableExecutionArn === entry.executionArn,
      ) as SyntheticExecution;
      expect(entry.contextsPruned).toBe(expectedPrunedContexts(e.expectedOperations).length);
    }
    // The rule is an upper bound: contexts that really had children are at most that many.
    const lost = data.reduce((n, e) => n + contextsThatLostChildren(e.expectedOperations).length, 0);
    expect(lost).toBeGreaterThan(0);
    expect(lost).toBeLessThanOrEqual(total);
    expect(history.summary.contextsPruned).toBe(0);
  });
});
