import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { createS3Client, customS3Endpoint, s3ClientConfig } from '../src/sink/s3-client.js';

const HANDLER = {
  requestHandler: { connectionTimeout: 5000, requestTimeout: 120_000, throwOnRequestTimeout: true },
};

describe('S3 client configuration', () => {
  it('leaves AWS defaults alone without a custom endpoint', () => {
    expect(s3ClientConfig({}, {})).toEqual(HANDLER);
    expect(s3ClientConfig({ region: 'eu-west-1' }, {})).toEqual({ ...HANDLER, region: 'eu-west-1' });
  });

  it('uses path style and WHEN_REQUIRED checksums with --endpoint-url-s3', () => {
    expect(s3ClientConfig({ endpoint: 'http://127.0.0.1:4568' }, { AWS_REGION: 'eu-west-1' })).toEqual({
      ...HANDLER,
      endpoint: 'http://127.0.0.1:4568',
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  });

  it('treats AWS_ENDPOINT_URL_S3 as a custom endpoint but lets the SDK read it', () => {
    const config = s3ClientConfig({}, { AWS_ENDPOINT_URL_S3: 'http://localhost:9000' });
    expect(config).toEqual({
      ...HANDLER,
      region: 'us-east-1',
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    expect(customS3Endpoint(undefined, { AWS_ENDPOINT_URL: 'http://x' })).toBe('http://x');
    expect(
      customS3Endpoint(undefined, {
        AWS_ENDPOINT_URL_S3: 'http://x',
        AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
      }),
    ).toBe(undefined);
  });

  it('lets checksumWhenRequired override the default either way', () => {
    expect(s3ClientConfig({ endpoint: 'http://e', checksumWhenRequired: false }, {})).not.toHaveProperty(
      'requestChecksumCalculation',
    );
    expect(s3ClientConfig({ checksumWhenRequired: true }, {})).toMatchObject({
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
  });

  it('a server that accepts a request and never answers fails it with a timeout instead of hanging', async () => {
    const server = createServer(() => {
      // never answers
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = createS3Client({
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 2,
      requestTimeoutMs: 300,
    });
    try {
      await expect(
        client.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'x' })),
      ).rejects.toMatchObject({
        name: 'TimeoutError',
        $metadata: { attempts: 2 },
      });
    } finally {
      client.destroy();
      server.closeAllConnections();
      server.close();
    }
  });
});
