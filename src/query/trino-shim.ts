/**
 * The dialect shim that lets Athena (Trino) SQL run unchanged in DuckDB: one DuckDB macro per Trino
 * function DuckDB lacks or spells differently. Macros, not string rewriting, so a query is run as
 * written and the shim cannot mangle string literals or comments. docs/QUERIES.md lists these.
 *
 * Everything else the cookbook uses is common to both engines: count_if, max_by, arbitrary,
 * coalesce, nullif, try_cast, round, date_trunc, current_timestamp, 6 * INTERVAL '1' HOUR, WITH RECURSIVE.
 */

export interface ShimMacro {
  /** The Trino call the macro provides, as written in a query. */
  readonly trino: string;
  /** The DuckDB statement that defines it. */
  readonly macro: string;
  /** What differs from Athena, if anything. */
  readonly note: string;
  /** A query using the macro, and its result as text (tests run it; the doc shows it). */
  readonly example: string;
  readonly result: string;
}

export const TRINO_SHIM: readonly ShimMacro[] = [
  {
    trino: 'approx_percentile(x, p)',
    macro: 'CREATE MACRO approx_percentile(x, p) AS quantile_disc(x, p)',
    note: 'exact in DuckDB (the nearest-rank value, of the column type); Athena returns an approximation of it',
    example: 'SELECT approx_percentile(x, 0.95) FROM range(10) t(x)',
    result: '9',
  },
  {
    trino: 'approx_distinct(x)',
    macro: 'CREATE MACRO approx_distinct(x) AS approx_count_distinct(x)',
    note: 'both approximate (HyperLogLog)',
    example: 'SELECT approx_distinct(x % 3) FROM range(30) t(x)',
    result: '3',
  },
  {
    trino: 'date_diff(unit, a, b)',
    macro: 'CREATE MACRO date_diff(unit, a, b) AS date_sub(unit, a, b)',
    note: "whole units elapsed, as in Trino; DuckDB's own date_diff counts unit boundaries crossed",
    example:
      "SELECT date_diff('hour', TIMESTAMPTZ '2026-01-01 00:59:00+00', TIMESTAMPTZ '2026-01-01 01:01:00+00')",
    result: '0',
  },
  {
    trino: 'from_iso8601_timestamp(s)',
    macro: 'CREATE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)',
    note: '',
    example: "SELECT from_iso8601_timestamp('2026-01-02T03:04:05.678Z')",
    result: '2026-01-02 03:04:05.678+00',
  },
  {
    trino: 'to_unixtime(t)',
    macro: 'CREATE MACRO to_unixtime(t) AS epoch(t)',
    note: 'seconds as a DOUBLE in both',
    example: "SELECT to_unixtime(TIMESTAMPTZ '2026-01-01 00:00:00.5+00')",
    result: '1767225600.5',
  },
  {
    trino: 'from_unixtime(x)',
    macro: 'CREATE MACRO from_unixtime(x) AS to_timestamp(x)',
    note: '',
    example: 'SELECT from_unixtime(1767225600)',
    result: '2026-01-01 00:00:00+00',
  },
  {
    trino: 'day_of_week(t)',
    macro: 'CREATE MACRO day_of_week(t) AS isodow(t)',
    note: 'ISO: 1 = Monday … 7 = Sunday in both',
    example: "SELECT day_of_week(TIMESTAMPTZ '2026-01-04 12:00:00+00')",
    result: '7',
  },
  {
    trino: 'regexp_like(s, pattern)',
    macro: 'CREATE MACRO regexp_like(s, pattern) AS regexp_matches(s, pattern)',
    note: 'RE2 in both',
    example: "SELECT regexp_like('charge-card', '^charge')",
    result: 'true',
  },
  {
    trino: 'json_extract_scalar(json, path)',
    macro: 'CREATE MACRO json_extract_scalar(json, path) AS json_extract_string(json, path)',
    note: 'for JSON payload and error_data columns',
    example: 'SELECT json_extract_scalar(\'{"code":"E1","retryable":true}\', \'$.code\')',
    result: 'E1',
  },
  {
    trino: 'array_join(a, sep)',
    macro: 'CREATE MACRO array_join(a, sep) AS array_to_string(a, sep)',
    note: '',
    example: "SELECT array_join(['a', 'b'], ',')",
    result: 'a,b',
  },
];

/**
 * The session settings and macros, in order. The session time zone is UTC as in Athena, so
 * date_trunc('day', ...) and timestamp text agree with Athena's.
 */
export function shimStatements(): string[] {
  return ["SET TimeZone = 'UTC'", ...TRINO_SHIM.map((m) => m.macro)];
}
