import { readJsonRecord } from '../commit/json-object.js';
import { type ManifestFile, type RunManifest, runManifestSchema } from '../commit/run-manifest.js';
import { manifestsFolder } from '../commit/state-keys.js';
import { describeError } from '../errors.js';
import type { ObjectReader } from '../lake/object-reader.js';
import type { VerifyProblem } from './verify-types.js';

/** A committed data file and the manifests that list it. */
export interface ExpectedFile {
  readonly file: ManifestFile;
  readonly manifests: string[];
}

export interface ManifestIndex {
  readonly manifests: number;
  readonly jobs: number;
  readonly expected: Map<string, ExpectedFile>;
  readonly problems: VerifyProblem[];
}

/**
 * Reads every manifest under `PREFIX/_manifests/` and merges their file lists. A job's later
 * manifest repeats its earlier files; the same key must then carry the same size, rows and
 * SHA-256 everywhere, or the manifests contradict each other.
 */
export async function readManifestIndex(reader: ObjectReader, prefix: string): Promise<ManifestIndex> {
  const expected = new Map<string, ExpectedFile>();
  const problems: VerifyProblem[] = [];
  const jobs = new Set<string>();
  let manifests = 0;
  const keys: string[] = [];
  for await (const object of reader.list(manifestsFolder(prefix))) {
    if (object.key.endsWith('.json')) keys.push(object.key);
  }
  for (const key of keys.sort()) {
    let manifest: RunManifest | undefined;
    try {
      manifest = await readJsonRecord(reader, key, runManifestSchema);
    } catch (error) {
      problems.push({ kind: 'manifest', key, detail: `unreadable manifest: ${describeError(error)}` });
      continue;
    }
    if (!manifest) continue;
    manifests++;
    jobs.add(manifest.jobId);
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
  return { manifests, jobs: jobs.size, expected, problems };
}
