import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PartialConfig } from '../src/config/config-schema.js';
import { loadConfig } from '../src/config/load-config.js';
import { runExportJob } from '../src/export-job.js';
import type { LocalServiceOptions } from '../src/local/service/local-service.js';
import {
  generateSyntheticExecutions,
  type SyntheticExecution,
} from '../src/local/synthetic/generate-executions.js';
import type { ExportSummary } from '../src/pipeline/run-export.js';
import { type LakeTable, readLakeTable } from './support/lake-reader.js';
import { rateLimitsAll } from './support/rate-limits.js';
import {
  byOperationKey,
  expectedPrunedContexts,
  manifestLine,
  replayVisible,
} from './support/replay-truth.js';
import { type StateFaultProxy, startStateFaultProxy } from './support/state-fault-proxy.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

/**
 * Per-execution outcomes of the state source, through the real parts: a superseded token, an expired
 * marker, a KMS error and malformed manifest lines each end that one execution or line with the
 * documented outcome, while every good execution of the same run is exported completely.
 */
const arnOf = (e: SyntheticExecution) => e.execution.DurableExecutionArn as string;
const viewSize = (e: SyntheticExecution) => replayVisible(e.expectedOperations).length;

interface Run {
  summary: ExportSummary;
  operations: LakeTable;
  manifest: string;
}

async function stateExport(
  work: string,
  name: string,
  lines: string[],
  endpoint: string,
  lambda: PartialConfig['lambda'],
): Promise<Run> {
  const manifest = join(work, `${name}.jsonl`);
  await writeFile(manifest, `${lines.join('\n')}\n`);
  const out = join(work, name);
  const config = await loadConfig({
    flags: {
      lambda: { rateLimits: rateLimitsAll(1000), maxConcurrent: 8, executionsInFlight: 4, ...lambda },
      export: { source: 'state', manifest, out },
    },
  });
  const summary = await runExportJob(config, { endpointUrlLambda: endpoint });
  return { summary, operations: await readLakeTable(out, 'operations'), manifest };
}

/** Every good execution has exactly its replay view's rows: none missing, none doubled. */
function expectExactRows(run: Run, good: SyntheticExecution[]): void {
  const rows = byOperationKey(run.operations.rows);
  expect(rows.size).toBe(good.reduce((n, e) => n + viewSize(e), 0));
  expect(run.summary.operations).toBe(rows.size);
  for (const e of good) {
    const ids = replayVisible(e.expectedOperations).map((op) => `${arnOf(e)}|${op.Id}`);
    for (const id of ids) expect(rows.has(id), id).toBe(true);
  }
}

