import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetDatabaseCommand } from '@aws-sdk/client-glue';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { clientOptionsOf } from '../src/aws/aws-connection.js';
import { awsClientConfig, customEndpoint } from '../src/aws/client-config.js';
import { createGlueClient, glueClientConfig } from '../src/aws/glue-client.js';
import { createLambdaClient } from '../src/aws/lambda-client.js';
import { createS3Client, s3ClientConfig } from '../src/aws/s3-client.js';

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
    expect(customEndpoint('s3', undefined, { AWS_ENDPOINT_URL: 'http://x' })).toBe('http://x');
    expect(
      customEndpoint('s3', undefined, {
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

describe('one rule for the Lambda, S3 and Glue clients', () => {
  it('takes each service its own endpoint from one connection', () => {
    const connection = {
      region: 'eu-west-1',
      endpointUrlLambda: 'http://lambda',
      endpointUrlS3: 'http://s3',
      endpointUrlGlue: 'http://glue',
    };
    expect(clientOptionsOf(connection, 'lambda')).toMatchObject({
      region: 'eu-west-1',
      endpoint: 'http://lambda',
    });
    expect(clientOptionsOf(connection, 's3')).toMatchObject({ endpoint: 'http://s3' });
    expect(clientOptionsOf(connection, 'glue')).toMatchObject({ endpoint: 'http://glue' });
  });

  it('reads AWS_ENDPOINT_URL_<SERVICE> before AWS_ENDPOINT_URL, per service', () => {
    const env = { AWS_ENDPOINT_URL_GLUE: 'http://glue', AWS_ENDPOINT_URL: 'http://any' };
    expect(customEndpoint('glue', undefined, env)).toBe('http://glue');
    expect(customEndpoint('lambda', undefined, env)).toBe('http://any');
    expect(customEndpoint('lambda', 'http://flag', env)).toBe('http://flag');
  });

  it('gives Glue the timeouts of the others, and us-east-1 only for a custom endpoint without AWS_REGION', () => {
    expect(glueClientConfig({}, {})).toEqual(HANDLER);
    expect(glueClientConfig({ endpoint: 'http://glue' }, {})).toEqual({
      ...HANDLER,
      region: 'us-east-1',
      endpoint: 'http://glue',
    });
    expect(glueClientConfig({ endpoint: 'http://glue' }, { AWS_REGION: 'eu-west-1' })).toEqual({
      ...HANDLER,
      endpoint: 'http://glue',
    });
    expect(awsClientConfig('lambda', {}, { AWS_ENDPOINT_URL_LAMBDA: 'http://l' })).toEqual({
      ...HANDLER,
      region: 'us-east-1',
    });
  });

  it('a Lambda or Glue endpoint that never answers fails with a timeout instead of hanging', async () => {
    const server = createServer(() => {
      // never answers
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const credentials = { accessKeyId: 'a', secretAccessKey: 'b' };
    const lambda = createLambdaClient({
      endpoint,
      credentials,
      maxAttempts: 1,
      connectionTimeoutMs: 1000,
      requestTimeoutMs: 300,
    });
    const glue = createGlueClient({ endpoint, credentials, maxAttempts: 1, requestTimeoutMs: 300 });
    try {
      await expect(lambda.send(new ListFunctionsCommand({}))).rejects.toMatchObject({ name: 'TimeoutError' });
      await expect(glue.send(new GetDatabaseCommand({ Name: 'd' }))).rejects.toMatchObject({
        name: 'TimeoutError',
      });
    } finally {
      lambda.destroy();
      glue.destroy();
      server.closeAllConnections();
      server.close();
    }
  });
});
