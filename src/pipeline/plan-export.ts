import { type AwsConnection, clientOptionsOf } from '../aws/aws-connection.js';
import { createLambdaClient } from '../aws/lambda-client.js';
import { RateLimiter } from '../aws/rate-limiter.js';
import type { Config } from '../config/config-schema.js';
import { exportRequestOf } from '../config/export-request.js';
import { describeError } from '../errors.js';
import { listExecutions } from '../source/list-executions.js';
import { openStateJobInput } from '../source/state-job-input.js';

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
  if (request.source === 'state') {
    const input = await openStateJobInput({ ...options, manifest: request.manifest });
    try {
      for await (const target of input.targets) {
        if ('kind' in target) {
          plan.problems.push({ subject: `${input.inputName} line ${target.line}`, message: target.reason });
        } else {
          // A checkpoint token exists only while an invocation runs.
          plan.executions.push({
            arn: target.executionArn,
            status: 'RUNNING',
            startTimestamp: null,
            functionOrInput: input.inputName,
          });
        }
      }
    } finally {
      input.close();
    }
    // GetDurableExecution plus at least one state page per execution.
    plan.estimatedRequests = plan.executions.length * 2;
  } else {
    const limiter = new RateLimiter(config.lambda);
    const client = createLambdaClient({
      ...config.lambda,
      ...clientOptionsOf(options, 'lambda'),
      limiter,
    });
    try {
      const seen = new Set<string>();
      for (const fn of request.functions) {
        try {
          const filter = {
            ...(request.startedAfter ? { startedAfter: request.startedAfter } : {}),
            ...(request.startedBefore ? { startedBefore: request.startedBefore } : {}),
            statuses: request.statuses,
          };
          for await (const e of listExecutions(client, fn, filter, config.lambda.pageSize)) {
            // The same function by name and by ARN lists the same executions; the export reads them once.
            if (seen.has(e.arn)) continue;
            seen.add(e.arn);
            plan.executions.push({
              arn: e.arn,
              status: e.status,
              startTimestamp: e.startTimestamp.toISOString(),
              functionOrInput: fn,
            });
          }
        } catch (error) {
          plan.problems.push({ subject: fn, message: describeError(error) });
        }
      }
      plan.estimatedRequests = limiter.stats.requests + plan.executions.length;
    } finally {
      await limiter.stop();
      client.destroy();
    }
  }
  plan.estimatedSeconds = plan.estimatedRequests / plan.requestsPerSecond;
  return plan;
}
