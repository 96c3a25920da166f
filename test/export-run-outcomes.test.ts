/**
 * What an export run tells its user, through the built CLI against the local service: counts that
 * add up (listed = exported + skipped + failed, + unfinished when interrupted) on a first run, a
 * re-run, a failed listing and a resume; `--dry-run` that plans with the job's state in the lake and
 * exits as the export would; SIGINT and SIGTERM that write the summary marked `interrupted` and
 * exit 130 and 143; `--summary-json` checked before anything is read, and `-` for standard output;
 * no `export started` log line before a usage error.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { logLines } from './support/log-lines.js';
import { rateLimitsEnv } from './support/rate-limits.js';
import { type CliResult, runCli, startCli } from './support/run-cli.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

const source = generateSyntheticExecutions({ count: 30, seed: 16, functionNames: ['orders', 'payments'] });
/** The local service sets the pace, not Lambda's quotas (15 listings and history pages a second). */
const FAST_ENV = { ...LOCAL_AWS_ENV, ...rateLimitsEnv(1000) };
const ofOrders = source.filter((e) => String(e.execution.FunctionArn).includes(':function:orders')).length;

/** The counts every summary carries, as `--summary-json` writes them. */
interface SummaryCounts {
  executionsListed: number;
  executionsExported: number;
  executionsSkipped: number;
  executionsFailed: number;
  executionsUnfinished: number;
  functionsFailed: number;
  interrupted: boolean;
  requests: { requests: number };
  failures: { subject: string; listing?: boolean; functionName?: string }[];
}

function expectCountsAddUp(s: SummaryCounts): void {
  expect(s.executionsListed).toBe(
    s.executionsExported + s.executionsSkipped + s.executionsFailed + s.executionsUnfinished,
  );
}

/** The printed summary's count lines (stdout, or stderr with `--summary-json -`). */
function printedCount(text: string, label: string): number | undefined {
  const match = text.match(new RegExp(`^ {2}${label} +(\\d+)`, 'm'));
  return match ? Number(match[1]) : undefined;
}

/** Executions the done records of a local lake's job state hold: what earlier runs committed. */
async function committedIn(lake: string): Promise<Set<string>> {
  const arns = new Set<string>();
  const state = join(lake, '_state');
  for (const job of await readdir(state)) {
    for (const name of await readdir(join(state, job))) {
      if (!name.endsWith('.done.json')) continue;
      const done = JSON.parse(await readFile(join(state, job, name), 'utf8'));
      for (const file of done.files) for (const arn of file.executions) arns.add(arn);
    }
  }
  return arns;
}

