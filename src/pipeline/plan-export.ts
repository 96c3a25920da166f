import pMap from 'p-map';
import { type AwsConnection, awsConnectionOf } from '../aws/aws-connection.js';
import type { LambdaApi } from '../aws/rate-limiter.js';
import { alreadyExportedReason, type ExportIndex, openExportIndex } from '../commit/export-index.js';
import { indexWantsOf } from '../commit/index-batches.js';
import { jobDefinitionOf } from '../commit/job-id.js';
import { readJob } from '../commit/open-committer.js';
import type { Config } from '../config/config-schema.js';
import { exportRequestOf } from '../config/export-request.js';
import { describeError } from '../errors.js';
import { openLake } from '../lake/open-lake.js';
import { parseOutputLocation } from '../sink/output-location.js';
import { selectFunctions } from '../source/discover-functions.js';
import { listExecutionsOnce } from '../source/list-executions.js';
import { openSource } from '../source/open-source.js';
import { countSkip, SAME_JOB_REASON, type SkipGroup } from './skip-groups.js';

/** What an export would do, found without reading any history or writing anything. */
export interface ExportPlan {
  source: 'history' | 'state';
  out: string;
  /** `--all-functions`: the durable functions discovery found (name and ARN). */
  functionsDiscovered?: { name: string; arn: string }[];
  /** The executions the export would read: listed, and not committed by an earlier run of the job. */
  executions: { arn: string; status: string; startTimestamp: string | null; functionOrInput: string }[];
  /**
   * Listed executions the export skips: committed by an earlier run of the same job, or already
   * exported by another run in the same final status (the export index; not with `forceReexport`).
   */
  executionsSkipped: number;
  /** The skipped executions by reason (and run), as the run's summary groups them. */
  skipped: SkipGroup[];
  /** Functions whose listing failed (each in `problems`). */
  functionsFailed: number;
  /** Input manifest lines that are invalid (each in `problems`). */
  inputLinesSkipped: number;
  /** Functions whose listing failed, or manifest lines that are invalid. */
  problems: { subject: string; message: string }[];
  /** A lower bound: one page per execution (histories over `pageSize` events take more) plus the listing. */
  estimatedRequests: number;
  /** The APIs the export would call: each one's share of `estimatedRequests` and its rate limit. */
  apis: PlannedApi[];
  /** The slowest API's requests at its limit (or all of them at the overall cap, when that is slower). */
  estimatedSeconds: number;
  /** The overall cap (`lambda.requestsPerSecond`), when one is set. */
  requestsPerSecond?: number;
}

/** One API's part of the estimate. */
export interface PlannedApi {
  api: LambdaApi;
  requests: number;
  /** Requests per second (`lambda.rateLimits`). */
  limit: number;
}

/** The connection reaches Lambda (history), an `s3://` manifest (state) and an `s3://` lake. */
export type PlanOptions = AwsConnection;

/**
 * `--dry-run`: lists the executions an export would read (history: `ListDurableExecutionsByFunction`;
 * state: the manifest's valid lines), leaves out those the job's state in the lake says an earlier
 * run committed (read by `readJob`, as the export does), and estimates requests and time at the
 * configured rate. Writes nothing.
 */
export async function planExport(given: Config, options: PlanOptions = {}): Promise<ExportPlan> {
  const { config, discovered } = await selectFunctions(given, options);
  const request = exportRequestOf(config);
  const plan: ExportPlan = {
    source: request.source ?? 'history',
    out: request.out,
    functionsDiscovered: discovered,
    executions: [],
    executionsSkipped: 0,
    skipped: [],
    functionsFailed: 0,
    inputLinesSkipped: 0,
    problems: [],
    estimatedRequests: 0,
    apis: [],
    estimatedSeconds: 0,
    requestsPerSecond: config.lambda.requestsPerSecond,
  };
  const planned: Partial<Record<LambdaApi, number>> = {};
  const { source, client, limiter, stateInput, close } = await openSource(config, request, options);
  // The limits of this run: its share of the quotas (`lambda.concurrentExporters`).
  const { rateLimits } = limiter.options;
  const lake = openLake(parseOutputLocation(request.out), awsConnectionOf(options));
  try {
    const definition = jobDefinitionOf(request, source.name, config.redaction, options.lambdaTarget);
    const { state } = await readJob(lake, definition);
    const committed = (arn: string): boolean => {
      if (!state.committed.has(arn)) return false;
      countSkip(plan, SAME_JOB_REASON);
      return true;
    };
    if (stateInput) {
      for await (const target of stateInput.targets) {
        if ('kind' in target) {
          plan.inputLinesSkipped++;
          plan.problems.push({
            subject: `${stateInput.inputName} line ${target.line}`,
            message: target.reason,
          });
        } else if (!committed(target.executionArn)) {
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
      planned.getExecution = plan.executions.length;
      planned.state = plan.executions.length;
    } else if (request.executionArns) {
      // Named executions are not listed: their status is known only once read.
      for (const arn of request.executionArns) {
        if (committed(arn)) continue;
        plan.executions.push({ arn, status: 'UNKNOWN', startTimestamp: null, functionOrInput: 'given' });
      }
      // GetDurableExecution plus at least one history page per execution.
      planned.getExecution = plan.executions.length;
      planned.history = plan.executions.length;
    } else {
      for await (const listed of listExecutionsOnce(
        client,
        request.functions,
        request,
        config.lambda.pageSize,
      )) {
        if ('kind' in listed) {
          plan.functionsFailed++;
          plan.problems.push({ subject: listed.subject, message: describeError(listed.error) });
        } else if (!committed(listed.summary.arn)) {
          plan.executions.push({
            arn: listed.summary.arn,
            status: listed.summary.status,
            startTimestamp: listed.summary.startTimestamp.toISOString(),
            functionOrInput: listed.functionName,
          });
        }
      }
      if (!config.export?.forceReexport)
        await leaveOutExported(plan, openExportIndex(lake, indexWantsOf(definition)));
      planned.list = limiter.stats.requests;
      planned.history = plan.executions.length;
    }
  } finally {
    await close();
    lake.close();
  }
  estimate(plan, planned, rateLimits);
  return plan;
}

/** Leaves out the executions the export index says another run already exported as they are now. */
async function leaveOutExported(plan: ExportPlan, index: ExportIndex): Promise<void> {
  const found = await pMap(plan.executions, (e) => index.lookup(e.arn, e.status), { concurrency: 16 });
  plan.executions = plan.executions.filter((_, i) => {
    const entry = found[i];
    if (entry) countSkip(plan, alreadyExportedReason(entry.runId), entry.runId);
    return !entry;
  });
}

/** Fills in the requests and the time: the APIs run side by side, each at its own limit. */
function estimate(
  plan: ExportPlan,
  planned: Partial<Record<LambdaApi, number>>,
  limits: Readonly<Record<LambdaApi, number>>,
): void {
  for (const [api, requests] of Object.entries(planned) as [LambdaApi, number][]) {
    plan.apis.push({ api, requests, limit: limits[api] });
  }
  plan.estimatedRequests = plan.apis.reduce((n, a) => n + a.requests, 0);
  const perApi = plan.apis.map((a) => a.requests / a.limit);
  const capped = plan.requestsPerSecond ? plan.estimatedRequests / plan.requestsPerSecond : 0;
  plan.estimatedSeconds = Math.max(0, capped, ...perApi);
}
