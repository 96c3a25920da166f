/**
 * `npm run bench:quota [-- --executions 450]`
 *
 * The quota-bound case: an export at the default settings (every Lambda API at AWS's default quota,
 * `lambda.rateLimits`) against the local durable-execution service answering after 40 ms ± 10 ms,
 * as a service across a network does. The service, in its own process (`bench/quota-service.ts`,
 * so the export's CPU work cannot delay its clock), records when each request arrives, by API; from
 * those starts: the achieved rate of each API over the run against its limit, the busiest sliding
 * one-second window (never above the limit), the requests per execution against the fewest the page
 * size allows, and the executions per hour one Region exports at the defaults.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LAMBDA_APIS, type LambdaApi } from '../src/aws/rate-limiter.js';
import { loadConfig } from '../src/config/load-config.js';
import { runExportJob } from '../src/export-job.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';

const { values } = parseArgs({ options: { executions: { type: 'string', default: '450' } } });
const count = Number(values.executions);
process.env.AWS_ACCESS_KEY_ID ??= 'AKIDEXAMPLE';
process.env.AWS_SECRET_ACCESS_KEY ??= 'secret';
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const API_OF_ROUTE: Record<string, LambdaApi> = {
  ListDurableExecutionsByFunction: 'list',
  GetDurableExecutionHistory: 'history',
  GetDurableExecution: 'getExecution',
  GetDurableExecutionState: 'state',
};
const executions = generateSyntheticExecutions({ count, seed: 1, functionNames: ['orders'] });
const service = spawn(
  process.execPath,
  ['--import', 'tsx', join(import.meta.dirname, 'quota-service.ts'), String(count)],
  {
    stdio: ['pipe', 'pipe', 'inherit'],
  },
);
const lines: Record<string, unknown>[] = [];
let buffered = '';
service.stdout.on('data', (chunk: Buffer) => {
  buffered += chunk.toString();
  for (let at = buffered.indexOf('\n'); at >= 0; at = buffered.indexOf('\n')) {
    lines.push(JSON.parse(buffered.slice(0, at)) as Record<string, unknown>);
    buffered = buffered.slice(at + 1);
    service.stdout.emit('line');
  }
});
await once(service.stdout, 'line');
const url = String(lines[0]?.url);
const work = await mkdtemp(join(tmpdir(), 'bench-quota-'));
try {
  const config = await loadConfig({ flags: { export: { functions: ['orders'], out: join(work, 'lake') } } });
  const started = performance.now();
  const summary = await runExportJob(config, { endpointUrlLambda: url });
  service.stdin.end();
  await once(service, 'exit');
  const byRoute = (lines.at(-1)?.starts ?? {}) as Record<string, number[]>;
  const starts = Object.fromEntries(LAMBDA_APIS.map((api) => [api, [] as number[]])) as Record<
    LambdaApi,
    number[]
  >;
  for (const [route, times] of Object.entries(byRoute)) {
    const api = API_OF_ROUTE[route];
    if (api) starts[api] = times;
  }
  const seconds = (performance.now() - started) / 1000;
  if (summary.executionsExported !== count) throw new Error(JSON.stringify(summary.failures.slice(0, 3)));
  const { pageSize, rateLimits } = config.lambda;
  const fewest = {
    list: Math.ceil(count / pageSize),
    history: executions.reduce((n, e) => n + Math.max(1, Math.ceil(e.events.length / pageSize)), 0),
  };
  const sent = starts.list.length + starts.history.length;
  console.log(
    `Quota-bound export, ${cpus().length} cores, Node ${process.version}: ${count} executions, ` +
      `service latency 40 ± 10 ms, default settings (lambda.rateLimits ${JSON.stringify(rateLimits)}).\n`,
  );
  console.log(
    '| API | requests | limit/s | achieved/s over its span | achieved / limit | busiest 1 s window |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const api of ['list', 'history', 'getExecution', 'state'] as const) {
    const t = starts[api];
    if (t.length === 0) continue;
    // Over the span of this API's starts: n starts fill n - 1 intervals.
    const span = ((t.at(-1) ?? 0) - (t[0] ?? 0)) / 1000;
    const rate = t.length > 1 && span > 0 ? (t.length - 1) / span : Number.NaN;
    console.log(
      `| ${api} | ${t.length} | ${rateLimits[api]} | ${rate.toFixed(2)} | ${(rate / rateLimits[api]).toFixed(3)} | ${busiestSecond(t)} |`,
    );
  }
  console.log(
    `\nrun: ${seconds.toFixed(1)} s; list + history requests ${sent} against the fewest the page size allows ` +
      `${fewest.list + fewest.history} (${(sent / (fewest.list + fewest.history)).toFixed(3)}x), ` +
      `${(sent / count).toFixed(3)} per execution; GetDurableExecution ${starts.getExecution.length} ` +
      `(only for truncated payloads or unqualified function ARNs); throttled ${summary.requests.throttled}; ` +
      `executions per hour at the defaults: ${Math.round((count / seconds) * 3600)} over the run, ` +
      `${Math.round((3600 * rateLimits.history * count) / fewest.history)} at the history limit ` +
      `(${(fewest.history / count).toFixed(3)} history pages per execution).`,
  );
} finally {
  if (service.exitCode === null) service.kill('SIGTERM');
  await rm(work, { recursive: true, force: true });
}

/** The most starts any one-second window holds (each window opening at a start). */
function busiestSecond(t: readonly number[]): number {
  let busiest = 0;
  let j = 0;
  for (let i = 0; i < t.length; i++) {
    while (j < t.length && (t[j] ?? 0) < (t[i] ?? 0) + 1000) j++;
    busiest = Math.max(busiest, j - i);
  }
  return busiest;
}
