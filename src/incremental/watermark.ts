import { z } from 'zod';
import { ExportError } from '../errors.js';
import type { ConditionalObjects, VersionedObject } from '../lake/conditional-objects.js';
import { underPrefix } from '../lake/object-reader.js';

/**
 * The watermark of one function for `export --since-last-run`, one small object per (Region,
 * account, function) at `PREFIX/_state/watermarks/<region>/<account>/<function>.json`. The account
 * and Region come from a function ARN; for a function given by name, the Region is the connection's
 * and the account is `default` (the credentials' account, unknown without an extra request).
 *
 * - `startedAfter`: the next run exports executions started at or after it.
 * - `recheck`: executions the lake holds as RUNNING (or that failed), checked again by the next
 *   run. Bounded by what was running (and failing) at the last run.
 * - `pending`: the window of a run that has not finished its job yet (cut short by its time budget,
 *   killed, or failed before this record was updated). The next run takes the same window and
 *   re-check list, so it is the same job and resumes it instead of starting over.
 *
 * Every write is conditional (`If-None-Match: *` for a new record, `If-Match` of the version read),
 * so two runs racing for one watermark cannot silently overwrite each other: the loser stops.
 */
const windowSchema = z.object({
  startedAfter: z.string(),
  startedBefore: z.string(),
  recheck: z.array(z.string()),
  /** Executions committed RUNNING by earlier invocations of the pending job (cut short). */
  running: z.array(z.string()),
});

export const watermarkSchema = z.object({
  kind: z.literal('durable-export/watermark'),
  format: z.literal(1),
  function: z.string(),
  startedAfter: z.string(),
  recheck: z.array(z.string()),
  pending: windowSchema.optional(),
  /** The run (its manifest's run id) that last advanced the record or left it pending; when. */
  runId: z.string().optional(),
  updatedAt: z.string(),
});

export type Watermark = z.infer<typeof watermarkSchema>;
export type PendingWindow = z.infer<typeof windowSchema>;

/** A function's watermark as read, with the version a conditional replace names. */
export interface StoredWatermark {
  readonly key: string;
  readonly record?: Watermark;
  readonly version?: string;
}

const FUNCTION_ARN = /^arn:[a-z0-9-]+:lambda:([a-z0-9-]+):(\d{12}):function:(.+)$/;

/**
 * The key of a function's watermark: Region and account from its ARN, else `region` and `account`
 * (a target's: `LambdaTarget`), else `default`.
 */
export function watermarkKey(
  prefix: string,
  functionName: string,
  region: string | undefined,
  targetAccount?: string,
): string {
  const arn = FUNCTION_ARN.exec(functionName);
  const partial = /^(\d{12}):function:(.+)$/.exec(functionName);
  const [where, account, name] = arn
    ? [arn[1], arn[2], arn[3]]
    : [region ?? 'default', partial?.[1] ?? targetAccount ?? 'default', partial?.[2] ?? functionName];
  const parts = [where, account, name].map((part) => encodeURIComponent(part ?? 'default'));
  return underPrefix(prefix, `_state/watermarks/${parts.join('/')}.json`);
}

export async function readWatermark(
  objects: ConditionalObjects,
  key: string,
  signal?: AbortSignal,
): Promise<StoredWatermark> {
  let found: VersionedObject | undefined;
  try {
    found = await objects.read(key, signal);
  } catch (cause) {
    throw new ExportError(
      `reading the watermark ${objects.describe(key)} failed`,
      { stage: 'commit', key },
      { cause },
    );
  }
  if (!found) return { key };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(found.bytes));
  } catch (cause) {
    throw new ExportError(`${objects.describe(key)} is not valid JSON`, { stage: 'commit', key }, { cause });
  }
  const parsed = watermarkSchema.safeParse(json);
  if (!parsed.success) {
    throw new ExportError(
      `${objects.describe(key)} is not a durable-export watermark: ${parsed.error.issues[0]?.message}`,
      { stage: 'commit', key },
      { cause: parsed.error },
    );
  }
  return { key, record: parsed.data, version: found.version };
}

/**
 * Writes `record` over the version read (or as a new record when none was read) and returns what
 * is stored now; another run that wrote the record in between stops this one with an error.
 */
export async function writeWatermark(
  objects: ConditionalObjects,
  stored: StoredWatermark,
  record: Watermark,
  signal?: AbortSignal,
): Promise<StoredWatermark> {
  const bytes = new TextEncoder().encode(`${JSON.stringify(record, null, 2)}\n`);
  let written: boolean;
  try {
    written =
      stored.version === undefined
        ? await objects.create(stored.key, bytes, signal)
        : await objects.replace(stored.key, bytes, stored.version, signal);
  } catch (cause) {
    throw new ExportError(
      `writing the watermark ${objects.describe(stored.key)} failed`,
      { stage: 'commit', key: stored.key },
      { cause },
    );
  }
  if (!written) {
    throw new ExportError(
      `the watermark ${objects.describe(stored.key)} was changed by another run since this run read it; run one --since-last-run export per function at a time`,
      { stage: 'commit', key: stored.key },
    );
  }
  return readWatermark(objects, stored.key, signal);
}
