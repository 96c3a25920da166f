import { type ColumnSpec, type TableSpec, withColumnsAppended } from './column.js';

/**
 * The origin columns every lake table ends with (schema version 4): the AWS account and Region the
 * row's durable execution ran in, so one lake can hold a whole fleet, one table per kind. Both come
 * from the execution ARN (`arn:PARTITION:lambda:REGION:ACCOUNT:function:...`, parsed by
 * src/aws/lambda-arn.ts), filled in one place (src/transform/origin.ts).
 *
 * Every new row has them (REQUIRED in new files). Files written before schema version 4 lack them:
 * readers see NULL there, and `compact` fills them from `execution_arn` as it rewrites such rows.
 */
export const ORIGIN_COLUMNS = [
  {
    name: 'account_id',
    type: 'string',
    required: true,
    description:
      'AWS account (12 digits) of the durable execution, from its ARN; NULL in files written before schema version 4.',
  },
  {
    name: 'region',
    type: 'string',
    required: true,
    description:
      'AWS Region of the durable execution, e.g. eu-west-1, from its ARN; NULL in files written before schema version 4.',
  },
] as const satisfies readonly ColumnSpec[];

/** `table` with the origin columns appended after its own (and its provenance columns). */
export function withOriginColumns<const Name extends string, const Cols extends readonly ColumnSpec[]>(
  table: TableSpec<Cols, Name>,
): TableSpec<readonly [...Cols, ...typeof ORIGIN_COLUMNS], Name> {
  return withColumnsAppended(table, ORIGIN_COLUMNS);
}
