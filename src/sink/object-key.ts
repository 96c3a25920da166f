import { SinkError } from './sink-error.js';

/**
 * Object keys of the lake: `PREFIX/<table>/dt=YYYY-MM-DD/part-<runId>-<NNNNN>.parquet`, Hive-style
 * so Athena partition projection (and MSCK) find the `dt` partitions. With an empty prefix the key
 * starts at the table name.
 */

/** Partition value format: a real calendar day, `YYYY-MM-DD`, in UTC. */
const DT = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Run ids go into file names: short, no separators, not starting with `_` or `.` (hidden to Athena). */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const TABLE = /^[a-z][a-z0-9_]*$/;
/** Sequence numbers are zero-padded to this many digits so keys sort in write order. */
const SEQUENCE_DIGITS = 5;

export interface PartKey {
  /** Key prefix without leading or trailing `/`; may be empty. */
  readonly prefix: string;
  readonly table: string;
  /** Partition day, `YYYY-MM-DD`. */
  readonly dt: string;
  readonly runId: string;
  /** 0-based file number within (run, table, dt). */
  readonly sequence: number;
}

function invalid(what: string, value: unknown, rule: string): SinkError {
  return new SinkError(`invalid ${what} ${JSON.stringify(value)}: ${rule}`, { errorType: 'invalid_output' });
}

/** Throws unless `dt` is a valid calendar date written `YYYY-MM-DD`. */
export function assertPartitionDate(dt: string): void {
  const m = DT.exec(dt);
  const day = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== dt) {
    throw invalid('partition dt', dt, 'expected a calendar date YYYY-MM-DD');
  }
}

/** Throws unless `runId` is 1-64 chars of `[A-Za-z0-9_-]` starting with a letter or digit. */
export function assertRunId(runId: string): void {
  if (!RUN_ID.test(runId)) {
    throw invalid('run id', runId, 'expected 1-64 chars of [A-Za-z0-9_-], starting with a letter or digit');
  }
}

/** The UTC day of a timestamp as a partition value, e.g. `2025-01-31`. */
export function partitionDateOf(time: Date): string {
  if (Number.isNaN(time.getTime())) throw invalid('partition time', String(time), 'expected a valid Date');
  return time.toISOString().slice(0, 10);
}

/** `PREFIX/<table>/dt=<dt>/`: the folder of one partition (with trailing `/`). */
export function partitionFolder(prefix: string, table: string, dt: string): string {
  if (!TABLE.test(table)) throw invalid('table name', table, 'expected lower_snake_case');
  assertPartitionDate(dt);
  if (prefix.startsWith('/') || prefix.endsWith('/')) {
    throw invalid('key prefix', prefix, 'expected no leading or trailing "/"');
  }
  return `${prefix === '' ? '' : `${prefix}/`}${table}/dt=${dt}/`;
}

/** The key of one Parquet part file. */
export function partObjectKey(key: PartKey): string {
  assertRunId(key.runId);
  if (!Number.isInteger(key.sequence) || key.sequence < 0 || key.sequence >= 10 ** SEQUENCE_DIGITS) {
    throw invalid('file sequence', key.sequence, `expected an integer in [0, ${10 ** SEQUENCE_DIGITS})`);
  }
  const seq = String(key.sequence).padStart(SEQUENCE_DIGITS, '0');
  return `${partitionFolder(key.prefix, key.table, key.dt)}part-${key.runId}-${seq}.parquet`;
}
