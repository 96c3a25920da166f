/**
 * Parts of a Lambda function ARN, `arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`.
 * A plain name is returned as it is.
 */
const FUNCTION_ARN =
  /^arn:[a-z0-9-]+:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]+)(?::([A-Za-z0-9$_.-]+))?$/;

export function functionNameOf(functionArnOrName: string): string {
  return FUNCTION_ARN.exec(functionArnOrName)?.[1] ?? functionArnOrName;
}

/** The version or alias qualifier, or null for an unqualified ARN. */
export function versionOf(functionArn: string): string | null {
  return FUNCTION_ARN.exec(functionArn)?.[2] ?? null;
}
