/**
 * Shared fixtures for the sink tests: deterministic rows of both tables, a DuckDB read-back
 * helper, and a small recording ObjectSink fake for unit tests of the encoder.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { ExecutionRow, OperationRow } from '../src/schema/index.js';
import type { ObjectSink } from '../src/sink/object-sink.js';

const BASE = Date.UTC(2025, 0, 31, 23, 59, 58, 123);

/** An operation row; every 3rd has nulls in all optional columns. */
export function operationRow(i: number, overrides: Partial<OperationRow> = {}): OperationRow {
  const sparse = i % 3 === 2;
  const start = new Date(BASE + i * 1001);
  return {
    execution_arn: `arn:aws:lambda:eu-west-1:123456789012:function:orders:$LATEST/durable-execution/e-${i >> 4}`,
    function_name: 'orders',
    operation_id: `op-${i}`,
    parent_id: sparse ? null : `ctx-${i >> 2}`,
    name: sparse ? null : `step ${i}`,
    type: ['STEP', 'WAIT', 'CALLBACK', 'CONTEXT'][i % 4] as string,
    sub_type: sparse ? null : 'Step',
    status: i % 5 === 0 ? 'FAILED' : 'SUCCEEDED',
    start_timestamp: start,
    end_timestamp: sparse ? null : new Date(start.getTime() + 250 + i),
    duration_ms: sparse ? null : 250 + i,
    depth: i % 7,
    is_error: i % 5 === 0,
    attempt: sparse ? null : (i % 4) + 1,
    next_attempt_timestamp: sparse ? null : new Date(start.getTime() + 60_000),
    scheduled_end_timestamp: sparse ? null : new Date(start.getTime() + 3_600_000),
    callback_id: sparse ? null : `cb-${i}`,
    replay_children: sparse ? null : i % 2 === 0,
    input_payload: sparse ? null : JSON.stringify({ order: i, items: [1, 2, 3] }),
    result: sparse ? null : `{"ok":true,"n":${i}}`,
    error_type: i % 5 === 0 ? 'TypeError' : null,
    error_message: i % 5 === 0 ? `boom ${i}` : null,
    error_data: null,
    error_stack_trace: i % 5 === 0 ? '["at f (index.js:1:1)"]' : null,
    payload_truncated: i % 11 === 0,
    source: 'history',
    child_execution_arn: sparse
      ? null
      : `arn:aws:lambda:eu-west-1:123456789012:function:billing:3/durable-execution/c-${i}`,
    child_function_name: sparse ? null : 'billing',
    child_version: sparse ? null : '3',
    tenant_id: sparse ? null : `tenant-${i % 4}`,
    callback_timeout_seconds: sparse ? null : 900,
    callback_heartbeat_timeout_seconds: sparse ? null : 60,
    wait_seconds: sparse ? null : 3600 + i,
    exported_at: sparse ? null : new Date(BASE + 86_400_000),
    export_run_id: sparse ? null : 'run-fixture',
    account_id: '123456789012',
    region: 'eu-west-1',
    ...overrides,
  };
}

/** An execution row; odd ones are still running (nulls in end/duration/result/errors). */
export function executionRow(i: number, overrides: Partial<ExecutionRow> = {}): ExecutionRow {
  const running = i % 2 === 1;
  const start = new Date(BASE + i * 60_000);
  return {
    execution_arn: `arn:aws:lambda:eu-west-1:123456789012:function:orders:$LATEST/durable-execution/e-${i}`,
    function_name: 'orders',
    execution_name: `e-${i}`,
    version: running ? null : '7',
    status: running ? 'RUNNING' : 'SUCCEEDED',
    start_timestamp: start,
    end_timestamp: running ? null : new Date(start.getTime() + 42_017),
    duration_ms: running ? null : 42_017,
    operation_count: 10 + i,
    invocation_count: 3,
    error_type: null,
    error_message: null,
    input_payload: `{"order":${i}}`,
    result: running ? null : '"done"',
    function_arn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders:$LATEST',
    error_data: null,
    error_stack_trace: null,
    kms_key_arn: null,
    source: 'history',
    execution_timeout_seconds: running ? null : 86_400,
    retention_days: running ? null : 14,
    trace_id: running ? null : `Root=1-67a1b2c3-${String(i).padStart(24, '0')};Sampled=1`,
    contexts_pruned: running ? null : 0,
    exported_at: new Date(BASE + 86_400_000),
    export_run_id: 'run-fixture',
    account_id: '123456789012',
    region: 'eu-west-1',
    ...overrides,
  };
}

export interface ReadBack {
  /** column name -> DuckDB type, from DESCRIBE. */
  types: Record<string, string>;
  /** Rows as JS values: timestamps as Date, BIGINT as bigint. */
  rows: Record<string, unknown>[];
}

/** Reads a Parquet file with DuckDB (no hive partition columns), ordered by `orderBy`. */
export async function readWithDuckDB(path: string, orderBy: string): Promise<ReadBack> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  try {
    const source = `read_parquet('${path.replaceAll("'", "''")}', hive_partitioning = false)`;
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
    const types = Object.fromEntries(
      described.getRowObjectsJS().map((r) => [String(r.column_name), String(r.column_type)]),
    );
    const rows = (
      await connection.runAndReadAll(`SELECT * FROM ${source} ORDER BY ${orderBy}`)
    ).getRowObjectsJS();
    return { types, rows };
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

/** Converts a row of our types to what DuckDB's JS conversion gives back (BIGINT as bigint). */
export function asDuckDBRow(row: object, bigintColumns: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...row };
  for (const c of bigintColumns) if (typeof out[c] === 'number') out[c] = BigInt(out[c] as number);
  return out;
}

/** An ObjectSink that records chunks; `hold()` makes writes wait until `release()`. */
export class RecordingSink implements ObjectSink {
  readonly key: string;
  readonly chunks: Uint8Array[] = [];
  readonly events: string[] = [];
  completed = false;
  aborted: unknown;
  private gate: { promise: Promise<void>; open: () => void } | undefined;

  constructor(key = 'operations/dt=2025-01-01/part-test-00000.parquet') {
    this.key = key;
  }

  hold(): void {
    let open = () => {};
    const promise = new Promise<void>((resolve) => {
      open = resolve;
    });
    this.gate = { promise, open };
  }

  release(): void {
    this.gate?.open();
    this.gate = undefined;
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.chunks.push(chunk);
    this.events.push(`write ${chunk.byteLength}`);
    await this.gate?.promise;
  }

  async complete(): Promise<{ bytes: number }> {
    this.completed = true;
    this.events.push('complete');
    return { bytes: this.bytes().byteLength };
  }

  async abort(reason: unknown): Promise<void> {
    this.aborted = reason;
    this.events.push('abort');
  }

  bytes(): Uint8Array {
    return Buffer.concat(this.chunks);
  }
}
