/**
 * `npm run bench:quota [-- --executions 450]`
 *
 * The quota-bound case: an export at the default settings (every Lambda API at AWS's default quota,
 * `lambda.rateLimits`) against the local durable-execution service answering after 40 ms ± 10 ms,
 * as a service across a network does. The service, in its own process
 * (`test/support/counting-service.ts`, so the export's CPU work cannot delay its clock), records
 * when each request arrives, by API; from those arrivals: the achieved rate of each API over the
 * run against its limit, the busiest sliding one-second window (never above the limit), the
 * requests per execution against the fewest the page size allows, and the executions per hour one
 * Region exports at the defaults.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { getPriority, setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LAMBDA_APIS, type LambdaApi } from '../src/aws/rate-limiter.js';
import { loadConfig } from '../src/config/load-config.js';
import { runExportJob } from '../src/export-job.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { startCountingService } from '../test/support/counting-service.js';
import { busiestSecond } from '../test/support/request-windows.js';
import { isMain } from './is-main.js';

const API_OF_ROUTE: Record<string, LambdaApi> = {
  ListDurableExecutionsByFunction: 'list',
  GetDurableExecutionHistory: 'history',
  GetDurableExecution: 'getExecution',
  GetDurableExecutionState: 'state',
};

/** One API as the service saw it. */
export interface QuotaApiRow {
  api: LambdaApi;
  requests: number;
  limit: number;
  /** Requests/s over the span of this API's arrivals; undefined under 2 requests (no span). */
  achieved?: number;
  busiestSecond: number;
}

export interface QuotaResult {
  executions: number;
  seconds: number;
  rows: QuotaApiRow[];
  /** List + history requests sent, and the fewest the page size allows. */
  sent: number;
  fewest: number;
  throttled: number;
  /** Executions per hour one Region exports at the defaults: over this run, and at the history limit. */
  perHourOverRun: number;
  perHourAtHistoryLimit: number;
  historyPagesPerExecution: number;
}

export async function runQuotaBench(count: number): Promise<QuotaResult> {
  process.env.AWS_ACCESS_KEY_ID ??= 'AKIDEXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'secret';
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const executions = generateSyntheticExecutions({ count, seed: 1, functionNames: ['orders'] });
  const arrivals = Object.fromEntries(LAMBDA_APIS.map((api) => [api, [] as number[]])) as Record<
    LambdaApi,
    number[]
  >;
  const service = await startCountingService(
    { count, seed: 1, functionNames: ['orders'], latency: { ms: 40, jitterMs: 10 } },
    (route, at) => {
      const api = API_OF_ROUTE[route];
      if (api) arrivals[api].push(at);
    },
  );
  // The service stands for AWS's front door, whose clock is never starved: this process (the
  // export) goes on 10 steps nicer than the service, so on a loaded machine the arrivals the
  // service records are not delayed behind the export's own CPU work. Run last: it cannot be undone.
  setPriority(Math.min(19, getPriority() + 10));
  const work = await mkdtemp(join(tmpdir(), 'bench-quota-'));
  try {
    const config = await loadConfig({
      flags: { export: { functions: ['orders'], out: join(work, 'lake') } },
    });
    const started = performance.now();
    const summary = await runExportJob(config, { endpointUrlLambda: service.url });
    const seconds = (performance.now() - started) / 1000;
    await service.close();
    if (summary.executionsExported !== count) throw new Error(JSON.stringify(summary.failures.slice(0, 3)));
    const { pageSize, rateLimits } = config.lambda;
    const fewestList = Math.ceil(count / pageSize);
    const fewestHistory = executions.reduce(
      (n, e) => n + Math.max(1, Math.ceil(e.events.length / pageSize)),
      0,
    );
    const rows = (['list', 'history', 'getExecution', 'state'] as const)
      .filter((api) => arrivals[api].length > 0)
      .map((api): QuotaApiRow => {
        const t = [...arrivals[api]].sort((a, b) => a - b);
        // Over the span of this API's arrivals: n arrivals fill n - 1 intervals; one has no span.
        const span = ((t.at(-1) ?? 0) - (t[0] ?? 0)) / 1000;
        return {
          api,
          requests: t.length,
          limit: rateLimits[api],
          achieved: t.length > 1 && span > 0 ? (t.length - 1) / span : undefined,
          busiestSecond: busiestSecond(t),
        };
      });
    return {
      executions: count,
      seconds,
      rows,
      sent: arrivals.list.length + arrivals.history.length,
      fewest: fewestList + fewestHistory,
      throttled: summary.requests.throttled,
      perHourOverRun: Math.round((count / seconds) * 3600),
      perHourAtHistoryLimit: Math.round((3600 * rateLimits.history * count) / fewestHistory),
      historyPagesPerExecution: fewestHistory / count,
    };
  } finally {
    await service.close();
    await rm(work, { recursive: true, force: true });
  }
}

/** The quota table, as Markdown. */
export function quotaTable(result: QuotaResult): string[] {
  const lines = [
    '| API | requests | limit/s | achieved/s over its span | achieved / limit | busiest sliding 1 s at the service |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of result.rows) {
    const achieved = row.achieved === undefined ? '- (one request)' : row.achieved.toFixed(2);
    const ratio = row.achieved === undefined ? '-' : (row.achieved / row.limit).toFixed(3);
    lines.push(
      `| ${row.api} | ${row.requests} | ${row.limit} | ${achieved} | ${ratio} | ${row.busiestSecond} (limit ${row.limit}) |`,
    );
  }
  return lines;
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({ options: { executions: { type: 'string', default: '450' } } });
  const result = await runQuotaBench(Number(values.executions));
  console.log(quotaTable(result).join('\n'));
  console.log(
    `\nrun: ${result.seconds.toFixed(1)} s, ${result.executions} executions; list + history requests ${result.sent} ` +
      `against the fewest the page size allows ${result.fewest} (${(result.sent / result.fewest).toFixed(3)}x); ` +
      `throttled ${result.throttled}; executions per hour at the defaults: ${result.perHourOverRun} over the run, ` +
      `${result.perHourAtHistoryLimit} at the history limit.`,
  );
}
