import { ConfigError } from '../errors.js';
import { limitHeapGrowth } from '../heap-growth.js';
import { runIncrementalExport } from '../incremental/incremental-export.js';
import type { ExportSummary } from '../pipeline/run-export.js';
import { runTargets } from '../targets/run-targets.js';
import { loadHandlerConfig } from './handler-config.js';
import { overridesOf, scheduledFieldsOf } from './scheduled-event.js';

limitHeapGrowth();

/** Time kept free at the end of an invocation for the last batch and the manifest (`export.safetyMarginMs`). */
export const DEFAULT_SAFETY_MARGIN_MS = 60_000;

/** The part of the Lambda `Context` the handler uses. */
export interface ScheduledContext {
  getRemainingTimeInMillis(): number;
}

/**
 * The scheduled Lambda handler: one incremental export (`export --since-last-run`) of the event's
 * functions into its `out`, with the configuration of defaults, `DURABLE_EXPORT_*` variables and
 * the event's fields (`loadHandlerConfig`), and AWS endpoints and credentials the standard way
 * (`AWS_REGION`, `AWS_ENDPOINT_URL_LAMBDA`, `AWS_ENDPOINT_URL_S3`, the function's role).
 *
 * `export.safetyMarginMs` (default 60 s) before the invocation would time out, it stops taking new
 * executions, commits what it has and returns `complete: false` with `executionsRemaining`; the
 * next invocation resumes the same job. Returns the run summary (Lambda sends it as JSON).
 */
export async function handler(event: unknown, context: ScheduledContext): Promise<ExportSummary> {
  const started = Date.now();
  const fields = scheduledFieldsOf(event);
  const config = await loadHandlerConfig(process.env, overridesOf(fields));
  const margin = config.export?.safetyMarginMs ?? DEFAULT_SAFETY_MARGIN_MS;
  const remaining = context.getRemainingTimeInMillis();
  if (remaining <= margin) {
    throw new ConfigError(
      `the invocation has ${remaining} ms left, not more than export.safetyMarginMs (${margin} ms): raise the function timeout or lower the margin`,
    );
  }
  const options = { stopTakingNewAt: started + remaining - margin };
  // `export.targets`: each account and Region in turn, each from its own watermarks.
  if (config.export?.targets) return runTargets(config, options, runIncrementalExport);
  return runIncrementalExport(config, options);
}
