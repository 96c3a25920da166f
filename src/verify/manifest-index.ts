import { z } from 'zod';
import { readJsonRecord } from '../commit/json-object.js';
import { type ManifestFile, runManifestSchema } from '../commit/run-manifest.js';
import { manifestsFolder } from '../commit/state-keys.js';
import { type CompactionManifest, compactionManifestSchema } from '../compact/compaction-records.js';
import { describeError } from '../errors.js';
import type { ObjectReader } from '../lake/object-reader.js';
import type { VerifyProblem } from './verify-types.js';

/** A committed data file and the manifests that list it (the first one committed it). */
export interface ExpectedFile {
  readonly file: ManifestFile;
  readonly manifests: string[];
}

export interface ManifestIndex {
  readonly manifests: number;
  readonly jobs: number;
  /** Committed files readers read: listed by a manifest and not superseded by a compaction. */
  readonly expected: Map<string, ExpectedFile>;
  /** Committed files a committed compaction replaced (deleted, or kept where Object Lock forbids it). */
  readonly superseded: Map<string, ExpectedFile>;
  /** Committed compaction manifests, in commit order. */
  readonly compactions: CompactionManifest[];
  /** Executions a job re-checks (`--since-last-run`) and may export again: a second version is no duplicate. */
  readonly rechecked: Set<string>;
  readonly problems: VerifyProblem[];
}

const manifestSchema = z.discriminatedUnion('kind', [runManifestSchema, compactionManifestSchema]);

/**
 * Reads every manifest under `PREFIX/_manifests/` (run and compaction manifests) in commit order
 * (their names start with the run's time) and merges their file lists. A job's later manifest
 * repeats its earlier files; the same key must then carry the same size, rows and SHA-256
 * everywhere, or the manifests contradict each other. Files a compaction replaced move from
 * `expected` to `superseded`.
 */
export async function readManifestIndex(reader: ObjectReader, prefix: string): Promise<ManifestIndex> {
  const expected = new Map<string, ExpectedFile>();
  const problems: VerifyProblem[] = [];
  const compactions: CompactionManifest[] = [];
  const jobs = new Set<string>();
  const rechecked = new Set<string>();
  let manifests = 0;
  const keys: string[] = [];
  for await (const object of reader.list(manifestsFolder(prefix))) {
    if (object.key.endsWith('.json')) keys.push(object.key);
  }
  for (const key of keys.sort()) {
    let manifest: z.infer<typeof manifestSchema> | undefined;
    try {
      manifest = await readJsonRecord(reader, key, manifestSchema);
    } catch (error) {
      problems.push({ kind: 'manifest', key, detail: `unreadable manifest: ${describeError(error)}` });
      continue;
    }
    if (!manifest) continue;
    manifests++;
    if (manifest.kind === 'durable-export/compaction-manifest') compactions.push(manifest);
    else {
      jobs.add(manifest.jobId);
      for (const arn of manifest.job.recheck ?? []) rechecked.add(arn);
    }
    for (const file of manifest.files) {
      const seen = expected.get(file.key);
      if (!seen) {
        expected.set(file.key, { file, manifests: [key] });
        continue;
      }
      seen.manifests.push(key);
      const a = seen.file;
      if (a.sha256 !== file.sha256 || a.bytes !== file.bytes || a.rows !== file.rows) {
        problems.push({
          kind: 'manifest',
          key: file.key,
          detail: `listed differently by ${seen.manifests[0]} (${a.bytes} bytes, ${a.rows} rows, sha256 ${a.sha256.slice(0, 12)}) and ${key} (${file.bytes} bytes, ${file.rows} rows, sha256 ${file.sha256.slice(0, 12)})`,
        });
      }
    }
  }
  const superseded = new Map<string, ExpectedFile>();
  for (const key of compactions.flatMap((c) => c.replaces)) {
    const entry = expected.get(key);
    if (entry) superseded.set(key, entry);
    expected.delete(key);
  }
  return { manifests, jobs: jobs.size, expected, superseded, compactions, rechecked, problems };
}
