import { invalidParameter, unknownRoute } from './errors.js';
import type { ExecutionStore } from './execution-store.js';
import type { CheckpointTokens } from './get-state.js';
import type { MarkerCodec } from './pagination.js';
import type { QueryReader } from './query.js';

/** One of the four read APIs, with its decoded path label, or ListFunctions / ListTags (discovery). */
export type Route =
  | { api: 'ListFunctions' }
  | { api: 'ListTags'; resource: string }
  | { api: 'ListDurableExecutionsByFunction'; functionName: string }
  | { api: 'GetDurableExecution'; executionArn: string }
  | { api: 'GetDurableExecutionHistory'; executionArn: string }
  | { api: 'GetDurableExecutionState'; executionArn: string };

const LIST = /^\/2025-12-01\/functions\/([^/]+)\/durable-executions$/;
// The SDK sends `/2015-03-31/functions`; the API Reference writes `/2015-03-31/functions/`.
const FUNCTIONS = /^\/2015-03-31\/functions\/?$/;
const TAGS = /^\/2017-03-31\/tags\/([^/]+)$/;
const EXECUTION = /^\/2025-12-01\/durable-executions\/([^/]+)(\/history|\/state)?$/;

function decodeLabel(raw: string, label: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw invalidParameter(`${label} path label is not valid percent-encoding: ${raw}`);
  }
}

/**
 * Maps a request to its API. Path labels arrive percent-encoded (`:`→`%3A`, `/`→`%2F`), so a label never
 * holds a raw `/`; each is decoded here.
 *
 * @throws LocalServiceError 404 UnknownOperationException when nothing matches.
 */
export function matchRoute(method: string, path: string): Route {
  if (method === 'GET') {
    if (FUNCTIONS.test(path)) return { api: 'ListFunctions' };
    const tags = TAGS.exec(path);
    if (tags) return { api: 'ListTags', resource: decodeLabel(tags[1] as string, 'Resource') };
    const list = LIST.exec(path);
    if (list)
      return {
        api: 'ListDurableExecutionsByFunction',
        functionName: decodeLabel(list[1] as string, 'FunctionName'),
      };
    const execution = EXECUTION.exec(path);
    if (execution) {
      const executionArn = decodeLabel(execution[1] as string, 'DurableExecutionArn');
      if (execution[2] === '/history') return { api: 'GetDurableExecutionHistory', executionArn };
      if (execution[2] === '/state') return { api: 'GetDurableExecutionState', executionArn };
      return { api: 'GetDurableExecution', executionArn };
    }
  }
  throw unknownRoute(method, path);
}

/** What every API handler may use; built once per running service. */
export interface HandlerContext {
  store: ExecutionStore;
  markers: MarkerCodec;
  tokens: CheckpointTokens;
  /** Byte budget of one page (`LocalServiceOptions.maxPageBytes`). */
  maxPageBytes: number;
}

/** An API handler: returns the 200 body, or throws a `LocalServiceError`. */
export type ApiHandler<P> = (
  params: P,
  query: QueryReader,
  context: HandlerContext,
) => Record<string, unknown>;
