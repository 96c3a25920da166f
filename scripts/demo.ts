/**
 * `make demo`: the main job end to end on embedded defaults.
 * 1. a local S3-compatible server (s3rver, child process) and the local durable-execution
 *    service (our CLI, child process) with realistic synthetic executions, both on free ports;
 * 2. `durable-export export` run as a user would, pointed at them by AWS_ENDPOINT_URL_*;
 * 3. a DuckDB query over the exported Parquet.
 * Everything is stopped at the end, also on failure.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadLake } from '../src/lake/download-lake.js';
import { localS3Environment, startLocalS3 } from '../src/local/local-s3.js';
import { printDemoQueries } from './demo/demo-queries.js';
import { startServiceProcess } from './demo/service-process.js';

// The SDK's Node 20 notice is stated once in the README; the demo's output stays readable.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const BUCKET = 'durable-lake';
const PREFIX = 'demo';
const EXECUTIONS = Number(process.env.DEMO_EXECUTIONS ?? 200);
const cli = join(import.meta.dirname, '..', 'bin', 'durable-export.js');

const work = await mkdtemp(join(tmpdir(), 'durable-export-demo-'));
const cleanups: (() => Promise<void>)[] = [() => rm(work, { recursive: true, force: true })];
try {
  const s3 = await startLocalS3({ directory: join(work, 's3') });
  cleanups.unshift(() => s3.close());
  const service = await startServiceProcess(cli, ['--synthetic', String(EXECUTIONS), '--seed', '42']);
  cleanups.unshift(() => service.close());
  console.log(
    `local S3 on ${s3.endpoint}, local durable-execution service on ${service.url} (${EXECUTIONS} executions)`,
  );

  const env = {
    ...process.env,
    AWS_REGION: 'us-east-1',
    ...localS3Environment(s3.endpoint),
    AWS_ENDPOINT_URL_LAMBDA: service.url,
  };
  await s3.createBucket(BUCKET);
  // The local service has no quota; the defaults (AWS's quotas, 15 requests/s for history) are
  // meant for AWS accounts.
  const args = [
    'export',
    '--rate-limit-list',
    '200',
    '--rate-limit-history',
    '200',
    '--rate-limit-get-execution',
    '200',
    '--function',
    'orders',
    '--function',
    'payments',
    '--out',
    `s3://${BUCKET}/${PREFIX}`,
  ];
  console.log(`\n$ durable-export ${args.join(' ')}`);
  const code = await run(process.execPath, [cli, ...args], env);
  if (code !== 0) throw new Error(`durable-export export exited with ${code}`);

  const lake = join(work, 'lake');
  const s3Client = s3.client();
  const files = await downloadLake(s3Client, BUCKET, PREFIX, lake);
  s3Client.destroy();
  console.log(
    `\nread back ${files.filter((k) => k.endsWith('.parquet')).length} Parquet files from s3://${BUCKET}/${PREFIX}/ with DuckDB:\n`,
  );
  await printDemoQueries(lake);
} finally {
  for (const cleanup of cleanups) await cleanup().catch((e: unknown) => console.error('cleanup failed:', e));
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}
