import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COOKBOOK } from '../src/athena/cookbook.js';
import { placeholdersOf } from '../src/athena/cookbook-params.js';
import { exportSyntheticLake } from './support/export-synthetic-lake.js';
import { runCli } from './support/run-cli.js';

type Row = Record<string, unknown>;

describe('cookbook query parameters', () => {
  it('declare exactly the {{placeholders}} of their query, each with a default, type and description', () => {
    for (const query of COOKBOOK) {
      expect(query.params.map((p) => p.name).sort(), query.id).toEqual(placeholdersOf(query.template).sort());
      for (const param of query.params) {
        expect(param.name, query.id).toMatch(/^[a-z_]+$/);
        expect(param.description.length, `${query.id} ${param.name}`).toBeGreaterThan(5);
      }
      // The doc's SQL (what Athena users paste) holds the defaults, no placeholder.
      expect(query.sql, query.id).not.toContain('{{');
    }
    expect(COOKBOOK.flatMap((q) => q.params).length).toBeGreaterThanOrEqual(4);
  });
});

/** `durable-export query --cookbook ID --param name=value` as a user runs it (the built CLI). */
describe('durable-export query --cookbook ID --param name=value', () => {
  let work: string;
  let lake: string;

  const query = async (args: string[]): Promise<Row[]> => {
    const result = await runCli(['query', '--out', lake, '--format', 'json', ...args]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as Row[];
  };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'cookbook-params-'));
    lake = join(work, 'lake');
    await exportSyntheticLake(lake, { count: 60, seed: 42 });
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('substitutes the values given and keeps the defaults of the others', async () => {
    // Every synthetic execution runs version 1: the default (1) finds the failed ones, 2 none.
    const failed = await query(['--cookbook', 'failures-since-version']);
    expect(failed.length).toBeGreaterThan(0);
    expect(await query(['--cookbook', 'failures-since-version', '--param', 'version=1'])).toEqual(failed);
    expect(await query(['--cookbook', 'failures-since-version', '--param', 'version=2'])).toEqual([]);

    expect(await query(['--cookbook', 'slowest-execution-path'])).toHaveLength(5);
    expect(await query(['--cookbook', 'slowest-execution-path', '--param', 'limit=2'])).toHaveLength(2);

    const days = await query(['--cookbook', 'executions-per-day']);
    const day = days[1]?.dt as string;
    const one = await query([
      '--cookbook',
      'executions-per-day',
      '--param',
      `from=${day}`,
      '--param',
      `to=${day}`,
    ]);
    expect(one).toEqual(days.filter((r) => r.dt === day));
    expect(one.length).toBeLessThan(days.length);
  });

  it.each([
    [
      ['--param', 'nope=1'],
      /cookbook query failures-since-version has no parameter "nope": it takes version/,
    ],
    [['--param', 'version=abc'], /--param version=abc: version .* is a whole number, 0 or more, not "abc"/],
    [['--param', 'version=1 OR 1=1'], /is a whole number, 0 or more, not "1 OR 1=1"/],
    [['--param', 'version=-1'], /is a whole number, 0 or more/],
    [['--param', 'version'], /--param version: expected NAME=VALUE/],
    [['--param', 'version=1', '--param', 'version=2'], /--param version is given twice/],
  ])('refuses %j for failures-since-version with a usage error, exit 2', async (args, message) => {
    const result = await runCli(['query', '--out', lake, '--cookbook', 'failures-since-version', ...args]);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(2);
  });

  it('refuses a day that is not one, a quote, parameters of a query without any, and --param with SQL', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['--cookbook', 'executions-per-day', '--param', 'from=2026-02-30'],
        /from of cookbook query executions-per-day is a day YYYY-MM-DD, not "2026-02-30"/,
      ],
      [
        ['--cookbook', 'executions-per-day', '--param', "to=2026-01-01' OR '1'='1"],
        /is a day YYYY-MM-DD, not "2026-01-01' OR '1'='1"/,
      ],
      [
        ['--cookbook', 'error-types-ranked', '--param', 'limit=3'],
        /has no parameter "limit": it takes no parameters/,
      ],
      [['SELECT 1', '--param', 'version=3'], /--param sets a parameter of a --cookbook query/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(['query', '--out', lake, ...args]);
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.code, args.join(' ')).toBe(2);
    }
  });

  it('lists each parameter with its default under its query in --help', async () => {
    const help = (await runCli(['query', '--help'])).stdout;
    expect(help).toMatch(
      /^ {2}failures-since-version +Executions that failed.*\n +--param version=1 {2}\(integer\) the first function version counted$/m,
    );
    expect(help).toMatch(/^ +--param to=2026-12-31 {2}\(date\) the last day, included$/m);
  });
});
