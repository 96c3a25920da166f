import { parseFunctionArn } from '../aws/lambda-arn.js';

/** The function name of a function ARN (src/aws/lambda-arn.ts); a plain name is returned as it is. */
export function functionNameOf(functionArnOrName: string): string {
  return parseFunctionArn(functionArnOrName)?.functionName ?? functionArnOrName;
}

/** The version or alias qualifier, or null for an unqualified ARN. */
export function versionOf(functionArn: string): string | null {
  return parseFunctionArn(functionArn)?.qualifier ?? null;
}
