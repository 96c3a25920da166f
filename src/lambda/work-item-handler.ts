import { z } from 'zod';
import { ConfigError, ExportError } from '../errors.js';
import { limitHeapGrowth } from '../heap-growth.js';
import { runWorkItems } from '../plan/run-work-items.js';
import { parseWorkItems } from '../plan/work-item.js';
import { loadHandlerConfig } from './handler-config.js';

limitHeapGrowth();

/** Time kept free at the end of an invocation for the last batch and the manifest. */
const SAFETY_MARGIN_MS = 60_000;

/**
 * A batch of the fleet state machine's Distributed Map (deploy/fleet-state-machine.ts): the plan's
 * lines as `Items` (its `ItemBatcher`), and as `BatchInput` the plan's key and whether it is a
 * `--since-last-run` plan (the Plan step's output, src/lambda/plan-handler.ts).
 */
const batchSchema = z.object({
  Items: z.array(z.unknown()).min(1),
  BatchInput: z.object({
    kind: z.literal('work-items'),
    planKey: z.string().min(1),
    sinceLastRun: z.boolean().optional(),
  }),
});

/** What a batch did: small, as a Map result must be (Step Functions passes at most 256 KB). */
export interface WorkItemBatchResult {
  plan: string;
  items: number[];
  executionsListed: number;
  executionsExported: number;
  executionsSkipped: number;
  executionsFailed: number;
  /** Each item's job manifest: every item is its own job and commits itself. */
  manifests: string[];
}

/** The part of the Lambda `Context` the handler uses. */
export interface WorkItemContext {
  getRemainingTimeInMillis(): number;
}

/**
 * The fleet's work-item Lambda handler: runs a batch of plan items (`durable-export plan`) one
 * after the other, each a normal export of its function and window into `export.out`, and so its
 * own job (`runWorkItems`), with the configuration of defaults and `DURABLE_EXPORT_*` variables;
 * the items of a scheduled (`sinceLastRun`) plan each as an incremental export of its function.
 * A batch with a failed execution or listing, or stopped by its time budget (60 s before the
 * timeout), throws, so the Map counts it as failed (within its tolerated share); what it committed
 * stays, and the next run of the plan resumes each item's job.
 */
export async function handler(event: unknown, context: WorkItemContext): Promise<WorkItemBatchResult> {
  const started = Date.now();
  const parsed = batchSchema.safeParse(event);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(
      `not a work-item batch of the fleet state machine: ${issue?.path.join('.') || '(event)'}: ${issue?.message}`,
    );
  }
  const plan = parsed.data.BatchInput.planKey;
  const items = await parseWorkItems(linesOf(parsed.data.Items), plan);
  const config = await loadHandlerConfig(process.env);
  const summary = await runWorkItems(
    config,
    { location: plan, items },
    {
      stopTakingNewAt: started + context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS,
      sinceLastRun: parsed.data.BatchInput.sinceLastRun,
    },
  );
  const result: WorkItemBatchResult = {
    plan,
    items: items.map((i) => i.item),
    executionsListed: summary.executionsListed,
    executionsExported: summary.executionsExported,
    executionsSkipped: summary.executionsSkipped,
    executionsFailed: summary.executionsFailed,
    manifests: summary.workItems.flatMap((w) => (w.manifestKey ? [w.manifestKey] : [])),
  };
  const unfinished = summary.complete === false ? ', stopped by its time budget' : '';
  if (summary.executionsFailed > 0 || summary.functionsFailed > 0 || unfinished) {
    throw new ExportError(
      `work items ${result.items.join(', ')} of ${plan}: ${summary.executionsFailed} executions and ${summary.functionsFailed} listings failed${unfinished}; a re-run of the plan resumes them (${JSON.stringify(result)})`,
      { stage: 'source' },
    );
  }
  return result;
}

/** The Map's items as the plan's lines. */
async function* linesOf(items: readonly unknown[]): AsyncGenerator<string> {
  for (const item of items) yield JSON.stringify(item);
}
