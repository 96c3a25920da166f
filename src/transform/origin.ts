import { parseExecutionArn } from '../aws/lambda-arn.js';
import { ExportError } from '../errors.js';

/** Where an execution ran: the values of the origin columns (src/schema/origin-columns.ts). */
export interface Origin {
  readonly account_id: string;
  readonly region: string;
}

/**
 * The account and Region of `executionArn`, the one rule for the origin columns: the export fills
 * new rows with it, `compact` the rows of files written before the columns existed.
 * @throws ExportError (stage transform, naming the ARN) when `executionArn` is not a durable execution ARN.
 */
export function originOf(executionArn: string): Origin {
  const place = parseExecutionArn(executionArn);
  if (!place) {
    throw new ExportError(`cannot tell the account and Region of ${JSON.stringify(executionArn)}`, {
      stage: 'transform',
      executionArn,
    });
  }
  return { account_id: place.accountId, region: place.region };
}
