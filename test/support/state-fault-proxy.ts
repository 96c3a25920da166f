/**
 * Test-only HTTP proxy in front of the local durable-execution service, for the state-source tests:
 * - `slowMarker`: holds the first `GetDurableExecutionState` request that carries a Marker for one
 *   execution for `delayMs` before forwarding it, so a marker issued with a short `markerTtlMs`
 *   expires for real in the service, between two pages, deterministically;
 * - `kmsDenied`: answers every request for these executions with 502 `KMSAccessDeniedException`,
 *   shaped as Lambda sends it (docs/DURABLE-API.md §2.2), which the local service cannot produce.
 * Everything else is forwarded unchanged.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardRequest } from './forward-request.js';

export interface StateFaultProxyOptions {
  upstream: string;
  slowMarker?: { executionArn: string; delayMs: number };
  kmsDenied?: string[];
}

export interface StateFaultProxy {
  readonly url: string;
  /** Requests answered with the KMS error, per execution ARN. */
  readonly kmsAnswers: Map<string, number>;
  /** True once the slow-marker request was held and forwarded. */
  slowed(): boolean;
  close(): Promise<void>;
}

/** The execution ARN of a `/2025-12-01/durable-executions/{arn}[/...]` path, decoded. */
function executionArnOf(path: string): string | undefined {
  const m = /^\/2025-12-01\/durable-executions\/([^/?]+)/.exec(path);
  return m?.[1] ? decodeURIComponent(m[1]) : undefined;
}

export async function startStateFaultProxy(options: StateFaultProxyOptions): Promise<StateFaultProxy> {
  const upstream = new URL(options.upstream);
  const kmsAnswers = new Map<string, number>();
  let slowed = false;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', upstream);
    const arn = executionArnOf(url.pathname);
    if (arn && options.kmsDenied?.includes(arn)) {
      kmsAnswers.set(arn, (kmsAnswers.get(arn) ?? 0) + 1);
      req.resume();
      const body = JSON.stringify({
        Type: 'User',
        Message: 'Lambda was unable to decrypt the execution data',
      });
      res.writeHead(502, {
        'content-type': 'application/json',
        'x-amzn-ErrorType': 'KMSAccessDeniedException',
        'x-amzn-RequestId': 'kms-denied',
      });
      res.end(body);
      return;
    }
    const slow = options.slowMarker;
    if (
      slow &&
      !slowed &&
      arn === slow.executionArn &&
      url.pathname.endsWith('/state') &&
      url.searchParams.has('Marker')
    ) {
      slowed = true;
      setTimeout(() => forwardRequest(upstream, req, res), slow.delayMs);
      return;
    }
    forwardRequest(upstream, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    kmsAnswers,
    slowed: () => slowed,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
