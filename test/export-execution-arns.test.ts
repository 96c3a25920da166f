import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { loadConfig, runExportJob } from '../src/index.js';
import { LOCAL_S3_CREDENTIALS } from '../src/local/local-s3.js';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import { arnOf } from '../src/local/service/stored-execution.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { planExport } from '../src/pipeline/plan-export.js';
import { readLakeTable } from './support/lake-reader.js';
import { rateLimitsAll } from './support/rate-limits.js';
import { useTestServers } from './support/test-servers.js';

/** `export.executionArns` (`--execution-arn`): the history source reads exactly the named executions. */
describe('export of given execution ARNs', () => {
  const executions = generateSyntheticExecutions({ count: 12, seed: 141, functionNames: ['orders'] });
  const arns = executions.map(arnOf);
  const servers = useTestServers('execution-arns-');
  let service: RunningLocalService;
  beforeAll(async () => {
    service = await servers.localService({ executions });
  });

  const local = () => ({
    endpointUrlLambda: service.url,
    region: 'us-east-1',
    credentials: LOCAL_S3_CREDENTIALS,
  });

  async function exportArns(out: string, executionArns: string[]) {
    const config = await loadConfig({
      flags: { lambda: { rateLimits: rateLimitsAll(500) }, export: { executionArns, out } },
    });
    return runExportJob(config, local());
  }

  it('exports each named execution once, with the rows a listing export writes for it', async () => {
    const chosen = [arns[3], arns[0], arns[7], arns[3]] as string[];
    const out = join(servers.work, 'given');
    const summary = await exportArns(out, chosen);
    expect(summary).toMatchObject({ executionsListed: 3, executionsExported: 3, executionsFailed: 0 });
    expect(summary.requests.apis?.getExecution.requests).toBe(3);
    expect(summary.requests.apis?.list.requests).toBe(0);

    const listed = join(servers.work, 'listed');
    const all = await runExportJob(
      await loadConfig({
        flags: { lambda: { rateLimits: rateLimitsAll(500) }, export: { functions: ['orders'], out: listed } },
      }),
      local(),
    );
    expect(all.executionsExported).toBe(12);
    const key = (r: Record<string, unknown>) =>
      JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `${v}` : v));
    const given = (await readLakeTable(out, 'operations', { withoutProvenance: true })).rows.map(key).sort();
    const fromListing = (await readLakeTable(listed, 'operations', { withoutProvenance: true })).rows
      .filter((r) => chosen.includes(r.execution_arn as string))
      .map(key)
      .sort();
    expect(given).toEqual(fromListing);
  });

  it('fails an unknown execution alone, and the same set again is the same job: committed ones are skipped', async () => {
    const unknown = (arns[1] as string).replace(/[^/]+$/, 'no-such-execution');
    const out = join(servers.work, 'again');
    const first = await exportArns(out, [arns[2] as string, unknown]);
    expect(first).toMatchObject({ executionsExported: 1, executionsFailed: 1 });
    expect(first.failures.map((f) => f.executionArn)).toEqual([unknown]);
    const again = await exportArns(out, [unknown, arns[2] as string]);
    expect(again.commit?.jobId).toBe(first.commit?.jobId);
    expect(again).toMatchObject({ executionsSkipped: 1, executionsExported: 0, executionsFailed: 1 });
    const rows = (await readLakeTable(out, 'executions')).rows;
    expect(rows.map((r) => r.execution_arn)).toEqual([arns[2]]);
  });

  it('plans the named executions (--dry-run): a summary and a history page each', async () => {
    const config = await loadConfig({
      flags: { export: { executionArns: [arns[4] as string, arns[5] as string], out: servers.work } },
    });
    const plan = await planExport(config, local());
    expect(plan.executions.map((e) => e.arn).sort()).toEqual([arns[4], arns[5]].sort());
    expect(plan.apis.map((a) => [a.api, a.requests])).toEqual([
      ['getExecution', 2],
      ['history', 2],
    ]);
  });

  it('refuses the listing options and bad ARNs before any request', async () => {
    const requests = service.requestCount();
    const config = await loadConfig({
      flags: { export: { executionArns: [arns[0] as string], functions: ['orders'], out: servers.work } },
    });
    await expect(runExportJob(config, local())).rejects.toThrow(
      /--function cannot be combined with --execution-arn/,
    );
    await expect(
      loadConfig({ flags: { export: { executionArns: ['arn:aws:lambda:nope'], out: servers.work } } }),
    ).rejects.toThrow(ConfigError);
    expect(service.requestCount()).toBe(requests);
  });
});
