import { z } from 'zod';
import { committedFileSchema, jobRecordSchema } from './batch-records.js';

/**
 * `PREFIX/_manifests/<runId>.json`, written last by a run: every data file of its job (all
 * batches, including files of earlier runs and adopted ones) with rows, bytes and SHA-256, the
 * executions each holds, the job's time window, and the tool and schema versions. A file is
 * committed once a manifest lists it; `verify` checks the lake against the manifests.
 */
export const runManifestSchema = z.object({
  kind: z.literal('durable-export/run-manifest'),
  format: z.literal(1),
  runId: z.string(),
  jobId: z.string(),
  job: jobRecordSchema.shape.definition,
  window: z.object({ startedAfter: z.string().nullable(), startedBefore: z.string().nullable() }),
  toolVersion: z.string(),
  schemaVersion: z.int(),
  createdAt: z.string(),
  /** Batches of the job, all done. */
  batches: z.int().min(0),
  totals: z.object({
    files: z.int().min(0),
    bytes: z.int().min(0),
    executions: z.int().min(0),
    rows: z.record(z.string(), z.int().min(0)),
  }),
  files: z.array(committedFileSchema.extend({ batch: z.int().min(0) })),
});

export type RunManifest = z.infer<typeof runManifestSchema>;
export type ManifestFile = RunManifest['files'][number];
