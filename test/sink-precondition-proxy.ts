/**
 * Test-only HTTP proxy in front of s3rver that implements what s3rver lacks: `If-None-Match: *`
 * on PutObject and CompleteMultipartUpload answers 412 PreconditionFailed when the key exists,
 * and `If-Match: <ETag>` on PutObject answers 412 unless the key exists with that ETag (404 when
 * it does not exist), as AWS S3 does. With `locked`, DeleteObject of a path it accepts answers
 * 403 AccessDenied, as S3 Object Lock does for an object under retention or legal hold.
 * Everything else is forwarded unchanged (the Host header too, so SigV4 signatures still verify).
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardRequest } from './support/forward-request.js';

const PRECONDITION_FAILED = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>If-None-Match</Condition></Error>`;

const ACCESS_DENIED = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>AccessDenied</Code><Message>Access Denied because object protected by object lock.</Message></Error>`;

const NO_SUCH_KEY = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>`;

/** The ETag of the object at `path`, or undefined when there is none. */
function etagOf(upstream: URL, path: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const head = request(new URL(path, upstream), { method: 'HEAD' }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? String(res.headers.etag ?? '') : undefined);
    });
    head.on('error', reject);
    head.end();
  });
}

export interface PreconditionProxy {
  readonly endpoint: string;
  close(): Promise<void>;
}

export async function startPreconditionProxy(
  upstreamEndpoint: string,
  options: { locked?: (path: string) => boolean } = {},
): Promise<PreconditionProxy> {
  const upstream = new URL(upstreamEndpoint);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', upstream);
    if (req.method === 'DELETE' && options.locked?.(decodeURIComponent(url.pathname))) {
      req.resume();
      res.writeHead(403, { 'content-type': 'application/xml' }).end(ACCESS_DENIED);
      return;
    }
    const ifNoneMatch = req.headers['if-none-match'] === '*';
    const ifMatch = req.method === 'PUT' ? req.headers['if-match'] : undefined;
    const writes = req.method === 'PUT' || (req.method === 'POST' && url.searchParams.has('uploadId'));
    if (!writes || (!ifNoneMatch && ifMatch === undefined)) return forwardRequest(upstream, req, res);
    etagOf(upstream, url.pathname).then(
      (etag) => {
        const missing = ifMatch !== undefined && etag === undefined;
        const failed = ifNoneMatch ? etag !== undefined : etag !== ifMatch;
        if (!failed) return forwardRequest(upstream, req, res);
        req.resume();
        res
          .writeHead(missing ? 404 : 412, { 'content-type': 'application/xml' })
          .end(missing ? NO_SUCH_KEY : PRECONDITION_FAILED);
      },
      (error: unknown) => res.destroy(error as Error),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
