import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardRequest } from './forward-request.js';

/** One request that passed through: method and path with query (`GET /bucket/key?x-id=GetObject`). */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
}

export interface RecordingProxy {
  readonly endpoint: string;
  /** Every request so far, in arrival order; clear it with `requests.length = 0`. */
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * Test-only HTTP proxy that records each request and forwards it unchanged (Host header included,
 * so SigV4 signatures still verify): tests count what a command fetched from local S3.
 */
export async function startRecordingProxy(upstreamEndpoint: string): Promise<RecordingProxy> {
  const upstream = new URL(upstreamEndpoint);
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '/' });
    forwardRequest(upstream, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
