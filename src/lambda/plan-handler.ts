import { z } from 'zod';
import { type AwsConnection, awsConnectionOf } from '../aws/aws-connection.js';
import { ConfigError } from '../errors.js';
import { underPrefix } from '../lake/object-reader.js';
import { planSinceLastRun } from '../plan/plan-since-last-run.js';
import { planWork } from '../plan/plan-work.js';
import { readWorkItems } from '../plan/read-work-items.js';
import { planText, writePlan } from '../plan/write-plan.js';
import { parseOutputLocation } from '../sink/output-location.js';
import { loadHandlerConfig } from './handler-config.js';

/** Executions per item of a windowed plan (`plan --target-executions-per-item`'s default). */
const TARGET_EXECUTIONS_PER_ITEM = 10_000;

/**
 * What the fleet state machine's Plan step sends (deploy/fleet-state-machine.ts): the execution's
 * name (the plan's key) and the execution's input: `{ "sinceLastRun": true }` from the schedule,
 * a window for a backfill started by hand, or `{ "planKey": ... }`, a plan already written
 * (`durable-export plan --plan-out s3://BUCKET/PREFIX/_plans/...`).
 */
const eventSchema = z.strictObject({
  // Step Functions execution names are 1-80 characters; the key holds the name URI-encoded.
  executionName: z.string().min(1).max(80),
  input: z
    .strictObject({
      sinceLastRun: z.boolean().optional(),
      startedAfter: z.string().optional(),
      startedBefore: z.string().optional(),
      targetExecutionsPerItem: z.int().min(1).optional(),
      planKey: z.string().min(1).optional(),
    })
    .default({}),
});

/** Where the plan went, for the state machine: its Choice reads `items`, its Map reads `key`. */
export interface PlanResult {
  bucket: string;
  key: string;
  items: number;
  /** The items are a `--since-last-run` plan's: the work-item handler runs each incrementally. */
  sinceLastRun: boolean;
}

/**
 * The fleet's Plan step: makes the plan of work items, writes it as JSON Lines to
 * `PREFIX/_plans/<execution name>.jsonl` in the lake's bucket (`export.out`, which must be
 * `s3://`), and returns where. With `sinceLastRun` it is the scheduled plan (`planSinceLastRun`:
 * one item per function, windows from the watermarks); otherwise the items of the window
 * `startedAfter`-`startedBefore` (`planWork`), sliced by listing. The functions come from
 * `DURABLE_EXPORT_EXPORT_FUNCTIONS` or discovery (`DURABLE_EXPORT_EXPORT_ALL_FUNCTIONS`, with its
 * prefix and tags), as for the other handlers (`loadHandlerConfig`). A retried Plan step writes the
 * same key again. With `planKey`, the plan already under `PREFIX/_plans/` is read and checked
 * instead (`readWorkItems`), and nothing is written.
 */
export async function handler(event: unknown): Promise<PlanResult> {
  const parsed = eventSchema.safeParse(event);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const keys = issue?.code === 'unrecognized_keys' ? ` ${issue.keys.join(', ')}` : '';
    throw new ConfigError(
      `not an event of the fleet state machine's Plan step: ${issue?.path.join('.') || '(event)'}${keys}: ${issue?.message}`,
    );
  }
  const { executionName, input } = parsed.data;
  const config = await loadHandlerConfig(process.env, {
    export: { startedAfter: input.startedAfter, startedBefore: input.startedBefore },
  });
  const out = parseOutputLocation(config.export?.out ?? '');
  if (out.kind !== 's3') {
    throw new ConfigError(
      `the Plan step writes the plan next to the lake on S3: export.out must be s3://BUCKET/PREFIX, not ${config.export?.out}`,
    );
  }
  const connection = awsConnectionOf({});
  if (input.planKey !== undefined) return givenPlan({ ...input, planKey: input.planKey }, out, connection);
  const sinceLastRun = input.sinceLastRun ?? false;
  const { items } = sinceLastRun
    ? await planSinceLastRun(config, connection)
    : await planWork(config, {
        ...connection,
        targetExecutionsPerItem: input.targetExecutionsPerItem ?? TARGET_EXECUTIONS_PER_ITEM,
      });
  const key = underPrefix(out.prefix, `_plans/${encodeURIComponent(executionName)}.jsonl`);
  await writePlan(`s3://${out.bucket}/${key}`, planText(items), connection);
  return { bucket: out.bucket, key, items: items.length, sinceLastRun };
}

/** A plan already written under `PREFIX/_plans/` (which the state machine may read): its items counted. */
async function givenPlan(
  input: { planKey: string; sinceLastRun?: boolean; startedAfter?: string; startedBefore?: string },
  out: { bucket: string; prefix: string },
  connection: AwsConnection,
): Promise<PlanResult> {
  const clashing = (['sinceLastRun', 'startedAfter', 'startedBefore'] as const).filter(
    (k) => input[k] !== undefined,
  );
  if (clashing.length > 0) {
    throw new ConfigError(`input planKey names a plan already made: drop ${clashing.join(', ')}`);
  }
  const plans = underPrefix(out.prefix, '_plans/');
  if (!input.planKey.startsWith(plans)) {
    throw new ConfigError(
      `input planKey ${input.planKey}: the state machine reads plans under ${plans} only (write it there with plan --plan-out s3://${out.bucket}/${plans}...)`,
    );
  }
  const { items } = await readWorkItems({ plan: `s3://${out.bucket}/${input.planKey}` }, connection);
  return { bucket: out.bucket, key: input.planKey, items: items.length, sinceLastRun: false };
}
