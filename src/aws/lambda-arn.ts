/**
 * The one parser of Lambda ARNs on the exporter side: a function ARN,
 * `arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`, and a durable execution ARN,
 * `arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME:QUALIFIER/durable-execution/NAME/ID`
 * (docs/DURABLE-API.md). The local service keeps its own, stricter parser (src/local/service/arn.ts):
 * it plays AWS's side of the wire.
 */

/** Where a function or an execution lives: the parts every Lambda ARN starts with. */
export interface LambdaArnPlace {
  /** `aws`, `aws-cn`, `aws-us-gov`, ... */
  readonly partition: string;
  /** e.g. `eu-west-1`. */
  readonly region: string;
  /** The 12-digit AWS account. */
  readonly accountId: string;
}

export interface FunctionArnParts extends LambdaArnPlace {
  readonly functionName: string;
  /** The version or alias, `undefined` for an unqualified ARN. */
  readonly qualifier: string | undefined;
}

const PLACE = 'arn:([a-z0-9-]+):lambda:([a-z0-9-]+):(\\d{12}):function:';
const FUNCTION_ARN = new RegExp(`^${PLACE}([A-Za-z0-9_-]+)(?::([A-Za-z0-9$_.-]+))?$`);

/**
 * An execution ARN is checked loosely on the parts that may grow (partition, region, qualifier,
 * names): no whitespace, `/` or control characters inside a part, at most 1024 characters (the
 * model's limit).
 */
const PART = '[^\\s/\\u0000-\\u001f\\u007f-\\u009f]+';
const EXECUTION_ARN = new RegExp(`^${PLACE}${PART}/durable-execution/${PART}/${PART}$`);
const EXECUTION_ARN_MAX_LENGTH = 1024;

/** The parts of a qualified or unqualified function ARN, or `undefined` when `arn` is not one. */
export function parseFunctionArn(arn: string): FunctionArnParts | undefined {
  const m = FUNCTION_ARN.exec(arn);
  if (!m) return undefined;
  return {
    partition: m[1] as string,
    region: m[2] as string,
    accountId: m[3] as string,
    functionName: m[4] as string,
    qualifier: m[5],
  };
}

/** Partition, Region and account of a durable execution ARN, or `undefined` when `arn` is not one. */
export function parseExecutionArn(arn: string): LambdaArnPlace | undefined {
  if (arn.length > EXECUTION_ARN_MAX_LENGTH) return undefined;
  const m = EXECUTION_ARN.exec(arn);
  if (!m) return undefined;
  return { partition: m[1] as string, region: m[2] as string, accountId: m[3] as string };
}

const PARTIAL_FUNCTION_ARN = /^(\d{12}):function:/;

/**
 * The account of a function as `--function` takes it: a full function ARN's, or a partial ARN's
 * (`ACCOUNT:function:NAME[:QUALIFIER]`); `undefined` for a plain name.
 */
export function accountOfFunction(functionRef: string): string | undefined {
  return parseFunctionArn(functionRef)?.accountId ?? PARTIAL_FUNCTION_ARN.exec(functionRef)?.[1];
}
