import { describe, expect, it } from 'vitest';
import { COOKBOOK } from '../src/athena/cookbook.js';
import { parseLakeQueryScope, parseQueryScope, type QueryScope } from '../src/query/query-scope.js';

const TABLES = ['operations', 'executions'];
const DAYS = ['2025-12-31', '2026-01-01', '2026-01-02', '2026-06-01', 'not-a-day'];

/** `table: day,day` per table the query reads, `table: all` for a whole table. */
async function scopeOf(sql: string): Promise<Record<string, string>> {
  return described(await parseQueryScope(sql, TABLES));
}

/** The same over the whole lake, latest views included (what `query` fetches). */
async function lakeScopeOf(sql: string): Promise<Record<string, string>> {
  return described(await parseLakeQueryScope(sql));
}

function described(scope: QueryScope): Record<string, string> {
  return Object.fromEntries(
    [...scope].map(([table, filter]) => [table, filter === 'all' ? 'all' : DAYS.filter(filter).join(',')]),
  );
}

/**
 * Which tables and `dt` partitions a query reads (`query-scope.ts`), from DuckDB's parse tree:
 * pruned only for the WHERE forms it understands, whole otherwise (never fewer rows).
 */
describe('the files a query reads', () => {
  it.each([
    ["SELECT * FROM operations WHERE dt = '2026-01-01'", { operations: '2026-01-01,not-a-day' }],
    [
      "SELECT * FROM operations WHERE dt IN ('2026-01-01', '2026-06-01')",
      { operations: '2026-01-01,2026-06-01,not-a-day' },
    ],
    [
      "SELECT * FROM executions WHERE dt BETWEEN '2026-01-01' AND '2026-01-02'",
      { executions: '2026-01-01,2026-01-02,not-a-day' },
    ],
    [
      "SELECT * FROM executions WHERE status = 'x' AND dt >= DATE '2026-01-02'",
      { executions: '2026-01-02,2026-06-01,not-a-day' },
    ],
    ["SELECT * FROM executions WHERE '2026-01-01' > dt", { executions: '2025-12-31,not-a-day' }],
    ["SELECT * FROM executions e WHERE e.dt < '2026-01-01'", { executions: '2025-12-31,not-a-day' }],
    [
      "SELECT * FROM operations o JOIN executions e ON o.execution_arn = e.execution_arn AND o.dt = e.dt WHERE o.dt = '2026-01-01' AND e.dt = '2026-01-02'",
      { operations: '2026-01-01,not-a-day', executions: '2026-01-02,not-a-day' },
    ],
    [
      "SELECT count(*) AS executions FROM operations WHERE dt = '2026-01-01'",
      { operations: '2026-01-01,not-a-day', executions: '' },
    ],
    ['SELECT 1', {}],
  ])('%s', async (sql, expected) => {
    expect(await scopeOf(sql)).toEqual(expected);
  });

  it.each([
    "SELECT * FROM operations WHERE dt = '2026-01-01' OR status = 'x'",
    "SELECT * FROM operations WHERE dt = '2026-01-01' UNION ALL SELECT * FROM operations",
    "SELECT * FROM operations WHERE dt = '2026-1-1'",
    "SELECT * FROM operations WHERE dt = concat('2026-01-', '01')",
    "SELECT * FROM operations o JOIN operations p USING (execution_arn, dt) WHERE dt = '2026-01-01'",
    "SELECT * FROM operations o ASOF JOIN operations p ON o.end_time >= p.end_time WHERE o.dt = '2026-01-01' AND p.dt = '2026-01-01'",
    "WITH operations AS (SELECT * FROM query_table('operations')) SELECT * FROM operations WHERE dt = '2026-01-01'",
    "SELECT * FROM query_table('operations') WHERE dt = '2026-01-01'",
    'DESCRIBE operations',
    'SELEC * FROM operations',
  ])('reads every partition of the table for %s', async (sql) => {
    expect(await scopeOf(sql)).toEqual({ operations: 'all' });
  });

  it('parses every cookbook query, and prunes the one with a day range', async () => {
    for (const query of COOKBOOK) {
      const scope = await lakeScopeOf(query.sql);
      expect(Object.keys(scope).length, query.id).toBeGreaterThan(0);
    }
    expect(
      await lakeScopeOf((COOKBOOK.find((q) => q.id === 'executions-per-day') as { sql: string }).sql),
    ).toEqual({
      executions: '2026-01-01,2026-01-02,2026-06-01,not-a-day',
    });
  });

  it('reads a latest view from its table, with the same dt pruning', async () => {
    expect(
      await lakeScopeOf(
        "SELECT count(*) FROM operations_latest o JOIN executions e ON o.execution_arn = e.execution_arn WHERE o.dt = '2026-01-02' AND e.dt = '2026-01-02'",
      ),
    ).toEqual({ operations: '2026-01-02,not-a-day', executions: '2026-01-02,not-a-day' });
    expect(await lakeScopeOf('SELECT * FROM operations_latest UNION ALL SELECT * FROM operations')).toEqual({
      operations: 'all',
    });
  });
});
