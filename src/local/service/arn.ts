/**
 * ARN and function-name parsing for the durable read APIs (patterns from the Lambda model,
 * docs/DURABLE-API.md §1.2).
 */

const NAME = '[a-zA-Z0-9_-]+';
const QUALIFIER = '\\$LATEST(?:\\.PUBLISHED)?|[0-9]+';
const FUNCTION_ARN_PREFIX = `arn:(aws[a-zA-Z-]*):lambda:([a-z]{2}(?:-[a-z]+)+-\\d):(\\d{12}):function:(${NAME})`;

const EXECUTION_ARN = new RegExp(
  `^${FUNCTION_ARN_PREFIX}:(${QUALIFIER})/durable-execution/(${NAME})/(${NAME})$`,
);
const FULL_FUNCTION_ARN = new RegExp(`^${FUNCTION_ARN_PREFIX}(?::(${QUALIFIER}))?$`);
const PARTIAL_FUNCTION_ARN = new RegExp(`^(\\d{12}):function:(${NAME})(?::(${QUALIFIER}))?$`);
const PLAIN_NAME = new RegExp(`^(${NAME})(?::(${QUALIFIER}))?$`);

/** The expected form, quoted in error messages. */
export const EXECUTION_ARN_FORM =
  'arn:aws:lambda:REGION:ACCOUNT:function:NAME:QUALIFIER/durable-execution/EXECUTION_NAME/ID';

/** True when `value` is a well-formed durable execution ARN of at most 1024 characters. */
export function isExecutionArn(value: string): boolean {
  return value.length <= 1024 && EXECUTION_ARN.test(value);
}

/** A function as named by a `FunctionArn` or by the `FunctionName` path label. */
export interface FunctionRef {
  name: string;
  region?: string;
  account?: string;
  qualifier?: string;
}

/** Parses a qualified or unqualified function ARN such as `arn:aws:lambda:us-east-1:123456789012:function:fn:1`. */
export function parseFunctionArn(arn: string): FunctionRef | undefined {
  const m = FULL_FUNCTION_ARN.exec(arn);
  if (!m) return undefined;
  return { region: m[2], account: m[3], name: m[4] as string, qualifier: m[5] };
}

/**
 * Parses `FunctionName` as ListDurableExecutionsByFunction accepts it: a name (`my-fn`), a partial ARN
 * (`123456789012:function:my-fn`) or a full ARN, each optionally followed by `:QUALIFIER`.
 * Returns undefined when it is none of these.
 */
export function parseFunctionReference(value: string): FunctionRef | undefined {
  if (value.length === 0 || value.length > 256) return undefined;
  const full = parseFunctionArn(value);
  if (full) return full;
  const partial = PARTIAL_FUNCTION_ARN.exec(value);
  if (partial) return { account: partial[1], name: partial[2] as string, qualifier: partial[3] };
  const plain = PLAIN_NAME.exec(value);
  if (plain) return { name: plain[1] as string, qualifier: plain[2] };
  return undefined;
}

/** True when `candidate` (from a stored FunctionArn) is the function `ref` names, ignoring qualifiers. */
export function sameFunction(ref: FunctionRef, candidate: FunctionRef): boolean {
  return (
    ref.name === candidate.name &&
    (ref.account === undefined || ref.account === candidate.account) &&
    (ref.region === undefined || ref.region === candidate.region)
  );
}
