import { invalidParameter, resourceNotFound } from './errors.js';
import type { ExecutionStore } from './execution-store.js';
import { cutPage } from './pagination.js';
import type { ApiHandler } from './routes.js';

/** ListFunctions serves at most 50 functions per page, whatever `MaxItems` asks (API Reference). */
const FUNCTIONS_PER_PAGE = 50;
/** `MaxItems` of ListFunctions: 1-10000. */
const MAX_ITEMS_LIMIT = 10_000;

/** The `DurableConfig` a durable function's configuration carries (the SDK's `DurableConfig` shape). */
const DURABLE_CONFIG = { ExecutionTimeout: 86_400, RetentionPeriodInDays: 14 } as const;

/** A function the local service lists: the functions of its executions, and any non-durable ones. */
export interface ListedFunction {
  functionArn: string;
  durable: boolean;
  /** ListTags' answer for the function. */
  tags: Record<string, string>;
}

/**
 * The functions `ListFunctions` serves, sorted by ARN: every function of the stored executions
 * (durable, with a `DurableConfig`) and `nonDurable` names, placed in the account and Region of
 * the first durable function (else us-east-1, 123456789012), without a `DurableConfig`.
 */
export function functionsOf(
  store: ExecutionStore,
  nonDurable: readonly string[],
  tags: Readonly<Record<string, Record<string, string>>> = {},
): ListedFunction[] {
  const durable = store.functionArns();
  const [, partition = 'aws', , region = 'us-east-1', account = '123456789012'] = (durable[0] ?? '').split(
    ':',
  );
  const plain = nonDurable.map((name) => `arn:${partition}:lambda:${region}:${account}:function:${name}`);
  return [
    ...durable.map((functionArn) => ({ functionArn, durable: true })),
    ...plain.map((functionArn) => ({ functionArn, durable: false })),
  ]
    .map((f) => ({ ...f, tags: tags[nameOf(f.functionArn)] ?? {} }))
    .sort((a, b) => (a.functionArn < b.functionArn ? -1 : a.functionArn > b.functionArn ? 1 : 0));
}

/**
 * ListFunctions (GET /2015-03-31/functions/): `Functions` as `FunctionConfiguration`s, durable ones
 * with `DurableConfig`, paged by `Marker` / `NextMarker`. `MasterRegion` and `FunctionVersion` are
 * accepted and ignored (no versions are listed, only the unqualified functions).
 */
export const listFunctions: ApiHandler<{ functions: readonly ListedFunction[] }> = (
  { functions },
  query,
  context,
) => {
  const raw = query.string('MaxItems');
  const n = raw === undefined ? FUNCTIONS_PER_PAGE : Number(raw);
  if (raw !== undefined && (!/^\d+$/.test(raw) || n < 1 || n > MAX_ITEMS_LIMIT)) {
    throw invalidParameter(`MaxItems must be an integer from 1 to ${MAX_ITEMS_LIMIT}, got '${raw}'`);
  }
  const scope = JSON.stringify(['functions']);
  const start = context.markers.read(query.string('Marker'), scope, functions.length);
  const page = cutPage(
    functions.map(configurationOf),
    start,
    Math.min(n, FUNCTIONS_PER_PAGE),
    context.maxPageBytes,
  );
  return {
    Functions: page.items,
    NextMarker: page.nextPosition === undefined ? undefined : context.markers.issue(scope, page.nextPosition),
  };
};

/**
 * ListTags (GET /2017-03-31/tags/{Resource}): the tags of a listed function, by its ARN.
 *
 * @throws LocalServiceError 404 for a function the service does not list.
 */
export const listTags: ApiHandler<{ resource: string; functions: readonly ListedFunction[] }> = ({
  resource,
  functions,
}) => {
  const found = functions.find((f) => f.functionArn === resource);
  if (!found) throw resourceNotFound(`Function not found: ${resource}`);
  return { Tags: found.tags };
};

function nameOf(functionArn: string): string {
  return functionArn.slice(functionArn.lastIndexOf(':') + 1);
}

function configurationOf(f: ListedFunction): Record<string, unknown> {
  return {
    FunctionName: nameOf(f.functionArn),
    FunctionArn: f.functionArn,
    Runtime: 'nodejs22.x',
    Version: '$LATEST',
    DurableConfig: f.durable ? DURABLE_CONFIG : undefined, // JSON leaves an undefined member out
  };
}
