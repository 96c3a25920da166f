import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { readLakeTable } from './support/lake-reader.js';
import { problemLines } from './support/log-lines.js';
import { manifestLine, replayVisible } from './support/replay-truth.js';
import { runCli } from './support/run-cli.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

const AWS_ENV = LOCAL_AWS_ENV;

/** `durable-export export --source state --manifest FILE` as a child process (needs `npm run build`). */
describe('durable-export export --source state', () => {
  const servers = useTestServers('state-cli-');
  let service: RunningLocalService;
  const data = generateSyntheticExecutions({ count: 6, seed: 8, functionNames: ['orders'] });
  const arns = data.map((e) => e.execution.DurableExecutionArn as string);

  beforeAll(async () => {
    service = await servers.localService({ executions: data });
  });

  const exportState = (manifest: string, out: string, extra: string[] = []) =>
    runCli(
      [
        'export',
        '--source',
        'state',
        '--manifest',
        manifest,
        '--out',
        out,
        '--endpoint-url-lambda',
        service.url,
        ...extra,
      ],
      AWS_ENV,
    );

  it('exports the good lines, reports bad lines by number and exits 1', async () => {
    const manifest = join(servers.work, 'tokens.jsonl');
    const lines = arns.map((arn) => manifestLine(arn, service.checkpointToken(arn)));
    lines.splice(2, 0, '{"durableExecutionArn": oops}');
    lines.splice(5, 0, manifestLine(arns[0] as string, 'bad token!'));
    await writeFile(manifest, `${lines.join('\n')}\n`);
    const out = join(servers.work, 'lake');
    const summaryFile = join(servers.work, 'summary.json');
    const result = await exportState(manifest, out, ['--summary-json', summaryFile]);
    // Each skipped line is logged as a warning naming its line number, and nothing else is.
    expect(problemLines(result.stderr).map((l) => l.subject)).toEqual([`${manifest}:3`, `${manifest}:6`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('export finished with failures');
    expect(result.stdout).toMatch(/input lines skipped\s+2/);
    expect(result.stdout).toContain(`${manifest}:3: line 3 of ${manifest} skipped: not valid JSON`);
    expect(result.stdout).toContain(
      `${manifest}:6: line 6 of ${manifest} skipped: malformed checkpointToken`,
    );
    expect(result.stdout).toMatch(
      new RegExp(
        `replay view\\s+${data.length} executions exported from the replay view with \\d+ pruned contexts`,
      ),
    );
    const summary = JSON.parse(await readFile(summaryFile, 'utf8'));
    expect(summary).toMatchObject({ source: 'state', executionsExported: data.length, inputLinesSkipped: 2 });
    const operations = await readLakeTable(out, 'operations');
    expect(operations.rows).toHaveLength(
      data.reduce((n, e) => n + replayVisible(e.expectedOperations).length, 0),
    );
    expect(new Set(operations.rows.map((r) => r.source))).toEqual(new Set(['state']));
  });

  it('rejects options of the other source with a usage error, exit 2', async () => {
    const manifest = join(servers.work, 'one.jsonl');
    await writeFile(
      manifest,
      `${manifestLine(arns[0] as string, service.checkpointToken(arns[0] as string))}\n`,
    );
    const out = join(servers.work, 'usage');
    const cases: [string[], RegExp][] = [
      [['export', '--source', 'state', '--out', out], /no manifest: --source state needs --manifest FILE/],
      [
        ['export', '--source', 'state', '--manifest', manifest, '-f', 'orders', '--out', out],
        /--function applies only to --source history/,
      ],
      [['export', '--manifest', manifest, '--out', out], /--manifest applies only to --source state/],
      [['export', '--out', out], /no function to export/],
      [
        ['export', '--source', 'states', '--manifest', manifest, '--out', out],
        /--source.*states.*invalid|Allowed choices are history, state/,
      ],
      [
        ['export', '--source', 'state', '--manifest', join(servers.work, 'nope.jsonl'), '--out', out],
        /cannot read manifest .*nope\.jsonl/,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, AWS_ENV);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('exits 0 when every line is good and every execution exported', async () => {
    const manifest = join(servers.work, 'good.jsonl');
    await writeFile(
      manifest,
      arns.map((arn) => manifestLine(arn, service.checkpointToken(arn))).join('\r\n'),
    );
    const result = await exportState(manifest, join(servers.work, 'good'));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/state pages read\s+\d+/);
  });
});
