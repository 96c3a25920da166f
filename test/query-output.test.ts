import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COOKBOOK } from '../src/athena/cookbook.js';
import { type RunningCli, runCli, startCli } from './support/run-cli.js';

/** CLIs started by `firstLines`, stopped after each test also when it timed out. */
const running = new Set<RunningCli>();

/**
 * What `durable-export query` prints, as a user sees it (the built CLI in a child process): cut
 * table cells, output that streams row by row, ISO 8601 timestamps in JSON, LF in CSV, and the
 * cookbook in its help. The lake is an empty directory: these queries read no table.
 */
describe('durable-export query output (child process)', () => {
  let lake: string;

  beforeAll(async () => {
    lake = await mkdtemp(join(tmpdir(), 'query-output-'));
  });
  afterAll(async () => {
    await rm(lake, { recursive: true, force: true });
  });
  afterEach(async () => {
    for (const cli of running) cli.child.kill();
    await Promise.allSettled([...running].map((cli) => cli.done));
    running.clear();
  });

  it('cuts wide table cells at 60 characters, and shows them whole with --full-width', async () => {
    const sql = "SELECT 7 AS n, repeat('x', 100) AS wide";
    const cut = await runCli(['query', '--out', lake, sql]);
    expect(cut.code).toBe(0);
    expect(cut.stdout.split('\n')).toEqual([
      `n  wide${' '.repeat(56)}`.trimEnd(),
      `-  ${'-'.repeat(60)}`,
      `7  ${'x'.repeat(59)}…`,
      '(1 row)',
      '',
    ]);
    const whole = await runCli(['query', '--out', lake, sql, '--full-width']);
    expect(whole.stdout.split('\n')[2]).toBe(`7  ${'x'.repeat(100)}`);
    // CSV and JSON are for tools: never cut.
    const csv = await runCli(['query', '--out', lake, sql, '--format', 'csv']);
    expect(csv.stdout).toBe(`n,wide\n7,${'x'.repeat(100)}\n`);
  });

  // A result without end: the CLI can only print its first rows if it streams them as DuckDB
  // produces them (holding the whole result, it would never print, only grow: the short timeout
  // stops such a CLI before it takes gigabytes). The test reads the first rows, then stops the CLI.
  it.each([
    ['csv', ['i,wide', `0,${'x'.repeat(100)}`, `1,${'x'.repeat(100)}`]],
    ['json', ['[', `  {"i":0,"wide":"${'x'.repeat(100)}"},`, `  {"i":1,"wide":"${'x'.repeat(100)}"},`]],
    // The table lays out its columns from the first 1000 rows: i is 3 digits wide.
    ['table', ['  i  wide', `---  ${'-'.repeat(60)}`, `  0  ${'x'.repeat(59)}…`]],
  ])(
    'streams %s output row by row, whatever the result size',
    async (format, expected) => {
      const sql = "SELECT i, repeat('x', 100) AS wide FROM range(10000000000) t(i)";
      const lines = await firstLines(['query', '--out', lake, sql, '--format', format], 3);
      expect(lines).toEqual(expected);
    },
    15_000,
  );

  it('prints timestamps in JSON as ISO 8601 UTC, dates as dates', async () => {
    const sql =
      "SELECT TIMESTAMPTZ '2026-01-01 04:04:56.2+00' AS at, DATE '2026-01-01' AS day, [TIMESTAMPTZ '2026-01-01 00:00:00+00'] AS list";
    const json = await runCli(['query', '--out', lake, sql, '--format', 'json']);
    expect(json.code).toBe(0);
    expect(json.stdout).toBe(
      '[\n  {"at":"2026-01-01T04:04:56.200Z","day":"2026-01-01","list":["2026-01-01T00:00:00.000Z"]}\n]\n',
    );
  });

  it('ends CSV lines with LF, also inside quoted fields', async () => {
    const csv = await runCli([
      'query',
      '--out',
      lake,
      "SELECT 'a' || chr(10) || 'b' AS t",
      '--format',
      'csv',
    ]);
    expect(csv.stdout).toBe('t\n"a\nb"\n');
    expect(csv.stdout).not.toContain('\r');
  });

  it('lists every cookbook query in its help, one line each', async () => {
    const help = await runCli(['query', '--help']);
    const lines = help.stdout.split('\n');
    for (const query of COOKBOOK) {
      const listed = lines.filter((l) => l.startsWith(`  ${query.id} `) && l.endsWith(`  ${query.title}`));
      expect(listed, query.id).toHaveLength(1);
    }
  });
});

/** The first `count` lines the CLI prints (the CLI is stopped after the test); fails if it ends before. */
async function firstLines(args: string[], count: number): Promise<string[]> {
  const cli = startCli(args);
  running.add(cli);
  let seen = '';
  return new Promise<string[]>((resolve, reject) => {
    cli.child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const lines = seen.split('\n');
      if (lines.length > count) resolve(lines.slice(0, count));
    });
    cli.done.then(
      (result) =>
        reject(new Error(`the CLI ended (${result.code}) after ${seen.length} characters: ${result.stderr}`)),
      reject,
    );
  });
}
