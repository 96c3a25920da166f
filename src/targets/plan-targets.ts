import type { AwsConnection } from '../aws/aws-connection.js';
import type { Config } from '../config/config-schema.js';
import { type ExportPlan, planExport } from '../pipeline/plan-export.js';
import { forEachTarget, noFunctionsAs } from './run-targets.js';
import type { TargetPlace } from './targets-summary.js';

/** `--dry-run` of one target: its plan, or why the target would fail; neither: no function found there. */
export interface TargetPlan extends TargetPlace {
  plan?: ExportPlan;
  error?: string;
}

/** `--dry-run` with targets: each target's plan (`planExport` under its connection), in order. */
export async function planTargets(
  config: Config,
  options: AwsConnection & { signal?: AbortSignal },
): Promise<TargetPlan[]> {
  const outcomes = await forEachTarget(config, options, (single, connection) =>
    noFunctionsAs<ExportPlan | undefined>(planExport(single, connection), undefined),
  );
  return outcomes.map(({ account, region, roleArn, ...o }) =>
    o.error
      ? { account, region, roleArn, error: o.error.message }
      : { account, region, roleArn, plan: o.value },
  );
}
