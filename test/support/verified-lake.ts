import { expect } from 'vitest';
import { openLake } from '../../src/lake/open-lake.js';
import { queryLake } from '../../src/query/query-lake.js';
import { parseOutputLocation } from '../../src/sink/output-location.js';
import { verifyLake } from '../../src/verify/verify-lake.js';

/**
 * Asserts that the lake at `out` (on the local S3 at `endpointUrlS3`) passes `verify` and that its
 * `operations_latest` view holds `expectedOperations` rows, each (execution, operation) once.
 */
export async function expectVerifiedOnce(
  out: string,
  expectedOperations: number,
  endpointUrlS3: string,
): Promise<void> {
  const lake = openLake(parseOutputLocation(out), { endpointUrlS3 });
  try {
    const report = await verifyLake(lake, { duckdb: false });
    expect(report.problems).toEqual([]);
  } finally {
    lake.close();
  }
  const result = await queryLake(
    out,
    'SELECT count(*) AS n, count(DISTINCT (execution_arn, operation_id)) AS d FROM operations_latest',
    { endpointUrlS3 },
  );
  const [n, d] = result.rows[0] ?? [];
  expect([Number(n), Number(d)]).toEqual([expectedOperations, expectedOperations]);
}
