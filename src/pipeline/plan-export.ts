import type { AwsConnection } from '../aws/aws-connection.js';
import type { Config } from '../config/config-schema.js';
import { exportRequestOf } from '../config/export-request.js';
import { describeError } from '../errors.js';
import { listExecutionsOnce } from '../source/list-executions.js';
import { openSource } from '../source/open-source.js';

/** What an export would do, found without reading any history or writing anything. */
export interface ExportPlan {
  source: 'history' | 'state';
  out: string;
  executions: { arn: string; status: string; startTimestamp: string | null; functionOrInput: string }[];
  /** Functions whose listing failed, or manifest lines that are invalid. */
  problems: { subject: string; message: string }[];
  /** A lower bound: one page per execution (histories over `pageSize` events take more) plus the listing. */
  estimatedRequests: number;
  estimatedSeconds: number;
  requestsPerSecond: number;
}

/** The connection reaches Lambda (history) or an `s3://` manifest (state). */
export type PlanOptions = AwsConnection;

/**
 * `--dry-run`: lists the executions an export would read (history: `ListDurableExecutionsByFunction`;
 * state: the manifest's valid lines) and estimates requests and time at the configured rate.
 */
export async function planExport(config: Config, options: PlanOptions = {}): Promise<ExportPlan> {
  const request = exportRequestOf(config);
  const plan: ExportPlan = {
    source: request.source ?? 'history',
    out: request.out,
    executions: [],
    problems: [],
    estimatedRequests: 0,
    estimatedSeconds: 0,
    requestsPerSecond: config.lambda.requestsPerSecond,
  };
  const { client, limiter, stateInput, close } = await openSource(config, request, options);
  try {
    if (stateInput) {
      for await (const target of stateInput.targets) {
        if ('kind' in target) {
          plan.problems.push({
            subject: `${stateInput.inputName} line ${target.line}`,
            message: target.reason,
          });
        } else {
          // A checkpoint token exists only while an invocation runs.
          plan.executions.push({
            arn: target.executionArn,
            status: 'RUNNING',
            startTimestamp: null,
            functionOrInput: stateInput.inputName,
          });
        }
      }
      // GetDurableExecution plus at least one state page per execution.
      plan.estimatedRequests = plan.executions.length * 2;
    } else {
      for await (const listed of listExecutionsOnce(
        client,
        request.functions,
        request,
        config.lambda.pageSize,
      )) {
        if ('kind' in listed) {
          plan.problems.push({ subject: listed.subject, message: describeError(listed.error) });
          continue;
        }
        plan.executions.push({
          arn: listed.summary.arn,
          status: listed.summary.status,
          startTimestamp: listed.summary.startTimestamp.toISOString(),
          functionOrInput: listed.functionName,
        });
      }
      plan.estimatedRequests = limiter.stats.requests + plan.executions.length;
    }
  } finally {
    await close();
  }
  plan.estimatedSeconds = plan.estimatedRequests / plan.requestsPerSecond;
  return plan;
}
