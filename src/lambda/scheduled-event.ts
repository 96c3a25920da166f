import { z } from 'zod';
import { type PartialConfig, partialConfigSchema } from '../config/config-schema.js';
import { ConfigError } from '../errors.js';

/**
 * What a scheduled invocation asks for: `functions` (or `allFunctions`), `out`, `startedAfter`
 * (the first run's start), `statuses`, `tables`, and any config section (`lambda`, `sink`, `s3`,
 * `redaction`, `export`) as overrides. Unknown fields are errors that name them.
 */
const fieldsSchema = partialConfigSchema.omit({ $schema: true }).extend({
  functions: z.array(z.string()).optional(),
  allFunctions: z.boolean().optional(),
  out: z.string().optional(),
  startedAfter: z.string().optional(),
  statuses: z.array(z.string()).optional(),
  tables: z.array(z.string()).optional(),
});

export type ScheduledFields = z.infer<typeof fieldsSchema>;

/**
 * The fields of a scheduled event: an EventBridge rule's `Scheduled Event` carries them in
 * `detail`; EventBridge Scheduler delivers the target input as the event itself.
 */
export function scheduledFieldsOf(event: unknown): ScheduledFields {
  const fields = isRuleEvent(event) ? event.detail : event;
  const parsed = fieldsSchema.safeParse(fields ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || '(event)';
    const keys = issue?.code === 'unrecognized_keys' ? ` ${issue.keys.join(', ')}` : '';
    throw new ConfigError(
      `invalid scheduled event field ${where}${keys}: ${issue?.message}`,
      {},
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

/** The config overrides the fields give (`functions` is `export.functions`, ...). */
export function overridesOf(fields: ScheduledFields): PartialConfig {
  const { functions, allFunctions, out, startedAfter, statuses, tables, ...sections } = fields;
  // Absent fields stay undefined, which the config merge skips (`loadConfig`): the environment's value stays.
  return {
    ...sections,
    export: { ...sections.export, functions, allFunctions, out, startedAfter, statuses, tables },
  } as PartialConfig;
}

function isRuleEvent(event: unknown): event is { detail: unknown } {
  return (
    typeof event === 'object' &&
    event !== null &&
    (event as Record<string, unknown>)['detail-type'] === 'Scheduled Event'
  );
}
