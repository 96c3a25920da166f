import { z } from 'zod';
import { TABLE_NAMES } from '../schema/index.js';
import { EXECUTION_ARN_FORM, isDurableExecutionArn } from '../source/execution-arn.js';
import { EXECUTION_STATUSES } from './execution-statuses.js';
import { exportTargetSchema } from './target-schema.js';

export { EXECUTION_STATUSES };

/**
 * The one description of durable-export's configuration. Every object is strict: an unknown key
 * is an error. Field names carry their units.
 */
function apiRate(api: string) {
  return z.number().positive().max(100_000).describe(`${api} requests per second.`);
}

/** One rate per Lambda API: the keys of `LambdaApi` (src/aws/rate-limiter.ts). */
const rateLimitsSchema = z.strictObject({
  list: apiRate('ListDurableExecutionsByFunction'),
  history: apiRate('GetDurableExecutionHistory'),
  getExecution: apiRate('GetDurableExecution'),
  state: apiRate('GetDurableExecutionState'),
  listFunctions: apiRate('ListFunctions and ListTags (discovery, --all-functions)'),
});

const lambdaSchema = z.strictObject({
  rateLimits: rateLimitsSchema.describe(
    "Requests per second for each Lambda API (default: AWS's quota per account and Region).",
  ),
  requestsPerSecond: z
    .number()
    .positive()
    .max(100_000)
    .optional()
    .describe('An overall cap on Lambda API requests per second, every API together (default: none).'),
  maxConcurrent: z.int().min(1).max(256).describe('Lambda API requests in flight at once, per API.'),
  concurrentExporters: z
    .int()
    .min(1)
    .max(10_000)
    .describe(
      "Exporters running at once against the same account and Region (e.g. the events handler's SQS maximum concurrency); each rate above is divided by it.",
    ),
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
  limiter: z
    .string()
    .regex(/^(local|rediss?:\/\/[^/\s]+(\/\d+)?)$/, 'expected "local" or redis://HOST:PORT[/db]')
    .describe(
      'local (each process its own limits) or redis://HOST:PORT[/db] (rediss:// for TLS): share each API limit with every worker using the same Redis.',
    ),
  workers: z
    .int()
    .min(1)
    .max(1000)
    .describe(
      'Processes sharing the limits; with a Redis limiter that fails, each falls back to limit / workers.',
    ),
  limiterTimeoutMs: z
    .int()
    .min(100)
    .describe('How long Redis may be unreachable or failing before the run falls back to its local share.'),
});

const sinkSchema = z.strictObject({
  rowGroupRows: z.int().min(1).max(10_000_000).describe('Rows per Parquet row group.'),
  maxFileRows: z.int().min(1).describe('Rows per Parquet file before a new file is started.'),
  partSizeBytes: z
    .int()
    .min(5 * 1024 * 1024)
    .describe('Multipart upload part size (at least 5 MiB).'),
  batchExecutions: z
    .int()
    .min(1)
    .max(1_000_000)
    .describe('Executions per commit batch; each batch writes one file per table and day.'),
  batchRows: z
    .int()
    .min(1)
    .describe(
      'Rows per commit batch (spooled to local Parquet files until the batch is written); also capped by maxFileRows.',
    ),
  spoolDirectory: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Folder for the local Parquet files of the open batch (default: the OS temp folder, /tmp on Lambda).',
    ),
  probeTimeoutMs: z
    .int()
    .min(1)
    .describe('Time the write probe of --out may take before the run fails (nothing read or written).'),
  leaseDurationMs: z
    .int()
    .min(1000)
    .describe(
      "How long a run's lease on its job lasts unless renewed (every third of it); a crashed run's lease expires after it.",
    ),
});

/** S3 request settings for every object written (and every S3 request, for the owner). */
const s3Schema = z.strictObject({
  sse: z
    .enum(['AES256', 'aws:kms'])
    .optional()
    .describe('S3 server-side encryption of every object written (default: the bucket default).'),
  kmsKeyId: z.string().min(1).optional().describe('KMS key id, ARN or alias for sse "aws:kms".'),
  expectedBucketOwner: z
    // DURABLE_EXPORT_S3_EXPECTED_BUCKET_OWNER=123456789012 arrives parsed as a JSON number.
    .preprocess(
      (v) => (typeof v === 'number' ? String(v) : v),
      z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id'),
    )
    .optional()
    .describe('Account that must own the bucket; sent on every S3 request.'),
});

const redactionSpec = z
  .string()
  .regex(/^(drop|hash|truncate:(0|[1-9]\d{0,8}))$/, 'expected "drop", "hash" or "truncate:N"');

/** Per column: drop (NULL), hash (HMAC-SHA-256, key in DURABLE_EXPORT_REDACTION_KEY) or truncate:N. */
const redactionSchema = z
  .strictObject({
    input_payload: redactionSpec.optional(),
    result: redactionSpec.optional(),
    error_data: redactionSpec.optional(),
    error_message: redactionSpec.optional(),
    error_stack_trace: redactionSpec.optional(),
  })
  .describe(
    'Payload column redaction in every table (in events also payload and details_json): drop, hash or truncate:N per column.',
  );

/** A function name, or a full or partial function ARN, as `ListDurableExecutionsByFunction` accepts. */
const FUNCTION_NAME_OR_ARN =
  /^(arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:)?[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]+))?$/;

const functionSchema = z.string().regex(FUNCTION_NAME_OR_ARN, {
  error: (issue) =>
    `invalid function ${JSON.stringify(issue.input)}: expected a function name (letters, digits, - and _, at most 64) or a function ARN`,
});

const statusSchema = z.enum(EXECUTION_STATUSES, {
  error: (issue) =>
    `unknown status ${JSON.stringify(issue.input)}: expected one of ${EXECUTION_STATUSES.join(', ')}`,
});

