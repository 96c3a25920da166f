import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { manifestLine } from '../../source/token-manifest.js';
import { listenLocal } from '../listen-local.js';
import { type CallerRoutingOptions, callerOf, functionsOfCaller, routeForCaller } from './caller-routing.js';
import { LocalServiceError, resourceNotFound, serviceException } from './errors.js';
import { ExecutionStore } from './execution-store.js';
import { CheckpointTokens, getDurableExecutionState } from './get-state.js';
import { listDurableExecutionsByFunction } from './list-executions.js';
import { functionsOf, type ListedFunction, listFunctions, listTags } from './list-functions.js';
import { DEFAULT_MARKER_TTL_MS, DEFAULT_MAX_PAGE_BYTES, MarkerCodec } from './pagination.js';
import { QueryReader } from './query.js';
import { getDurableExecution, getDurableExecutionHistory } from './read-execution.js';
import { type HandlerContext, matchRoute, type Route } from './routes.js';
import { type LatencyOptions, ServiceLatency } from './service-latency.js';
import { arnOf, type StoredExecution } from './stored-execution.js';
import { assertStoredExecutions } from './stored-execution-shape.js';
import { Throttle, type ThrottleOptions } from './throttle.js';

/** The account of callers the local STS stand-in did not issue keys to (caller routing). */
const DEFAULT_ACCOUNT = '123456789012';

/** Writes a JSON body with `content-type: application/json` and `x-amzn-RequestId`. */
function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    'x-amzn-RequestId': requestId,
    ...headers,
  });
  res.end(text);
}

/** Writes an error response: its status, `x-amzn-ErrorType`, extra headers (e.g. `Retry-After`) and body. */
function sendError(res: ServerResponse, error: LocalServiceError, requestId: string): void {
  sendJson(res, error.status, error.body(), requestId, {
    'x-amzn-ErrorType': error.errorType,
    ...error.extraHeaders,
  });
}

export type { ThrottleOptions };

export interface LocalServiceOptions {
  executions: StoredExecution[];
  host?: string; // default 127.0.0.1
  port?: number; // default 0 = a free port
  markerTtlMs?: number; // default 24h
  maxPageBytes?: number; // default 5 MiB
  throttle?: ThrottleOptions; // answer 429 TooManyRequestsException at random (seeded) for testing retries
  latency?: LatencyOptions; // answer each request after ms ± jitterMs (seeded), e.g. { ms: 40, jitterMs: 10 }
  /** Functions ListFunctions lists without a `DurableConfig`, besides the durable functions of `executions`; default `['plain-handler']`. */
  nonDurableFunctions?: string[];
  /** ListTags' answer per function name (durable or not); default none. */
  functionTags?: Record<string, Record<string, string>>;
  onRequest?: (api: Route['api'] | undefined) => void; // called as each request arrives, with the API it calls
  /**
   * Serve each caller only the functions and executions of its account and Region (from the SigV4
   * credential scope and the access key: `caller-routing.ts`), for fleets of several accounts and
   * Regions; default off: every caller sees everything.
   */
  callerRouting?: CallerRoutingOptions;
}

export interface RunningLocalService {
  url: string; // http://127.0.0.1:PORT
  port: number;
  requestCount(): number; // requests served, including errors
  checkpointToken(executionArn: string): string; // the current token (base64)
  advanceToken(executionArn: string): string; // as a checkpoint would: returns the new token, the old one is now superseded
  tokenManifest(): string; // JSON Lines of every execution's current token, as `export --source state --manifest` reads it
  close(): Promise<void>;
}

function dispatch(
  route: Route,
  query: QueryReader,
  context: HandlerContext,
  functions: readonly ListedFunction[],
): Record<string, unknown> {
  switch (route.api) {
    case 'ListFunctions':
      return listFunctions({ functions }, query, context);
    case 'ListTags':
      return listTags({ resource: route.resource, functions }, query, context);
    case 'ListDurableExecutionsByFunction':
      return listDurableExecutionsByFunction(route, query, context);
    case 'GetDurableExecution':
      return getDurableExecution(route, query, context);
    case 'GetDurableExecutionHistory':
      return getDurableExecutionHistory(route, query, context);
    case 'GetDurableExecutionState':
      return getDurableExecutionState(route, query, context);
  }
}

