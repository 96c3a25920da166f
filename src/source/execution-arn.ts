import { parseExecutionArn } from '../aws/lambda-arn.js';
import { ExportError } from '../errors.js';

export const EXECUTION_ARN_FORM =
  'arn:aws:lambda:REGION:ACCOUNT:function:NAME:QUALIFIER/durable-execution/EXECUTION_NAME/ID';

/** True when `value` is a durable execution ARN as the API documents it (src/aws/lambda-arn.ts). */
export function isDurableExecutionArn(value: unknown): value is string {
  return typeof value === 'string' && parseExecutionArn(value) !== undefined;
}

/** The value quoted for a message: JSON-escaped (control characters cannot reach a terminal), at most 200 chars. */
export function quoted(value: string): string {
  return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}...` : value);
}

/**
 * @throws ExportError naming the value when `arn` (from a listing or a manifest) is not a durable
 * execution ARN; such an execution is reported failed without a request.
 */
export function assertDurableExecutionArn(arn: string, from: string): void {
  if (isDurableExecutionArn(arn)) return;
  throw new ExportError(
    `${quoted(arn)} is not a durable execution ARN (${EXECUTION_ARN_FORM}), as returned by ${from}; not read`,
    { stage: 'source', executionArn: arn },
  );
}