describe('state source outcomes per execution', () => {
  const servers = useTestServers('state-outcomes-');
  let proxy: StateFaultProxy;
  const start = (options: LocalServiceOptions) => servers.localService(options);

  beforeAll(async () => {
    Object.assign(process.env, LOCAL_AWS_ENV);
  });

  describe('a mixed run: superseded token, expired marker, KMS error, malformed lines', () => {
    const data = generateSyntheticExecutions({ count: 16, seed: 23, functionNames: ['orders'] });
    // The execution whose marker expires needs more than one page of 4.
    const slow = data.find((e) => viewSize(e) > 8) as SyntheticExecution;
    const superseded = data.find((e) => e !== slow) as SyntheticExecution;
    const kms = data.find((e) => e !== slow && e !== superseded) as SyntheticExecution;
    const good = data.filter((e) => e !== superseded && e !== kms);
    let run: Run;
    const badLines = new Map<number, RegExp>();

    beforeAll(async () => {
      const service = await start({ executions: data, markerTtlMs: 2000 });
      proxy = servers.own(
        await startStateFaultProxy({
          upstream: service.url,
          // Held 2.6 s, the marker (2 s lifetime) has expired when the service reads it; every other
          // marker is used within milliseconds.
          slowMarker: { executionArn: arnOf(slow), delayMs: 2600 },
          kmsDenied: [arnOf(kms)],
        }),
      );
      const lines = data.map((e) => manifestLine(arnOf(e), service.checkpointToken(arnOf(e))));
      service.advanceToken(arnOf(superseded)); // a checkpoint after the manifest was written
      const bad: [string, RegExp][] = [
        ['{"durableExecutionArn": "arn:aws:lambda:us-east-1:1', /not valid JSON/],
        [JSON.stringify({ durableExecutionArn: arnOf(slow) }), /missing "checkpointToken"/],
        [
          manifestLine('arn:aws:lambda:us-east-1:123456789012:function:orders/durable-execution/x/y', 'QUJD'),
          /malformed durableExecutionArn/,
        ],
        [manifestLine(arnOf(slow), 'not a token!'), /malformed checkpointToken/],
        ['[1, 2]', /expected a JSON object/],
        [lines[2] as string, /already listed on line/],
      ];
      // Good lines with a bad one after every second; line 2 is blank (skipped silently).
      const manifest: string[] = [];
      lines.forEach((line, i) => {
        manifest.push(line);
        if (i === 0) manifest.push('');
        const b = bad[Math.floor(i / 2)];
        if (i % 2 === 1 && b) {
          manifest.push(b[0]);
          badLines.set(manifest.length, b[1]);
        }
      });
      const repeat = manifest.lastIndexOf(lines[2] as string) + 1;
      badLines.set(repeat, new RegExp(`already listed on line ${manifest.indexOf(lines[2] as string) + 1}$`));
      run = await stateExport(servers.work, 'mixed', manifest, proxy.url, {
        pageSize: 4,
        maxAttempts: 3,
        markerRestartLimit: 2,
      });
    });

    it('exports every good execution completely, the re-read one without doubled rows', () => {
      expect(run.summary.executionsExported).toBe(good.length);
      expectExactRows(run, good);
      expect(proxy.slowed()).toBe(true);
      expect(run.summary.restarts).toBe(1);
      const slowRows = run.operations.rows.filter((r) => r.execution_arn === arnOf(slow));
      expect(slowRows).toHaveLength(viewSize(slow));
    });

    it('fails the superseded token and the KMS error, each with a clear reason', () => {
      expect(run.summary.executionsFailed).toBe(2);
      const reason = (arn: string) => run.summary.failures.find((f) => f.subject === arn)?.message ?? '';
      expect(reason(arnOf(superseded))).toMatch(
        /^reading state of .* failed on GetDurableExecutionState page 1: checkpoint token rejected: it is invalid or was superseded by a later checkpoint .*Invalid checkpoint token/,
      );
      expect(reason(arnOf(kms))).toMatch(/permanent KMS error KMSAccessDeniedException/);
      // The SDK's attempts at most (not retried further by the exporter).
      expect(proxy.kmsAnswers.get(arnOf(kms))).toBeLessThanOrEqual(3);
    });

    it('reports every malformed line by number and skips it; a blank line is no error', () => {
      expect(run.summary.inputLinesSkipped).toBe(badLines.size);
      for (const [line, re] of badLines) {
        const failure = run.summary.failures.find((f) => f.subject === `${run.manifest}:${line}`);
        expect(failure?.message, `line ${line}`).toMatch(re);
        expect(failure?.message).toMatch(new RegExp(`^line ${line} of .* skipped: `));
      }
      expect(run.summary.failures).toHaveLength(badLines.size + 2);
    });

    it('counts pruned contexts of the exported executions only', () => {
      const expected = good.reduce((n, e) => n + expectedPrunedContexts(e.expectedOperations).length, 0);
      expect(run.summary.contextsPruned).toBe(expected);
    });
  });

  describe('a throttling storm', () => {
    const data = generateSyntheticExecutions({ count: 12, seed: 31, functionNames: ['orders'] });
    const superseded = data[5] as SyntheticExecution;
    let run: Run;

    beforeAll(async () => {
      const service = await start({
        executions: data,
        throttle: { probability: 0.3, seed: 9, retryAfterSeconds: 0 },
      });
      const lines = data.map((e) => manifestLine(arnOf(e), service.checkpointToken(arnOf(e))));
      service.advanceToken(arnOf(superseded));
      lines.push('not json');
      run = await stateExport(servers.work, 'storm', lines, service.url, { pageSize: 5, maxAttempts: 10 });
    });

    it('retries throttled requests through the shared limiter and loses no page', () => {
      expect(run.summary.requests.throttled).toBeGreaterThan(5);
      expect(run.summary.executionsExported).toBe(data.length - 1);
      expectExactRows(
        run,
        data.filter((e) => e !== superseded),
      );
      expect(run.summary.executionsFailed).toBe(1);
      expect(run.summary.inputLinesSkipped).toBe(1);
      expect(run.summary.failures.map((f) => f.subject).sort()).toEqual(
        [arnOf(superseded), `${run.manifest}:${data.length + 1}`].sort(),
      );
    });
  });
});