/**
 * Starts a local HTTP server that speaks Lambda's restJson1 wire protocol for the four durable read APIs
 * (docs/DURABLE-API.md §1) and ListFunctions, so an unmodified `LambdaClient` with `endpoint: service.url` works against it.
 * Requests are not authenticated; SigV4 headers are ignored unless `callerRouting` reads the caller's
 * account and Region from them.
 *
 * @example
 * const service = await startLocalService({ executions: generateSyntheticExecutions({ count: 20, seed: 1 }) });
 * const client = new LambdaClient({ region: 'us-east-1', endpoint: service.url, credentials });
 * // ... then: await service.close();
 */
export async function startLocalService(options: LocalServiceOptions): Promise<RunningLocalService> {
  const host = options.host ?? '127.0.0.1';
  const markerTtlMs = options.markerTtlMs ?? DEFAULT_MARKER_TTL_MS;
  const maxPageBytes = options.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES;
  if (!(markerTtlMs > 0)) throw new RangeError(`markerTtlMs must be positive, got ${markerTtlMs}`);
  if (!(maxPageBytes > 0)) throw new RangeError(`maxPageBytes must be positive, got ${maxPageBytes}`);
  const executions = assertStoredExecutions(options.executions, 'LocalServiceOptions.executions');
  const context: HandlerContext = {
    store: new ExecutionStore(executions),
    markers: new MarkerCodec(markerTtlMs),
    tokens: new CheckpointTokens(),
    maxPageBytes,
  };
  const functions = functionsOf(
    context.store,
    options.nonDurableFunctions ?? ['plain-handler'],
    options.functionTags,
  );
  const throttle = new Throttle(options.throttle);
  let served = 0;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    served++;
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://local');
    try {
      throttle.check();
      const route = matchRoute(req.method ?? 'GET', url.pathname);
      const routing = options.callerRouting;
      const caller = routing ? callerOf(req.headers, routing.defaultAccount ?? DEFAULT_ACCOUNT) : undefined;
      const body = caller
        ? dispatch(
            routeForCaller(route, caller),
            new QueryReader(url.searchParams),
            context,
            functionsOfCaller(functions, caller),
          )
        : dispatch(route, new QueryReader(url.searchParams), context, functions);
      sendJson(res, 200, body, requestId);
    } catch (error) {
      const known =
        error instanceof LocalServiceError
          ? error
          : serviceException(
              `Internal error in the local durable-execution service: ${(error as Error)?.message ?? error}`,
            );
      sendError(res, known, requestId);
    }
  };

  const latency = options.latency ? new ServiceLatency(options.latency) : undefined;
  const server = createServer((req, res) => {
    req.resume(); // the read APIs carry no body; drain anything sent
    req.on('end', () => {
      options.onRequest?.(apiOf(req));
      if (latency) setTimeout(() => handle(req, res), latency.nextMs());
      else handle(req, res);
    });
  });
  const url = await listenLocal(server, host, options.port);

  const known = (executionArn: string): string => {
    if (!context.store.has(executionArn)) {
      throw resourceNotFound(`Durable execution not found in the local service: ${executionArn}`);
    }
    return executionArn;
  };
  return {
    url,
    port: Number(new URL(url).port),
    requestCount: () => served,
    checkpointToken: (executionArn) => context.tokens.current(known(executionArn)),
    advanceToken: (executionArn) => context.tokens.advance(known(executionArn)),
    tokenManifest: () =>
      executions
        .map((stored) => arnOf(stored))
        .map(
          (executionArn) =>
            `${manifestLine({ executionArn, checkpointToken: context.tokens.current(executionArn) })}\n`,
        )
        .join(''),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** The API a request calls, or undefined when it matches no route (`handle` answers that). */
function apiOf(req: IncomingMessage): Route['api'] | undefined {
  try {
    return matchRoute(req.method ?? 'GET', new URL(req.url ?? '/', 'http://local').pathname).api;
  } catch {
    return undefined;
  }
}
