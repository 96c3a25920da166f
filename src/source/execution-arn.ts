import { ExportError } from '../errors.js';

/**
 * A durable execution ARN as the API documents it,
 * `arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME:QUALIFIER/durable-execution/NAME/ID`, checked
 * loosely on the parts that may grow (partition, region, qualifier, names): no whitespace, `/` or
 * control characters inside a part, at most 1024 characters (the model's limit).
 */
const PART = '[^\\s/\\u0000-\\u001f\\u007f-\\u009f]+';
const EXECUTION_ARN = new RegExp(
  `^arn:[a-z0-9-]+:lambda:[a-z0-9-]+:\\d{12}:function:${PART}/durable-execution/${PART}/${PART}$`,
);

export const EXECUTION_ARN_FORM =
  'arn:aws:lambda:REGION:ACCOUNT:function:NAME:QUALIFIER/durable-execution/EXECUTION_NAME/ID';

export function isDurableExecutionArn(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 1024 && EXECUTION_ARN.test(value);
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
