/**
 * Deterministic operation-shaped rows for the encoder benchmark, shaped like the `operations`
 * table in production: ARNs repeating every ~20 rows, 6 types, 8 statuses, nullable millisecond
 * timestamps, int32/int64/boolean columns, mostly-null error columns, and payload strings from
 * 20 bytes to 5 KB cut from a ~70 KB text pool. The same seed gives the same rows on any machine.
 */
import type { OperationRow } from '../src/schema/index.js';

/** Small, fast, seedable PRNG (mulberry32); returns floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = ['STEP', 'WAIT', 'CALLBACK', 'CONTEXT', 'CHAINED_INVOKE', 'EXECUTION'];
const STATUSES = ['SUCCEEDED', 'FAILED', 'STARTED', 'PENDING', 'READY', 'TIMED_OUT', 'CANCELLED', 'STOPPED'];
const WORDS = [
  'order',
  'payment',
  'ship',
  'retry',
  'customer',
  'id',
  'amount',
  'currency',
  'EUR',
  'items',
  'sku',
];

function textPool(random: () => number, bytes: number): string {
  const parts: string[] = [];
  let length = 0;
  while (length < bytes) {
    const word = `${WORDS[Math.floor(random() * WORDS.length)]}${Math.floor(random() * 100_000)}`;
    const piece = random() < 0.3 ? `"${word}":${Math.floor(random() * 1e6)},` : `${word} `;
    parts.push(piece);
    length += piece.length;
  }
  return parts.join('');
}

/** What a reader must find in the file: row count and column sums, compared with DuckDB. */
export interface RowsChecksum {
  rows: number;
  /** Sum of start_timestamp in epoch ms. */
  startMsSum: string;
  depthSum: number;
  /** Total length of the non-null `result` strings (ASCII, so chars = bytes). */
  resultChars: number;
  /** Non-null end_timestamp count. */
  ended: number;
  errors: number;
}

/** Yields `count` rows for `seed`, filling `checksum` as it goes. */
export function* operationRows(count: number, seed: number, checksum: RowsChecksum): Generator<OperationRow> {
  const random = prng(seed);
  const pool = textPool(random, 70_000);
  const payload = () => {
    const length = Math.floor(20 * 250 ** random()); // log-uniform 20 B .. 5 KB
    const start = Math.floor(random() * (pool.length - length));
    return pool.slice(start, start + length);
  };
  const base = Date.UTC(2025, 0, 1);
  let startMs = 0n;
  for (let i = 0; i < count; i++) {
    const execution = Math.floor(i / 20);
    const type = TYPES[Math.floor(random() * TYPES.length)] as string;
    const status = STATUSES[Math.floor(random() * STATUSES.length)] as string;
    const isError =
      status === 'FAILED' || status === 'TIMED_OUT' || status === 'CANCELLED' || status === 'STOPPED';
    const start = base + execution * 60_000 + Math.floor(random() * 60_000);
    const ended = random() < 0.8;
    const duration = Math.floor(random() * 30_000);
    const result = ended && random() < 0.7 ? payload() : null;
    const row: OperationRow = {
      execution_arn: `arn:aws:lambda:eu-west-1:123456789012:function:orders:$LATEST/durable-execution/${execution.toString(36)}-${(execution * 2654435761) % 1e9}`,
      function_name: execution % 10 === 0 ? 'payments' : 'orders',
      operation_id: `${execution.toString(16)}-${i % 20}`,
      parent_id: i % 20 === 0 ? null : `${execution.toString(16)}-0`,
      name: type === 'EXECUTION' ? null : `${WORDS[i % WORDS.length]}-${i % 7}`,
      type,
      sub_type: type === 'STEP' ? 'Step' : type === 'CONTEXT' ? 'Map' : null,
      status,
      start_timestamp: new Date(start),
      end_timestamp: ended ? new Date(start + duration) : null,
      duration_ms: ended ? duration : null,
      depth: i % 4,
      is_error: isError,
      attempt: type === 'STEP' ? 1 + Math.floor(random() * 3) : null,
      next_attempt_timestamp: type === 'STEP' && isError ? new Date(start + 5_000) : null,
      scheduled_end_timestamp: type === 'WAIT' ? new Date(start + 3_600_000) : null,
      callback_id: type === 'CALLBACK' ? `cb-${i.toString(36)}` : null,
      replay_children: type === 'CONTEXT' ? random() < 0.5 : null,
      input_payload: type === 'EXECUTION' ? payload() : null,
      result,
      error_type: isError ? 'States.TaskFailed' : null,
      error_message: isError ? `failed at step ${i % 20}` : null,
      error_data: isError && random() < 0.2 ? payload() : null,
      error_stack_trace: isError ? '["at handler (index.mjs:10:5)","at step (sdk.js:1:1)"]' : null,
      payload_truncated: random() < 0.01,
      source: 'history',
      // The history-only columns, without drawing from `random` (the other columns stay as they were).
      child_execution_arn:
        type === 'CHAINED_INVOKE'
          ? `arn:aws:lambda:eu-west-1:123456789012:function:billing:7/durable-execution/c-${i.toString(36)}`
          : null,
      child_function_name: type === 'CHAINED_INVOKE' ? 'billing' : null,
      child_version: type === 'CHAINED_INVOKE' ? '7' : null,
      tenant_id: null,
      callback_timeout_seconds: type === 'CALLBACK' ? 3600 : null,
      callback_heartbeat_timeout_seconds: type === 'CALLBACK' && i % 3 === 0 ? 60 : null,
      wait_seconds: type === 'WAIT' ? 3600 : null,
      exported_at: new Date(base),
      export_run_id: 'bench',
      account_id: '123456789012',
      region: 'eu-west-1',
    };
    checksum.rows++;
    startMs += BigInt(start);
    checksum.depthSum += row.depth;
    checksum.resultChars += result?.length ?? 0;
    checksum.ended += ended ? 1 : 0;
    checksum.errors += isError ? 1 : 0;
    checksum.startMsSum = startMs.toString();
    yield row;
  }
}

export function emptyChecksum(): RowsChecksum {
  return { rows: 0, startMsSum: '0', depthSum: 0, resultChars: 0, ended: 0, errors: 0 };
}
