/**
 * Test-only HTTP proxy that injects faults, by rate and seed, in front of the local durable-execution
 * service or the local S3 (s3rver), and forwards everything else unchanged.
 *
 * Forwarding: method, path and query, the raw request headers (case and order kept) and the body are
 * streamed to the upstream as they arrive, and the response streams back with its raw headers. The
 * Host header is forwarded as the client sent it, i.e. the proxy's `127.0.0.1:PORT`, and nothing is
 * re-signed. That is the simplest correct choice: SigV4 signs `host` with the value the client sent
 * (the clients are pointed at the proxy), so a server that verifies signatures (s3rver does, with
 * its S3RVER credentials) recomputes the same canonical request from the forwarded headers. Rewriting
 * Host to the upstream's port would break the signature and require re-signing with the secret key.
 * Neither upstream routes by Host (s3rver runs path-style on 127.0.0.1; the local Lambda service
 * ignores it and does not verify signatures).
 */
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  attemptOf,
  expiredMarker,
  type FaultKind,
  LAMBDA_FAULTS,
  type RawResponse,
  S3_FAULTS,
  s3InternalError,
  s3SlowDown,
  seededDraw,
  serviceException,
  throttled,
} from './fault-responses.js';

export interface ProxiedRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  /** From `amz-sdk-request` (1 for a first attempt). */
  attempt: number;
}

export interface FaultProxyOptions {
  /** `http://127.0.0.1:PORT` of the local service or s3rver. */
  upstream: string;
  service: 'lambda' | 's3';
  seed: number;
  /** Chance per eligible request of each fault; they are exclusive and drawn in a fixed order. */
  rates?: Partial<Record<FaultKind, number>>;
  /** Delay of a `slow` answer (default 250 ms). */
  slowMs?: number;
  /** `Retry-After` of a throttle, seconds (default 1, as Lambda sends). */
  retryAfterSeconds?: number;
  /** Test-only raw answers (malformed bodies, KMS errors, AccessDenied); consulted before the faults. */
  respond?: (request: ProxiedRequest) => RawResponse | undefined;
  /** Keep every request's method, URL and headers in `recorded`. */
  record?: boolean;
}

export interface FaultCounters {
  /** Requests received, retries included. */
  requests: number;
  /** Requests received by HTTP method. */
  methods: Record<string, number>;
  /** Requests the SDK marked as a retry (`amz-sdk-request: attempt=N`, N > 1). */
  retriesSeen: number;
  /** Requests answered by the upstream (slow ones included). */
  forwarded: number;
  /** Requests answered by `respond`. */
  overridden: number;
  faults: Record<FaultKind, number>;
}

export interface FaultProxy {
  readonly endpoint: string;
  readonly counters: FaultCounters;
  readonly recorded: ProxiedRequest[];
  close(): Promise<void>;
}

function eligible(kind: FaultKind, service: 'lambda' | 's3', req: ProxiedRequest): boolean {
  if (service === 's3') return (S3_FAULTS as readonly string[]).includes(kind) && req.method === 'PUT';
  if (!(LAMBDA_FAULTS as readonly string[]).includes(kind)) return false;
  if (kind === 'expiredMarker')
    return req.url.pathname.endsWith('/history') && req.url.searchParams.has('Marker');
  return true;
}

function send(res: ServerResponse, answer: RawResponse): void {
  const body = typeof answer.body === 'string' ? Buffer.from(answer.body) : answer.body;
  res.writeHead(answer.status, { ...answer.headers, 'content-length': String(body.byteLength) });
  res.end(body);
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(options.upstream);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const kinds = [...LAMBDA_FAULTS, ...S3_FAULTS];
  const counters: FaultCounters = {
    requests: 0,
    methods: {},
    retriesSeen: 0,
    forwarded: 0,
    overridden: 0,
    faults: Object.fromEntries(kinds.map((k) => [k, 0])) as Record<FaultKind, number>,
  };
  const recorded: ProxiedRequest[] = [];
  const seen = new Map<string, number>();

  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    counters.forwarded++;
    const proxied = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.rawHeaders as unknown as Record<string, string>, // Node accepts the raw [k, v, ...] list
        agent,
      },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, upstreamRes.rawHeaders);
        upstreamRes.pipe(res);
      },
    );
    proxied.on('error', () => res.destroy());
    res.on('close', () => proxied.destroy());
    req.pipe(proxied);
  };

  /** Answers after the request body (a PUT's part) has been read, as S3 does. */
  const answerAfterBody = (req: IncomingMessage, res: ServerResponse, answer: RawResponse): void => {
    req.resume();
    req.once('end', () => send(res, answer));
  };

  const faultFor = (kind: FaultKind): RawResponse | undefined => {
    if (kind === 'throttle') return throttled(options.retryAfterSeconds ?? 1);
    if (kind === 'serverError') return serviceException();
    if (kind === 'expiredMarker') return expiredMarker();
    if (kind === 's3InternalError') return s3InternalError();
    if (kind === 's3SlowDown') return s3SlowDown();
    return undefined;
  };

  const server = createServer((req, res) => {
    const info: ProxiedRequest = {
      method: req.method ?? 'GET',
      url: new URL(req.url ?? '/', upstream),
      headers: req.headers,
      attempt: attemptOf(req.headers['amz-sdk-request']),
    };
    counters.requests++;
    counters.methods[info.method] = (counters.methods[info.method] ?? 0) + 1;
    if (info.attempt > 1) counters.retriesSeen++;
    if (options.record) recorded.push(info);

    const override = options.respond?.(info);
    if (override) {
      counters.overridden++;
      return answerAfterBody(req, res, override);
    }
    // The path, not the query: markers embed their issue time, and the nth request for one path
    // (one execution's pages are read in order) is the same request in every run.
    const identity = `${info.method} ${info.url.pathname} attempt=${info.attempt}`;
    const repeat = seen.get(identity) ?? 0;
    seen.set(identity, repeat + 1);
    let draw = seededDraw(options.seed, `${identity} #${repeat}`);
    for (const kind of kinds) {
      const rate = options.rates?.[kind] ?? 0;
      if (rate <= 0 || !eligible(kind, options.service, info)) continue;
      if (draw >= rate) {
        draw -= rate;
        continue;
      }
      counters.faults[kind]++;
      if (kind === 'reset') return void req.socket.destroy();
      if (kind === 'slow') return void setTimeout(() => forward(req, res), options.slowMs ?? 250);
      return answerAfterBody(req, res, faultFor(kind) as RawResponse);
    }
    forward(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counters,
    recorded,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
