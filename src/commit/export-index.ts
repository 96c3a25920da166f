import { createHash } from 'node:crypto';
import pMap from 'p-map';
import { z } from 'zod';
import { describeError, ExportError } from '../errors.js';
import type { ConditionalObjects } from '../lake/conditional-objects.js';
import { underPrefix } from '../lake/object-reader.js';
import { COMPLETE_ROWS_SINCE_VERSION } from '../schema/index.js';

/**
 * The export index: which executions the lake already holds in a final state, across every job
 * and run (docs/RELIABILITY.md 2.8). One small write-once object per execution and terminal
 * status, `PREFIX/_index/<2 hex>/<32 hex of SHA-256(ARN)>.<STATUS>.json`, so a lookup is one GET
 * of a key known from the listing, two runs recording the same execution never lose each other's
 * entry (create with `If-None-Match: *`; the rare upgrade replaces with `If-Match`), and nothing
 * ever reads the whole index. Entries are recorded only after the manifest that lists their data
 * (`BatchCommitter.close`).
 */

/** Statuses an execution never leaves: its export in one of them is final. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set([
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'STOPPED',
]);

const entrySchema = z.object({
  kind: z.literal('durable-export/index-entry'),
  format: z.literal(1),
  executionArn: z.string(),
  status: z.string(),
  /** The run whose rows hold the execution (`export_run_id`), and their `exported_at`. */
  runId: z.string(),
  jobId: z.string(),
  exportedAt: z.string(),
  /** The execution's end time, when the listing gave one. */
  endedAt: z.string().nullable(),
  /** The tables its rows were written to, and under which schema version and redaction rules. */
  tables: z.array(z.string()),
  schemaVersion: z.int(),
  redaction: z.string().nullable(),
});

export type IndexEntry = z.infer<typeof entrySchema>;

/** What an export writes, which an entry must cover for the export to skip the execution. */
export interface IndexWants {
  /** The tables the export writes. */
  readonly tables: readonly string[];
  /** The job's redaction rules (`JobDefinition.redaction`): rows under other rules do not count. */
  readonly redaction: string | null;
}

export interface ExportIndex {
  /**
   * The entry of an earlier export of `executionArn` in `status` that this export would only
   * repeat: the status is terminal, and the entry holds at least the wanted tables, under the same
   * redaction rules and a schema version whose rows are complete (`COMPLETE_ROWS_SINCE_VERSION`).
   * `undefined` (export it) otherwise.
   */
  lookup(executionArn: string, status: string, signal?: AbortSignal): Promise<IndexEntry | undefined>;
  /** Records committed exports (terminal ones only; others are ignored). Returns the entries written. */
  record(entries: readonly IndexEntry[], signal?: AbortSignal): Promise<number>;
}

/** Entries written at once: small PUTs, so this is about request latency. */
const WRITE_CONCURRENCY = 32;

/** The key of the entry for `executionArn` in `status`. */
export function indexEntryKey(prefix: string, executionArn: string, status: string): string {
  const hash = createHash('sha256').update(executionArn).digest('hex').slice(0, 32);
  return underPrefix(prefix, `_index/${hash.slice(0, 2)}/${hash}.${status}.json`);
}

/** Opens the export index of a lake (its conditional objects and key prefix) for an export wanting `wants`. */
export function openExportIndex(
  lake: { readonly conditional: ConditionalObjects; readonly prefix: string },
  wants: IndexWants,
): ExportIndex {
  const objects = lake.conditional;
  const read = async (executionArn: string, status: string, signal?: AbortSignal) => {
    const key = indexEntryKey(lake.prefix, executionArn, status);
    try {
      const found = await objects.read(key, signal);
      return found && { entry: parseEntry(found.bytes, objects.describe(key), key), version: found.version };
    } catch (error) {
      if (error instanceof ExportError) throw error;
      throw new ExportError(
        `reading the export index entry ${objects.describe(key)} of ${executionArn} failed: ${describeError(error)}`,
        { stage: 'commit', executionArn, key },
        { cause: error },
      );
    }
  };
  return {
    async lookup(executionArn, status, signal) {
      if (!TERMINAL_STATUSES.has(status)) return undefined;
      const found = await read(executionArn, status, signal);
      return found && covers(found.entry, wants) ? found.entry : undefined;
    },
    async record(entries, signal) {
      const terminal = entries.filter((e) => TERMINAL_STATUSES.has(e.status));
      const written = await pMap(terminal, (entry) => recordOne(entry, signal), {
        concurrency: WRITE_CONCURRENCY,
      });
      return written.filter(Boolean).length;
    },
  };

  /** Creates the entry; where one exists that does not cover this export, replaces it (If-Match). */
  async function recordOne(entry: IndexEntry, signal?: AbortSignal): Promise<boolean> {
    const key = indexEntryKey(lake.prefix, entry.executionArn, entry.status);
    const bytes = new TextEncoder().encode(`${JSON.stringify(entry)}\n`);
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        if (await objects.create(key, bytes, signal)) return true;
        const existing = await read(entry.executionArn, entry.status, signal);
        if (existing === undefined) continue;
        if (covers(existing.entry, entry)) return false; // an equal or wider export is recorded
        if (await objects.replace(key, bytes, existing.version, signal)) return true;
      }
      return false; // others keep recording this execution: theirs stands, a later run re-checks
    } catch (error) {
      if (error instanceof ExportError) throw error;
      throw new ExportError(
        `recording ${entry.executionArn} in the export index (${objects.describe(key)}) failed: ${describeError(error)}`,
        { stage: 'commit', executionArn: entry.executionArn, key },
        { cause: error },
      );
    }
  }
}

/** True when `entry`'s rows make an export wanting `wants` redundant. */
function covers(entry: IndexEntry, wants: IndexWants): boolean {
  return (
    entry.schemaVersion >= COMPLETE_ROWS_SINCE_VERSION &&
    entry.redaction === wants.redaction &&
    wants.tables.every((table) => entry.tables.includes(table))
  );
}

function parseEntry(bytes: Uint8Array, where: string, key: string): IndexEntry {
  try {
    return entrySchema.parse(JSON.parse(new TextDecoder().decode(bytes)));
  } catch (error) {
    throw new ExportError(
      `${where} is not a valid export index entry: ${describeError(error)}`,
      { stage: 'commit', key },
      { cause: error },
    );
  }
}

/** The reason a run reports for an execution the index says another run exported. */
export const alreadyExportedReason = (runId: string): string => `already exported by run ${runId}`;
