import { z } from 'zod';
import { TABLE_NAMES } from '../schema/index.js';

/**
 * The JSON records of the commit protocol, with the schemas that check them when they are read
 * back. Objects are not strict, so a newer tool can add fields an older one still reads.
 */

const table = z.enum(TABLE_NAMES);

const plannedFile = z.object({
  key: z.string().min(1),
  table,
  dt: z.string(),
  /** ARNs of the executions whose rows the file holds. */
  executions: z.array(z.string()),
});

const committedFile = plannedFile.extend({
  rows: z.int().min(0),
  bytes: z.int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** True when a crashed run had completed the file and this run checked and kept it. */
  adopted: z.boolean(),
});

export const jobRecordSchema = z.object({
  kind: z.literal('durable-export/job'),
  format: z.literal(1),
  jobId: z.string(),
  definition: z.object({
    functions: z.array(z.string()),
    startedAfter: z.string().nullable(),
    startedBefore: z.string().nullable(),
    statuses: z.array(z.string()),
    source: z.enum(['history', 'state']),
    input: z.string().nullable(),
    schemaVersion: z.int(),
    /** `--since-last-run`: executions the job re-checks and may export again (`JobDefinition.recheck`). */
    recheck: z.array(z.string()).optional(),
  }),
  createdAt: z.string(),
  toolVersion: z.string(),
});

/** Written before any data file of the batch: exactly which executions and keys it will write. */
export const batchIntentSchema = z.object({
  kind: z.literal('durable-export/batch-intent'),
  format: z.literal(1),
  jobId: z.string(),
  batch: z.int().min(0),
  runId: z.string(),
  createdAt: z.string(),
  executions: z.array(z.string()),
  files: z.array(plannedFile),
});

/** Written after every data file of the batch completed: what each file holds. */
export const batchDoneSchema = z.object({
  kind: z.literal('durable-export/batch-done'),
  format: z.literal(1),
  jobId: z.string(),
  batch: z.int().min(0),
  runId: z.string(),
  completedAt: z.string(),
  files: z.array(committedFile),
  /** Executions of the intent that no file holds (not returned when the batch was re-done). */
  missing: z.array(z.string()),
  /**
   * Executions with rows in some files but no executions row: a stopped run completed part of
   * their files and they could not be read again when the batch was re-done. Not exported again
   * (that would double the rows that exist); reported by the run and by `verify`.
   */
  partial: z.array(z.string()),
  /**
   * What the export index records for this batch once a manifest lists it (`export-index.ts`): the
   * rows' run id and time, and each execution this attempt wrote whole (no adopted file) in a
   * terminal status. Absent in records of older tools: their batches are not indexed.
   */
  index: z
    .object({
      runId: z.string(),
      exportedAt: z.string(),
      executions: z.array(z.object({ arn: z.string(), status: z.string(), endedAt: z.string().nullable() })),
    })
    .optional(),
});

export type PlannedFile = z.infer<typeof plannedFile>;
export type CommittedFile = z.infer<typeof committedFile>;
export type JobRecord = z.infer<typeof jobRecordSchema>;
export type BatchIntent = z.infer<typeof batchIntentSchema>;
export type BatchDone = z.infer<typeof batchDoneSchema>;
export { committedFile as committedFileSchema };
