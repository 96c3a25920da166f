/**
 * One measured pipeline run, in its own process so its peak RSS is its own:
 *   node --import tsx bench/pipeline-child.ts <mode> <lambda-url> <out-dir> <executions-in-flight>
 * mode `fetch`: list + history + fold only (the reference: what the Lambda side costs);
 * mode `export`: the whole pipeline to Parquet files in <out-dir>.
 * Prints one JSON line: { mode, executions, operations, durationMs, maxRssMiB }.
 */

import { createLambdaClient } from '../src/aws/lambda-client.js';
import { RateLimiter } from '../src/aws/rate-limiter.js';
import { loadConfig } from '../src/config/load-config.js';
import { runExportJob } from '../src/export-job.js';
import { historySource } from '../src/source/history-source.js';
import { peakRssKiB } from './peak-rss.js';

const [mode, url, out, inFlight] = process.argv.slice(2);
if (!mode || !url || !out || !inFlight)
  throw new Error('usage: pipeline-child <fetch|export> <url> <out> <in-flight>');
process.env.AWS_ACCESS_KEY_ID ??= 'AKIDEXAMPLE';
process.env.AWS_SECRET_ACCESS_KEY ??= 'secret';
process.env.AWS_REGION ??= 'us-east-1';

const unlimited = 10_000;
const rateLimits = { list: unlimited, history: unlimited, getExecution: unlimited, state: unlimited };
const lambda = { rateLimits, maxConcurrent: 16, executionsInFlight: Number(inFlight) };
const started = performance.now();
let executions = 0;
let operations = 0;
if (mode === 'fetch') {
  const config = await loadConfig({ flags: { lambda } });
  const limiter = new RateLimiter(config.lambda);
  const client = createLambdaClient({ ...config.lambda, limiter, endpoint: url });
  const source = historySource({
    client,
    functions: ['orders', 'payments'],
    statuses: [],
    pageSize: config.lambda.pageSize,
    executionsInFlight: config.lambda.executionsInFlight,
    markerRestartLimit: 0,
  });
  for await (const outcome of source.executions()) {
    if (outcome.kind === 'failed') throw new Error(`${outcome.subject}: ${outcome.error.message}`);
    if (outcome.kind !== 'exported') continue;
    executions++;
    operations += outcome.operations.length;
  }
  await limiter.stop();
  client.destroy();
} else {
  const config = await loadConfig({ flags: { lambda, export: { functions: ['orders', 'payments'], out } } });
  const summary = await runExportJob(config, { endpointUrlLambda: url });
  if (summary.executionsFailed > 0) throw new Error(JSON.stringify(summary.failures.slice(0, 3)));
  executions = summary.executionsExported;
  operations = summary.operations;
}
const durationMs = performance.now() - started;
const maxRssMiB = peakRssKiB() / 1024;
console.log(JSON.stringify({ mode, executions, operations, durationMs, maxRssMiB }));
