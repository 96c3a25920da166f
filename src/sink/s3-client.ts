import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

export interface CreateS3ClientOptions {
  /** AWS region; default: the SDK's chain (AWS_REGION, profile), or us-east-1 for a custom endpoint. */
  readonly region?: string;
  /**
   * Custom S3 endpoint (`--endpoint-url-s3`), e.g. `http://127.0.0.1:4568`. When unset, the SDK
   * still honours `AWS_ENDPOINT_URL_S3`/`AWS_ENDPOINT_URL`; we look at them too, to pick the
   * endpoint-specific settings below.
   */
  readonly endpoint?: string;
  /**
   * Compute request checksums and validate response checksums only when an operation requires
   * them. Default: true with a custom endpoint, false (the SDK's flexible checksums) for AWS.
   * S3-compatible servers such as s3rver store the aws-chunked framing of streamed bodies
   * verbatim under the default, silently corrupting objects (measured with s3rver 3.7.1: 1024 bytes
   * in, 1067 stored; README, "Configuration").
   */
  readonly checksumWhenRequired?: boolean;
  /** Explicit credentials (tests: S3RVER/S3RVER); default: the AWS default credential chain. */
  readonly credentials?: S3ClientConfig['credentials'];
  /** SDK retry attempts (default: the SDK's, 3). */
  readonly maxAttempts?: number;
  /**
   * A request whose socket stays silent this long fails with a TimeoutError, which the SDK retries
   * (default 120000: generous for an 8 MiB part on a slow link, short enough that a hung
   * connection cannot stall a run for ever).
   */
  readonly requestTimeoutMs?: number;
}

export const DEFAULT_S3_REQUEST_TIMEOUT_MS = 120_000;
export const DEFAULT_S3_CONNECTION_TIMEOUT_MS = 5_000;

/**
 * The custom S3 endpoint in effect: the option, else the endpoint environment variables the SDK
 * itself honours (unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is set).
 */
export function customS3Endpoint(
  endpoint: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (endpoint !== undefined && endpoint !== '') return endpoint;
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true') return undefined;
  return env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
}

/** The S3ClientConfig `createS3Client` uses; separate so the decisions are testable. */
export function s3ClientConfig(
  options: CreateS3ClientOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): S3ClientConfig {
  const endpoint = customS3Endpoint(options.endpoint, env);
  const config: S3ClientConfig = {
    // Without throwOnRequestTimeout the SDK only logs a warning when the timeout passes and waits on.
    requestHandler: {
      connectionTimeout: DEFAULT_S3_CONNECTION_TIMEOUT_MS,
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_S3_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
  };
  const region =
    options.region ?? (endpoint && !env.AWS_REGION && !env.AWS_DEFAULT_REGION ? 'us-east-1' : undefined);
  if (region) config.region = region;
  if (options.credentials) config.credentials = options.credentials;
  if (options.maxAttempts !== undefined) config.maxAttempts = options.maxAttempts;
  if (endpoint) {
    if (options.endpoint) config.endpoint = options.endpoint;
    // Local servers answer on one host name, not <bucket>.host.
    config.forcePathStyle = true;
  }
  if (options.checksumWhenRequired ?? endpoint !== undefined) {
    config.requestChecksumCalculation = 'WHEN_REQUIRED';
    config.responseChecksumValidation = 'WHEN_REQUIRED';
  }
  return config;
}

/**
 * Creates the one S3 client of a run: the AWS default credential chain and region unless given;
 * with a custom endpoint, path-style addressing and checksums only when required.
 *
 * @example
 * const s3 = createS3Client({ endpoint: 'http://127.0.0.1:4568' }); // a local s3rver
 */
export function createS3Client(options: CreateS3ClientOptions = {}): S3Client {
  return new S3Client(s3ClientConfig(options));
}