/**
 * An ISO-8601 date (midnight UTC) or date-time with a zone, to the minute or finer:
 * `2026-01-01`, `2026-01-01T00:00Z`, `2026-01-01T00:00:00.000+02:00`. A time without a zone is
 * ambiguous and refused.
 */
const isoTimeSchema = z.union(
  [z.iso.date(), z.iso.datetime({ offset: true }), z.iso.datetime({ offset: true, precision: -1 })],
  {
    error: () =>
      'expected an ISO-8601 date (2026-01-01, midnight UTC) or a date-time with a zone (2026-01-01T00:00Z, 2026-01-01T00:00:00+02:00)',
  },
);

const executionArnSchema = z.string().refine(isDurableExecutionArn, {
  error: (issue) => `invalid execution ARN ${JSON.stringify(issue.input)}: expected ${EXECUTION_ARN_FORM}`,
});

const tableSchema = z.enum(TABLE_NAMES, {
  error: (issue) => `unknown table ${JSON.stringify(issue.input)}: expected one of ${TABLE_NAMES.join(', ')}`,
});

/**
 * The tables an export writes. `executions` is always among them: an execution's `executions` row
 * is what marks it complete in a batch and for `verify` (rows without it are reported partial).
 */
const tablesSchema = z
  .array(tableSchema)
  .min(1)
  .refine((tables) => tables.includes('executions'), {
    error: 'the tables must include executions: its row marks an execution complete',
  });

/** What to export. Each value is checked here; `exportRequestOf` checks how they combine. */
const exportSchema = z.strictObject({
  functions: z.array(functionSchema).optional().describe('Function names or ARNs to export.'),
  allFunctions: z
    .boolean()
    .optional()
    .describe(
      'Export every function with durable execution enabled (ListFunctions, keeping those with a DurableConfig); not with functions.',
    ),
  functionPrefix: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected the start of a function name: letters, digits, - and _')
    .optional()
    .describe('With allFunctions: only functions whose name starts with this.'),
  functionTags: z
    .array(
      z.string().regex(/^[^=]{1,128}=.{0,256}$/, {
        error: (issue) => `invalid function tag ${JSON.stringify(issue.input)}: expected KEY=VALUE`,
      }),
    )
    .optional()
    .describe('With allFunctions: only functions with every one of these tags, each KEY=VALUE (ListTags).'),
  startedAfter: isoTimeSchema
    .optional()
    .describe('Only executions started at or after (ISO-8601 date, or date-time with a zone).'),
  startedBefore: isoTimeSchema
    .optional()
    .describe('Only executions started before (ISO-8601 date, or date-time with a zone).'),
  statuses: z.array(statusSchema).optional().describe('Only executions with these statuses.'),
  out: z.string().min(1).optional().describe('s3://BUCKET/PREFIX or a local directory.'),
  source: z
    .enum(['history', 'state'])
    .optional()
    .describe(
      'history (default: list and read histories) or state (GetDurableExecutionState, needs a manifest).',
    ),
  manifest: z
    .string()
    .min(1)
    .optional()
    .describe(
      'State source: JSON Lines of {durableExecutionArn, checkpointToken}, a path or s3://BUCKET/KEY.',
    ),
  executionArns: z
    .array(executionArnSchema)
    .optional()
    .describe(
      'Export exactly these durable executions (GetDurableExecution and history for each) instead of listing functions.',
    ),
  tables: tablesSchema
    .optional()
    .describe(`Tables to write (default all: ${TABLE_NAMES.join(', ')}); must include executions.`),
  forceReexport: z
    .boolean()
    .optional()
    .describe(
      'Export executions the export index says another run already exported in the same final status (default false: skip them).',
    ),
  targets: z
    .array(exportTargetSchema)
    .min(1)
    .optional()
    .describe(
      'Read several Regions and accounts: one target per Region and role ({region, roleArn?, externalId?}), each its own job(s), one after the other, into the same lake.',
    ),
  safetyMarginMs: z
    .int()
    .min(0)
    .optional()
    .describe(
      'Scheduled Lambda handler: stop taking new executions this long before the invocation times out, so the last batch commits (default 60000).',
    ),
});

export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  lambda: lambdaSchema,
  sink: sinkSchema,
  export: exportSchema.optional(),
  s3: s3Schema.optional(),
  redaction: redactionSchema.optional(),
});

export type Config = z.infer<typeof configSchema>;

/** What a user file may hold: any subset of the full config. */
export const partialConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  // A layer may set one API's rate: `rateLimits` merges key by key too (`mergeLayer`).
  lambda: lambdaSchema.partial().extend({ rateLimits: rateLimitsSchema.partial().optional() }).optional(),
  sink: sinkSchema.partial().optional(),
  export: exportSchema.optional(),
  s3: s3Schema.optional(),
  redaction: redactionSchema.optional(),
});

export type PartialConfig = z.infer<typeof partialConfigSchema>;

/** True when `section.key` holds a list (`export.functions`, `export.statuses`): read from the schema. */
export function isListKey(section: string, key: string): boolean {
  const field = sectionShape(section)?.[key];
  return field instanceof z.ZodOptional && field.unwrap() instanceof z.ZodArray;
}

/** The keys of a config section, e.g. for a "did you mean" hint; empty for an unknown section. */
export function configKeysOf(section: string): string[] {
  return Object.keys(sectionShape(section) ?? {});
}

function sectionShape(section: string): Record<string, unknown> | undefined {
  const sectionSchema = partialConfigSchema.shape[section as keyof typeof partialConfigSchema.shape];
  const object = sectionSchema?.unwrap();
  return object instanceof z.ZodObject ? (object.shape as Record<string, unknown>) : undefined;
}