describe('an export run as its user sees it', () => {
  const servers = useTestServers('run-outcomes-');
  let service: RunningLocalService;

  beforeAll(async () => {
    service = await servers.localService({ executions: source });
  });

  const exportArgs = (out: string, ...more: string[]) => [
    'export',
    '-f',
    'orders',
    '-f',
    'payments',
    '--out',
    out,
    '--endpoint-url-lambda',
    service.url,
    ...more,
  ];
  const readSummary = async (file: string): Promise<SummaryCounts> =>
    JSON.parse(await readFile(file, 'utf8')) as SummaryCounts;

  it('a first run and a re-run: every execution listed, exported once, then skipped; --dry-run plans the re-run', async () => {
    const lake = join(servers.work, 'rerun');
    const first = await runCli(
      exportArgs(lake, '--summary-json', join(servers.work, 'first.json'), '--requests-per-second', '500'),
      FAST_ENV,
    );
    expect(first.code, first.stderr).toBe(0);
    const s1 = await readSummary(join(servers.work, 'first.json'));
    expect(s1).toMatchObject({ executionsListed: source.length, executionsExported: source.length });
    expectCountsAddUp(s1);
    expect(printedCount(first.stdout, 'executions listed')).toBe(source.length);

    // --dry-run reads the job's state: nothing to read again, only the two listings to make.
    const dry = await runCli(exportArgs(lake, '--dry-run', '--summary-json', '-'), FAST_ENV);
    expect(dry.code, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout);
    expect(plan).toMatchObject({ executions: [], executionsSkipped: source.length, functionsFailed: 0 });
    // With --summary-json -, the human report goes to stderr.
    expect(printedCount(dry.stderr, 'executions skipped')).toBe(source.length);

    // The re-run, its JSON summary on standard output.
    const again = await runCli(exportArgs(lake, '--summary-json', '-'), FAST_ENV);
    expect(again.code, again.stderr).toBe(0);
    const s2 = JSON.parse(again.stdout) as SummaryCounts;
    expect(s2).toMatchObject({
      executionsListed: source.length,
      executionsSkipped: source.length,
      executionsExported: 0,
      interrupted: false,
    });
    expectCountsAddUp(s2);
    expect(plan.estimatedRequests).toBe(s2.requests.requests);
    expect(again.stderr).toContain('durable-export: export complete');
    expect(printedCount(again.stderr, 'executions listed')).toBe(source.length);
    expect(printedCount(again.stderr, 'executions skipped')).toBe(source.length);
  });

  it('a failed function listing is counted on its own line, not as a failed execution', async () => {
    const summaryFile = join(servers.work, 'listing.json');
    const result = await runCli(
      [
        'export',
        '-f',
        'orders',
        '-f',
        'nope',
        '--out',
        join(servers.work, 'listing'),
        '--endpoint-url-lambda',
        service.url,
        '--summary-json',
        summaryFile,
        '--requests-per-second',
        '500',
      ],
      FAST_ENV,
    );
    expect(result.code).toBe(1);
    const s = await readSummary(summaryFile);
    expect(s).toMatchObject({
      executionsListed: ofOrders,
      executionsExported: ofOrders,
      executionsFailed: 0,
      functionsFailed: 1,
    });
    expectCountsAddUp(s);
    expect(s.failures).toEqual([
      expect.objectContaining({ subject: 'nope', functionName: 'nope', listing: true }),
    ]);
    expect(printedCount(result.stdout, 'executions failed')).toBe(0);
    expect(printedCount(result.stdout, 'functions failed')).toBe(1);
  });

  it('--dry-run exits as the export would: 3 when every listing fails, 1 when one of two does', async () => {
    const only = ['-f', 'nope', '--out', join(servers.work, 'none'), '--endpoint-url-lambda', service.url];
    const run = await runCli(['export', ...only], FAST_ENV);
    const dry = await runCli(['export', ...only, '--dry-run'], FAST_ENV);
    expect([run.code, dry.code]).toEqual([3, 3]);
    expect(printedCount(dry.stdout, 'functions failed')).toBe(1);
    const oneOfTwo = await runCli(
      ['export', '-f', 'orders', ...only, '--dry-run', '--summary-json', '-'],
      FAST_ENV,
    );
    expect(oneOfTwo.code).toBe(1);
    expect(JSON.parse(oneOfTwo.stdout)).toMatchObject({ functionsFailed: 1, executionsSkipped: 0 });
  });

  /**
   * Starts a slow export, waits until it has committed its first batch, then sends `signal`.
   * Batches of 3 executions at 8 requests/s: the run has seconds left when the signal comes.
   */
  async function interruptedRun(lake: string, summaryFile: string, signal: NodeJS.Signals) {
    const run = startCli(exportArgs(lake, '--summary-json', summaryFile, '--requests-per-second', '8'), {
      ...LOCAL_AWS_ENV,
      DURABLE_EXPORT_SINK_BATCH_EXECUTIONS: '3',
    });
    let ended = false;
    void run.done.then(() => {
      ended = true;
    });
    while (!ended && (!existsSync(join(lake, '_state')) || (await committedIn(lake)).size === 0)) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    run.child.kill(signal);
    return run.done;
  }

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)(
    '%s: the summary is printed and written, marked interrupted; exit %i; the resume counts each execution once',
    async (signal, code) => {
      const lake = join(servers.work, `interrupted-${signal}`);
      const summaryFile = join(servers.work, `interrupted-${signal}.json`);
      const stopped: CliResult = await interruptedRun(lake, summaryFile, signal);
      expect(stopped.code, stopped.stderr).toBe(code);
      expect(stopped.stdout).toContain('durable-export: export interrupted');
      const s = await readSummary(summaryFile);
      expect(s.interrupted).toBe(true);
      expectCountsAddUp(s);
      expect(logLines(stopped.stderr).map((l) => l.message)).toEqual([
        'export started',
        'export interrupted',
      ]);

      const committed = await committedIn(lake);
      expect(committed.size).toBeGreaterThan(0);
      expect(committed.size).toBeLessThan(source.length);

      // --dry-run leaves out what the stopped run committed, as the resume does.
      const dry = await runCli(exportArgs(lake, '--dry-run', '--summary-json', '-'), FAST_ENV);
      const plan = JSON.parse(dry.stdout);
      expect(plan.executionsSkipped).toBe(committed.size);
      expect(plan.executions).toHaveLength(source.length - committed.size);

      const resumeFile = join(servers.work, `resumed-${signal}.json`);
      const resumed = await runCli(
        exportArgs(lake, '--summary-json', resumeFile, '--requests-per-second', '500'),
        FAST_ENV,
      );
      expect(resumed.code, resumed.stderr).toBe(0);
      const r = await readSummary(resumeFile);
      expect(r).toMatchObject({
        executionsListed: source.length,
        executionsSkipped: committed.size,
        executionsExported: source.length - committed.size,
        interrupted: false,
      });
      expectCountsAddUp(r);
    },
  );

  it('--summary-json into a directory that does not exist: exit 2 before anything is read or written', async () => {
    const lake = join(servers.work, 'never');
    const file = join(servers.work, 'no-such-dir', 'summary.json');
    const requestsBefore = service.requestCount();
    const result = await runCli(exportArgs(lake, '--summary-json', file), FAST_ENV);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--summary-json ${file}: the directory ${dirname(file)} does not exist`);
    expect(service.requestCount()).toBe(requestsBefore);
    expect(existsSync(lake)).toBe(false);
  });

  it('a usage error prints no "export started" line', async () => {
    const cases = [
      ['export', '--out', join(servers.work, 'x')],
      [...exportArgs(join(servers.work, 'y')), '--kms-key-id', 'alias/lake'],
    ];
    for (const args of cases) {
      const result = await runCli(args, FAST_ENV);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).not.toContain('export started');
    }
  });
});
