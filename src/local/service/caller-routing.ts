import type { IncomingHttpHeaders } from 'node:http';
import { callerOfCredentials } from '../sts/issued-credentials.js';
import { parseFunctionArn, parseFunctionReference } from './arn.js';
import { accessDenied, expiredToken, missingAuthentication, resourceNotFound } from './errors.js';
import type { ListedFunction } from './list-functions.js';
import type { Route } from './routes.js';

/** `LocalServiceOptions.callerRouting`: serve each caller only its own account and Region. */
export interface CallerRoutingOptions {
  /** The account of callers whose keys the local STS stand-in did not issue; default 123456789012. */
  defaultAccount?: string;
}

/** The account and Region a request is made in. */
export interface Caller {
  account: string;
  region: string;
}

const CREDENTIAL_SCOPE = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/[^/]+\/aws4_request/;

/**
 * The caller of a signed request: the Region of the SigV4 credential scope
 * (`Authorization: AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/lambda/aws4_request, ...`), the
 * account of an access key the local STS stand-in issued (`issued-credentials.ts`), else
 * `defaultAccount`.
 *
 * @throws LocalServiceError 403 ExpiredTokenException when the stand-in's credentials have expired,
 *   403 MissingAuthenticationTokenException for an unsigned request.
 */
export function callerOf(headers: IncomingHttpHeaders, defaultAccount: string, now = Date.now()): Caller {
  const scope = CREDENTIAL_SCOPE.exec(headers.authorization ?? '');
  if (!scope) throw missingAuthentication();
  const [, accessKeyId = '', region = ''] = scope;
  const token = headers['x-amz-security-token'];
  const issued = callerOfCredentials(accessKeyId, Array.isArray(token) ? token[0] : token);
  if (issued?.expiresAtMs !== undefined && now >= issued.expiresAtMs) throw expiredToken();
  return { account: issued?.account ?? defaultAccount, region };
}

/** The functions `caller` sees: those of its account and Region. */
export function functionsOfCaller(functions: readonly ListedFunction[], caller: Caller): ListedFunction[] {
  return functions.filter((f) => {
    const ref = parseFunctionArn(f.functionArn);
    return ref?.account === caller.account && ref.region === caller.region;
  });
}

/**
 * The route as `caller` may call it. A bare function name (or a partial ARN) resolves in the
 * caller's account and Region. A resource of another account is `AccessDeniedException` (403): IAM
 * refuses before Lambda looks for the resource, since the caller's account has no grant on it. A
 * resource of another Region is `ResourceNotFoundException` (404): the Regional endpoint the
 * request reached holds no such resource. A malformed name or ARN passes unchanged, so the API
 * answers it as it does without routing.
 */
export function routeForCaller(route: Route, caller: Caller): Route {
  switch (route.api) {
    case 'ListFunctions':
      return route;
    case 'ListTags':
      checkPlace(parseFunctionArn(route.resource), route.resource, caller, route.api);
      return route;
    case 'ListDurableExecutionsByFunction': {
      const ref = parseFunctionReference(route.functionName);
      if (!ref) return route;
      checkPlace(ref, route.functionName, caller, route.api);
      const qualifier = ref.qualifier === undefined ? '' : `:${ref.qualifier}`;
      return {
        ...route,
        functionName: `arn:aws:lambda:${caller.region}:${caller.account}:function:${ref.name}${qualifier}`,
      };
    }
    default: {
      const [functionPart = ''] = route.executionArn.split('/');
      checkPlace(parseFunctionArn(functionPart), route.executionArn, caller, route.api);
      return route;
    }
  }
}

function checkPlace(
  ref: { account?: string; region?: string } | undefined,
  resource: string,
  caller: Caller,
  api: Route['api'],
): void {
  if (ref?.account !== undefined && ref.account !== caller.account) {
    throw accessDenied(
      `User: arn:aws:sts::${caller.account}:assumed-role/local/caller is not authorized to perform: lambda:${api} on resource: ${resource}`,
    );
  }
  if (ref?.region !== undefined && ref.region !== caller.region) {
    throw resourceNotFound(`Function not found in ${caller.region}: ${resource}`);
  }
}
