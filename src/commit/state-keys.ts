import { createHash, randomBytes } from 'node:crypto';
import { underPrefix } from '../lake/object-reader.js';
import { SCHEMA_VERSION } from '../schema/index.js';
import { partitionFolder } from '../sink/object-key.js';

/**
 * Every key the commit protocol uses. All bookkeeping lives under `_`-prefixed folders next to the
 * tables, hidden from Athena (and from DuckDB globs over `<table>/dt=*\/*.parquet`):
 *
 *   PREFIX/_state/<jobId>/job.json                   what the job is (written once)
 *   PREFIX/_state/<jobId>/lease.json                 the run exporting the job now (deleted at its end)
 *   PREFIX/_state/<jobId>/batch-000042.intent.json   written before batch 42's first data file
 *   PREFIX/_state/<jobId>/batch-000042.done.json     written after its last data file completed
 *   PREFIX/_state/<jobId>/batch-000042.indexed.json  written after its export index entries (after a manifest)
 *   PREFIX/_manifests/<runId>.json                   written last: the job's committed files
 *   PREFIX/<table>/dt=<dt>/part-<hash>.parquet       data, named after its content
 *   PREFIX/_index/<2 hex>/<hash>.<STATUS>.json       the export index (`export-index.ts`)
 */

const BATCH_DIGITS = 6;

/** Whose batch a data file belongs to: the job, and the run that began the batch (its intent's). */
export interface BatchOwner {
  readonly jobId: string;
  readonly runId: string;
}
/** The records of a batch: before its files, after them, and after its export index entries. */
export type BatchRecordKind = 'intent' | 'done' | 'indexed';
const BATCH_FILE = /^batch-(\d+)\.(intent|done|indexed)\.json$/;

export const stateFolder = (prefix: string, jobId: string): string => underPrefix(prefix, `_state/${jobId}/`);
export const jobKey = (prefix: string, jobId: string): string => `${stateFolder(prefix, jobId)}job.json`;
export const leaseKey = (prefix: string, jobId: string): string => `${stateFolder(prefix, jobId)}lease.json`;
export const manifestsFolder = (prefix: string): string => underPrefix(prefix, '_manifests/');
export const manifestKey = (prefix: string, runId: string): string =>
  `${manifestsFolder(prefix)}${runId}.json`;

export function batchKey(prefix: string, jobId: string, batch: number, kind: BatchRecordKind): string {
  return `${stateFolder(prefix, jobId)}batch-${String(batch).padStart(BATCH_DIGITS, '0')}.${kind}.json`;
}

/** The batch number and record kind of a key under the job's state folder, if it is one. */
export function parseBatchKey(key: string): { batch: number; kind: BatchRecordKind } | undefined {
  const match = BATCH_FILE.exec(key.slice(key.lastIndexOf('/') + 1));
  if (!match) return undefined;
  return { batch: Number(match[1]), kind: match[2] as BatchRecordKind };
}

/**
 * The key of a batch's data file for one table and day, named after what it holds: a hash of the
 * schema version, the batch's owner (the job and the run that began the batch, from its intent),
 * table, day and the sorted ARNs of the executions whose rows it holds. A re-done batch gets the
 * same keys, so a file completed before a crash is found again (and adopted) instead of being
 * written a second time under another name; another job or run exporting the same executions gets
 * other keys, so it never adopts an older version of them.
 */
export function batchFileKey(
  prefix: string,
  owner: BatchOwner,
  table: string,
  dt: string,
  executionArns: Iterable<string>,
): string {
  const arns = [...new Set(executionArns)].sort();
  const hash = createHash('sha256')
    .update(JSON.stringify([SCHEMA_VERSION, owner.jobId, owner.runId, table, dt, arns]))
    .digest('hex')
    .slice(0, 32);
  return `${partitionFolder(prefix, table, dt)}part-${hash}.parquet`;
}

/**
 * A new run id: UTC time, the first 12 digits of the job id (so a job's manifests can be found by
 * name) and 4 random hex digits, e.g. `20260102T030405Z-0123456789ab-9f3c`.
 */
export function newRunId(jobId: string, now: Date = new Date()): string {
  const time = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${time}-${jobId.slice(0, 12)}-${randomBytes(2).toString('hex')}`;
}
