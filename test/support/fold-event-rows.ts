/**
 * The way back from the `events` table to the `operations` table: the events rows of each execution,
 * read back from Parquet, folded by the source's own fold and made rows by the transform, for tests
 * that check the operations rows are derivable from the events rows.
 */
import { foldHistory } from '../../src/source/fold-history.js';
import { operationDepths } from '../../src/transform/operation-depth.js';
import { operationToRow } from '../../src/transform/operation-row.js';
import { eventOfRow } from './expected-event-rows.js';

type Row = Record<string, unknown>;

/** A row as plain values: `dt` dropped, BIGINT read back as bigint made a number. */
function plain(row: Row): Row {
  const { dt: _partition, ...columns } = row;
  return Object.fromEntries(
    Object.entries(columns).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]),
  );
}

/**
 * Folds each execution's `events` rows (read back from Parquet) with the source's own fold and
 * turns the operations into rows as the transform does; returns them keyed `ARN|OPERATION_ID`.
 */
export function operationsFromEvents(eventRows: Row[]): Map<string, Row> {
  const byArn = new Map<string, Row[]>();
  for (const row of eventRows)
    byArn.set(String(row.execution_arn), [...(byArn.get(String(row.execution_arn)) ?? []), row]);
  const out = new Map<string, Row>();
  for (const [arn, rows] of byArn) {
    rows.sort((a, b) => Number(a.event_id) - Number(b.event_id));
    const folded = foldHistory(rows.map(eventOfRow));
    const depths = operationDepths(folded.operations);
    for (const op of folded.operations) {
      const row = operationToRow(op, {
        executionArn: arn,
        functionName: String(rows[0]?.function_name),
        source: 'history',
        depth: depths.get(op.Id ?? '') ?? 0,
        payloadTruncated: folded.truncatedOperationIds.has(op.Id ?? ''),
        history: folded.operationFacts.get(op.Id ?? ''),
      });
      // The origin columns come with the events rows, as the export stamps every table's rows.
      const origin = { account_id: rows[0]?.account_id, region: rows[0]?.region };
      out.set(`${arn}|${op.Id}`, plain({ ...row, ...origin }));
    }
  }
  return out;
}

/** Differences between the lake's `operations` rows and those folded from its `events` rows. */
export function foldDifferences(operations: Row[], folded: Map<string, Row>): string[] {
  const differences: string[] = [];
  for (const row of operations.map(plain)) {
    const key = `${row.execution_arn}|${row.operation_id}`;
    const again = folded.get(key);
    folded.delete(key);
    if (!again) differences.push(`${key}: no operation folded from events`);
    else if (JSON.stringify(again) !== JSON.stringify(row)) {
      differences.push(`${key}: folded ${JSON.stringify(again)}, exported ${JSON.stringify(row)}`);
    }
  }
  for (const key of folded.keys()) differences.push(`${key}: folded from events, not exported`);
  return differences;
}
