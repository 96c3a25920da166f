import { type LambdaClient, ListTagsCommand, paginateListFunctions } from '@aws-sdk/client-lambda';
import { type AwsConnection, awsConnectionOf, clientOptionsOf } from '../aws/aws-connection.js';
import { createLambdaClient } from '../aws/lambda-client.js';
import { RateLimiter } from '../aws/rate-limiter.js';
import { resolveAwsConnection } from '../aws/resolve-connection.js';
import type { Config } from '../config/config-schema.js';
import { ConfigError, describeError, ExportError } from '../errors.js';

/** A function with durable execution enabled, as ListFunctions lists it. */
export interface DiscoveredFunction {
  name: string;
  arn: string;
}

/** ListFunctions serves at most 50 functions a page. */
const FUNCTIONS_PAGE = 50;

/**
 * Every function of the client's account and Region with durable execution enabled: all pages of
 * ListFunctions (the SDK paginator), keeping the configurations that have a `DurableConfig` and,
 * with `prefix`, a name that starts with it, and with `tags`, every one of them (one ListTags per
 * function left). Sorted by name. A failed page is an error naming the marker it was requested
 * with; a failed ListTags names the function.
 */
export async function discoverDurableFunctions(
  client: LambdaClient,
  filter: { prefix?: string; tags?: Readonly<Record<string, string>> },
  signal?: AbortSignal,
): Promise<DiscoveredFunction[]> {
  const found: DiscoveredFunction[] = [];
  // The paginator writes each page's marker into `input`: after a failure it names the page.
  const input: { Marker?: string } = {};
  try {
    for await (const page of paginateListFunctions({ client, pageSize: FUNCTIONS_PAGE }, input, {
      abortSignal: signal,
    })) {
      for (const f of page.Functions ?? []) {
        if (!f.DurableConfig || !f.FunctionName || !f.FunctionArn) continue;
        if (filter.prefix !== undefined && !f.FunctionName.startsWith(filter.prefix)) continue;
        found.push({ name: f.FunctionName, arn: f.FunctionArn });
      }
    }
  } catch (cause) {
    if (signal?.aborted) throw signal.reason;
    throw new ExportError(
      `discovering functions (ListFunctions) failed${input.Marker ? ` (marker ${input.Marker})` : ''}: ${describeError(cause)}`,
      { stage: 'source', marker: input.Marker },
      { cause },
    );
  }
  const tagged = filter.tags ? await withTags(client, found, filter.tags, signal) : found;
  return tagged.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The functions that carry every tag of `tags` (ListTags, one function at a time). */
async function withTags(
  client: LambdaClient,
  functions: readonly DiscoveredFunction[],
  tags: Readonly<Record<string, string>>,
  signal?: AbortSignal,
): Promise<DiscoveredFunction[]> {
  const kept: DiscoveredFunction[] = [];
  for (const f of functions) {
    let own: Record<string, string>;
    try {
      own = (await client.send(new ListTagsCommand({ Resource: f.arn }), { abortSignal: signal })).Tags ?? {};
    } catch (cause) {
      if (signal?.aborted) throw signal.reason;
      throw new ExportError(
        `discovering functions: ListTags of ${f.arn} failed: ${describeError(cause)}`,
        { stage: 'source', functionName: f.name },
        { cause },
      );
    }
    if (Object.entries(tags).every(([key, value]) => own[key] === value)) kept.push(f);
  }
  return kept;
}

/** `export.functionTags` (`KEY=VALUE` each, the schema checked) as a map; undefined when none. */
function tagsOf(functionTags: readonly string[] | undefined): Record<string, string> | undefined {
  if (!functionTags?.length) return undefined;
  return Object.fromEntries(
    functionTags.map((t) => [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1)] as const),
  );
}

/**
 * Checks how `export.functions`, `export.allFunctions` and `export.functionPrefix` combine: either
 * functions by name or discovery, not both (a usage error), and a prefix only with discovery.
 */
export function checkFunctionSelection(config: Config): void {
  const e = config.export ?? {};
  if (e.allFunctions && e.functions?.length) {
    throw new ConfigError(
      '--all-functions and --function cannot be used together: discovery finds the functions (narrow it with --function-prefix)',
    );
  }
  if (e.functionPrefix !== undefined && !e.allFunctions) {
    throw new ConfigError('--function-prefix narrows --all-functions: give --all-functions too');
  }
  if (e.functionTags?.length && !e.allFunctions) {
    throw new ConfigError('--function-tag narrows --all-functions: give --all-functions too');
  }
}

/**
 * Discovery found nothing: a usage error for one account and Region, and an empty target (nothing
 * to export there) among several (`runTargets`).
 */
export class NoDurableFunctions extends ConfigError {}

/** A config whose functions discovery found, and what it found (undefined without `allFunctions`). */
export interface FunctionSelection {
  config: Config;
  discovered?: DiscoveredFunction[];
}

/**
 * With `export.allFunctions`: discovers the durable functions (through its own client under the
 * `listFunctions` rate limit) and returns the config with `export.functions` set to their names, so
 * the export (and its job identity) is that of the functions found. Without it, the config as given.
 */
export async function selectFunctions(
  config: Config,
  options: AwsConnection & { signal?: AbortSignal } = {},
): Promise<FunctionSelection> {
  checkFunctionSelection(config);
  const e = config.export ?? {};
  if (!e.allFunctions) return { config };
  const connection = await resolveAwsConnection(awsConnectionOf(options), ['lambda']);
  const limiter = new RateLimiter(config.lambda);
  const client = createLambdaClient({ ...clientOptionsOf(connection, 'lambda'), ...config.lambda, limiter });
  try {
    const filter = { prefix: e.functionPrefix, tags: tagsOf(e.functionTags) };
    const discovered = await discoverDurableFunctions(client, filter, options.signal);
    if (discovered.length === 0) {
      const prefix = e.functionPrefix === undefined ? '' : ` whose name starts with ${e.functionPrefix}`;
      const tags = e.functionTags?.length ? ` tagged ${e.functionTags.join(', ')}` : '';
      throw new NoDurableFunctions(
        `--all-functions found no function with durable execution enabled${prefix}${tags} in ${clientOptionsOf(connection, 'lambda').region}`,
      );
    }
    return { config: { ...config, export: { ...e, functions: discovered.map((f) => f.name) } }, discovered };
  } finally {
    await limiter.stop();
    client.destroy();
  }
}
