import { z } from 'zod';

/**
 * The one description of durable-export's configuration. Every object is strict: an unknown key
 * is an error. Field names carry their units.
 */
const lambdaSchema = z.strictObject({
  requestsPerSecond: z
    .number()
    .positive()
    .max(10_000)
    .describe('Lambda API requests per second, shared by the run.'),
  maxConcurrent: z.int().min(1).max(256).describe('Lambda API requests in flight at once.'),
  pageSize: z
    .int()
    .min(1)
    .max(1000)
    .describe('MaxItems per page for list, history and state calls (1-1000).'),
  maxAttempts: z
    .int()
    .min(1)
    .max(50)
    .describe('Attempts per request, including the first (throttling and 5xx).'),
  connectionTimeoutMs: z.int().min(1).describe('TCP connection timeout per request.'),
  requestTimeoutMs: z.int().min(1).describe('Timeout for one request.'),
  executionsInFlight: z.int().min(1).max(1024).describe('Executions read concurrently.'),
  markerRestartLimit: z
    .int()
    .min(0)
    .max(10)
    .describe('Times an execution is re-read from its first page after its marker expired.'),
});

const sinkSchema = z.strictObject({
  rowGroupRows: z.int().min(1).max(10_000_000).describe('Rows per Parquet row group.'),
  maxFileRows: z.int().min(1).describe('Rows per Parquet file before a new file is started.'),
  partSizeBytes: z
    .int()
    .min(5 * 1024 * 1024)
    .describe('Multipart upload part size (at least 5 MiB).'),
  maxOpenFiles: z.int().min(1).max(1024).describe('Parquet files (one per table and day) open at once.'),
});

const exportSchema = z.strictObject({
  functions: z.array(z.string().min(1)).optional().describe('Function names or ARNs to export.'),
  startedAfter: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Only executions started after (ISO-8601).'),
  startedBefore: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Only executions started before (ISO-8601).'),
  statuses: z.array(z.string()).optional().describe('Only executions with these statuses.'),
  out: z.string().min(1).optional().describe('s3://BUCKET/PREFIX or a local directory.'),
});

export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  lambda: lambdaSchema,
  sink: sinkSchema,
  export: exportSchema.optional(),
});

export type Config = z.infer<typeof configSchema>;

/** What a user file may hold: any subset of the full config. */
export const partialConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  lambda: lambdaSchema.partial().optional(),
  sink: sinkSchema.partial().optional(),
  export: exportSchema.optional(),
});

export type PartialConfig = z.infer<typeof partialConfigSchema>;
