import { ExportError } from '../errors.js';
import type { ObjectReader } from '../lake/object-reader.js';
import { toolVersion } from '../sink/created-by.js';
import type { ObjectStore } from '../sink/object-sink.js';
import type { BatchDone } from './batch-records.js';
import type { JobDefinition } from './job-id.js';
import { putJsonOnce, readJsonRecord } from './json-object.js';
import { type ManifestFile, type RunManifest, runManifestSchema } from './run-manifest.js';
import { manifestKey, manifestsFolder } from './state-keys.js';

export interface CommitManifestInput {
  readonly store: ObjectStore;
  readonly reader: ObjectReader;
  readonly prefix: string;
  readonly jobId: string;
  readonly runId: string;
  readonly definition: JobDefinition;
  /** Every done batch of the job (earlier runs' and this run's). */
  readonly done: readonly BatchDone[];
  readonly now?: () => Date;
}

export interface CommittedManifest {
  readonly key: string;
  /** False when the job's latest manifest already listed exactly these files (nothing new). */
  readonly written: boolean;
  readonly manifest: RunManifest;
}

/**
 * The last write of a run: `_manifests/<runId>.json` listing every file of the job. When the
 * job's newest manifest already lists exactly the same files, nothing is written, so running a
 * finished job again leaves the lake byte-for-byte unchanged.
 */
export async function commitManifest(input: CommitManifestInput): Promise<CommittedManifest> {
  const files = input.done
    .flatMap((d) => d.files.map((f): ManifestFile => ({ ...f, batch: d.batch })))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const latest = await latestManifest(input.reader, input.prefix, input.jobId);
  if (latest && sameFiles(latest.manifest.files, files)) return { ...latest, written: false };
  const rows: Record<string, number> = {};
  for (const f of files) rows[f.table] = (rows[f.table] ?? 0) + f.rows;
  const manifest: RunManifest = {
    kind: 'durable-export/run-manifest',
    format: 1,
    runId: input.runId,
    jobId: input.jobId,
    job: input.definition,
    window: { startedAfter: input.definition.startedAfter, startedBefore: input.definition.startedBefore },
    toolVersion: toolVersion(),
    schemaVersion: input.definition.schemaVersion,
    createdAt: (input.now ?? (() => new Date()))().toISOString(),
    batches: input.done.length,
    totals: {
      files: files.length,
      bytes: files.reduce((n, f) => n + f.bytes, 0),
      executions: new Set(files.flatMap((f) => f.executions)).size,
      rows,
    },
    files,
  };
  const key = manifestKey(input.prefix, input.runId);
  if ((await putJsonOnce(input.store, key, manifest)) === 'exists') {
    // A retried PUT whose first attempt landed (its response lost) answers 412: ours, so written.
    const existing = await readJsonRecord(input.reader, key, runManifestSchema);
    if (existing?.runId === input.runId && sameFiles(existing.files, files))
      return { key, written: true, manifest };
    throw new ExportError(`${input.store.describe(key)} already exists: run ids must be unique`, {
      stage: 'commit',
      key,
    });
  }
  return { key, written: true, manifest };
}

/** The newest manifest of the job, found by the job id in its name (run ids start with the time). */
export async function latestManifest(
  reader: ObjectReader,
  prefix: string,
  jobId: string,
): Promise<{ key: string; manifest: RunManifest } | undefined> {
  const tag = `-${jobId.slice(0, 12)}-`;
  const keys: string[] = [];
  for await (const object of reader.list(manifestsFolder(prefix))) {
    if (object.key.endsWith('.json') && object.key.includes(tag)) keys.push(object.key);
  }
  for (const key of keys.sort().reverse()) {
    const manifest = await readJsonRecord(reader, key, runManifestSchema);
    if (manifest?.jobId === jobId) return { key, manifest };
  }
  return undefined;
}

function sameFiles(a: readonly ManifestFile[], b: readonly ManifestFile[]): boolean {
  const ids = (files: readonly ManifestFile[]) =>
    files
      .map((f) => `${f.key} ${f.sha256}`)
      .sort()
      .join('\n');
  return a.length === b.length && ids(a) === ids(b);
}
