import { DuckDBInstance } from '@duckdb/node-api';
import type { SyntheticExecution } from '../../src/local/synthetic/generate-executions.js';

/** How a lake's rows compare with the source: every count should be 0. */
export interface LakeDifference {
  /** (execution_arn, operation_id) of the source with no row. */
  missing: number;
  /** Pairs with more than one row (each extra row counted). */
  duplicates: number;
  /** Rows of no source operation. */
  unexpected: number;
  /** Executions with no, or more than one, row in the executions table. */
  executionsWrong: number;
  operationRows: number;
  executionRows: number;
}

/**
 * Compares a lake directory with the synthetic source, as a multiset of (execution_arn,
 * operation_id) rows read by DuckDB over every data file (`_`-prefixed paths are not matched).
 */
export async function compareLakeWithSource(
  dir: string,
  source: SyntheticExecution[],
): Promise<LakeDifference> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  const counts = async (table: string, columns: string): Promise<Map<string, number>> => {
    const glob = `${dir}/${table}/*/*.parquet`;
    const any = await db.runAndReadAll(`SELECT count(*) FROM glob('${glob}')`);
    if (Number(any.getRowsJS()[0]?.[0]) === 0) return new Map();
    const result = await db.runAndReadAll(
      `SELECT concat_ws('|', ${columns}) AS id, count(*) AS n FROM read_parquet('${glob}') GROUP BY ALL`,
    );
    return new Map(result.getRowsJS().map(([id, n]) => [String(id), Number(n)]));
  };
  try {
    const operations = await counts('operations', 'execution_arn, operation_id');
    const executions = await counts('executions', 'execution_arn');
    const expected = new Set(
      source.flatMap((e) => e.expectedOperations.map((op) => `${e.execution.DurableExecutionArn}|${op.Id}`)),
    );
    let missing = 0;
    let duplicates = 0;
    let unexpected = 0;
    for (const id of expected) if (!operations.has(id)) missing++;
    for (const [id, n] of operations) {
      if (!expected.has(id)) unexpected += n;
      else duplicates += n - 1;
    }
    let executionsWrong = 0;
    for (const e of source)
      if (executions.get(String(e.execution.DurableExecutionArn)) !== 1) executionsWrong++;
    executionsWrong += [...executions.keys()].filter(
      (arn) => !source.some((e) => e.execution.DurableExecutionArn === arn),
    ).length;
    const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    return {
      missing,
      duplicates,
      unexpected,
      executionsWrong,
      operationRows: sum(operations),
      executionRows: sum(executions),
    };
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

/** The difference a correct lake has. */
export function noDifference(source: SyntheticExecution[]): LakeDifference {
  const rows = source.reduce((n, e) => n + e.expectedOperations.length, 0);
  return {
    missing: 0,
    duplicates: 0,
    unexpected: 0,
    executionsWrong: 0,
    operationRows: rows,
    executionRows: source.length,
  };
}
