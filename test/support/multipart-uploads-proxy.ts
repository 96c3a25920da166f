/**
 * Test-only HTTP proxy in front of s3rver adding the two multipart-upload APIs s3rver 3.7.1 lacks
 * (it answers NotImplemented / 405): ListMultipartUploads (`GET /<bucket>?uploads`) and
 * AbortMultipartUpload (`DELETE /<bucket>/<key>?uploadId=...`). It answers them from s3rver's own
 * store on disk (`<dir>/<bucket>/._S3rver_uploads/<uploadId>/key`), where CreateMultipartUpload
 * and UploadPart (which s3rver implements) put them. Everything else is forwarded unchanged, Host
 * header included, so SigV4 signatures still verify.
 */
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { forwardRequest } from './forward-request.js';

export interface MultipartUploadsProxy {
  readonly endpoint: string;
  close(): Promise<void>;
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

async function listUploads(directory: string, bucket: string, prefix: string): Promise<string> {
  const root = join(directory, bucket, '._S3rver_uploads');
  const ids = await readdir(root).catch(() => [] as string[]);
  const uploads: string[] = [];
  for (const id of ids.sort()) {
    const key = await readFile(join(root, id, 'key'), 'utf8').catch(() => undefined);
    if (key === undefined || !key.startsWith(prefix)) continue;
    const { mtime } = await stat(join(root, id));
    uploads.push(
      `<Upload><Key>${xml(key)}</Key><UploadId>${id}</UploadId><Initiated>${mtime.toISOString()}</Initiated><StorageClass>STANDARD</StorageClass></Upload>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?><ListMultipartUploadsResult><Bucket>${xml(bucket)}</Bucket><Prefix>${xml(prefix)}</Prefix><IsTruncated>false</IsTruncated>${uploads.join('')}</ListMultipartUploadsResult>`;
}

/** @param s3rverDirectory the `directory` s3rver stores buckets in (LocalS3.directory) */
export async function startMultipartUploadsProxy(
  upstreamEndpoint: string,
  s3rverDirectory: string,
): Promise<MultipartUploadsProxy> {
  const upstream = new URL(upstreamEndpoint);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', upstream);
    const [bucket = '', ...keyParts] = url.pathname.slice(1).split('/').filter(Boolean);
    if (req.method === 'GET' && keyParts.length === 0 && url.searchParams.has('uploads')) {
      listUploads(s3rverDirectory, bucket, url.searchParams.get('prefix') ?? '').then(
        (body) => res.writeHead(200, { 'content-type': 'application/xml' }).end(body),
        (error: unknown) => res.destroy(error as Error),
      );
      return;
    }
    const uploadId = url.searchParams.get('uploadId');
    if (req.method === 'DELETE' && uploadId && /^[0-9a-f]+$/.test(uploadId)) {
      req.resume();
      const dir = join(s3rverDirectory, bucket, '._S3rver_uploads', uploadId);
      stat(dir).then(
        () => rm(dir, { recursive: true }).then(() => res.writeHead(204).end()),
        () =>
          res
            .writeHead(404, { 'content-type': 'application/xml' })
            .end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchUpload</Code></Error>'),
      );
      return;
    }
    forwardRequest(upstream, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
