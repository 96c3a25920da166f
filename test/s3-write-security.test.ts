import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { runExportJob } from '../src/export-job.js';
import type { LocalS3 } from '../src/local/local-s3.js';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { type ProxiedRequest, startFaultProxy } from './support/fault-proxy.js';
import { problemLines } from './support/log-lines.js';
import { rateLimitsAll } from './support/rate-limits.js';
import { runCli } from './support/run-cli.js';
import { largeInputExecutions } from './support/test-executions.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

const OWNER = '123456789012';
const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const source = [
  ...generateSyntheticExecutions({ count: 5, seed: 71, functionNames: ['orders'] }),
  ...largeInputExecutions({
    count: 1,
    seed: 72,
    functionName: 'orders',
    day: '2026-03-01',
    inputBytes: 6 << 20,
  }),
];

/** The S3 operation of a recorded request, from its method and query (path-style addressing). */
function operationOf({ method, url }: ProxiedRequest): string {
  const q = url.searchParams;
  if (method === 'PUT') return q.has('partNumber') ? 'UploadPart' : 'PutObject';
  if (method === 'POST') return q.has('uploads') ? 'CreateMultipartUpload' : 'CompleteMultipartUpload';
  if (method === 'DELETE') return q.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
  return `${method} ${q.has('list-type') ? 'ListObjectsV2' : 'object'}`;
}

const WRITES_WITH_SSE = ['PutObject', 'CreateMultipartUpload'];

describe('S3 encryption and bucket-owner headers on every call', () => {
  const servers = useTestServers('s3-security-');
  let s3: LocalS3;
  let service: RunningLocalService;

  beforeAll(async () => {
    s3 = await servers.localS3('secure-lake');
    service = await servers.localService({ executions: source });
    Object.assign(process.env, LOCAL_AWS_ENV);
  });

  async function recordedExport(run: (s3Endpoint: string) => Promise<unknown>): Promise<ProxiedRequest[]> {
    const proxy = await startFaultProxy({ upstream: s3.endpoint, service: 's3', seed: 0, record: true });
    try {
      await run(proxy.endpoint);
    } finally {
      await proxy.close();
    }
    return proxy.recorded;
  }

  it('sse aws:kms with a key: SSE headers on PutObject and CreateMultipartUpload, the owner everywhere', async () => {
    const config = await loadConfig({
      flags: {
        lambda: { rateLimits: rateLimitsAll(1000) },
        sink: { partSizeBytes: 5 << 20 },
        s3: { sse: 'aws:kms', kmsKeyId: KEY_ARN, expectedBucketOwner: OWNER },
        export: { functions: ['orders'], out: 's3://secure-lake/kms' },
      },
    });
    const requests = await recordedExport((endpoint) =>
      runExportJob(config, { endpointUrlLambda: service.url, endpointUrlS3: endpoint }).then((summary) =>
        expect(summary.failures).toEqual([]),
      ),
    );
    const seen = new Set(requests.map(operationOf));
    for (const op of ['PutObject', 'CreateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload']) {
      expect(seen, op).toContain(op);
    }
    expect(seen).toContain('AbortMultipartUpload'); // the write probe
    for (const request of requests) {
      const op = operationOf(request);
      expect(request.headers['x-amz-expected-bucket-owner'], op).toBe(OWNER);
      const sse = WRITES_WITH_SSE.includes(op);
      expect(request.headers['x-amz-server-side-encryption'], op).toBe(sse ? 'aws:kms' : undefined);
      expect(request.headers['x-amz-server-side-encryption-aws-kms-key-id'], op).toBe(
        sse ? KEY_ARN : undefined,
      );
    }
  });

  it('--sse AES256 and --expected-bucket-owner from the command line', async () => {
    const requests = await recordedExport(async (endpoint) => {
      const result = await runCli(
        ['export', '-f', 'orders', '--out', 's3://secure-lake/aes', '--sse', 'AES256'].concat(
          [
            '--expected-bucket-owner',
            OWNER,
            '--endpoint-url-lambda',
            service.url,
            '--endpoint-url-s3',
            endpoint,
          ],
          ['--requests-per-second', '1000'],
        ),
        LOCAL_AWS_ENV,
      );
      expect(problemLines(result.stderr)).toEqual([]);
      expect(result.code).toBe(0);
    });
    const writes = requests.filter((r) => WRITES_WITH_SSE.includes(operationOf(r)));
    expect(writes.length).toBeGreaterThan(0);
    for (const r of writes) expect(r.headers['x-amz-server-side-encryption']).toBe('AES256');
    for (const r of requests) {
      expect(r.headers['x-amz-expected-bucket-owner']).toBe(OWNER);
      expect(r.headers['x-amz-server-side-encryption-aws-kms-key-id']).toBeUndefined();
    }
  });

  it('refuses a KMS key without aws:kms and a malformed owner before any request (exit 2)', async () => {
    const env = { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y', AWS_REGION: 'us-east-1' };
    const base = ['export', '-f', 'orders', '--out', join(servers.work, 'never')];
    const key = await runCli([...base, '--kms-key-id', KEY_ARN], env);
    expect(key.code).toBe(2);
    expect(key.stderr).toContain('--kms-key-id (s3.kmsKeyId) needs --sse aws:kms');
    const owner = await runCli([...base, '--expected-bucket-owner', '12345'], env);
    expect(owner.code).toBe(2);
    expect(owner.stderr).toContain(
      'invalid --expected-bucket-owner: expected a 12-digit AWS account id, got "12345"',
    );
  });
});
