import { GlueClient, type GlueClientConfig } from '@aws-sdk/client-glue';

export interface CreateGlueClientOptions {
  /** AWS region; default: the SDK's chain (AWS_REGION, profile), or us-east-1 for a custom endpoint. */
  readonly region?: string;
  /**
   * Custom Glue endpoint (`--endpoint-url-glue`). When unset, the SDK itself honours
   * `AWS_ENDPOINT_URL_GLUE` and `AWS_ENDPOINT_URL`, exactly as for Lambda and S3.
   */
  readonly endpoint?: string;
  /** Explicit credentials (tests); default: the AWS default credential chain. */
  readonly credentials?: GlueClientConfig['credentials'];
  /** SDK retry attempts (default: the SDK's, 3). */
  readonly maxAttempts?: number;
}

/** The custom Glue endpoint in effect: the option, else the variables the SDK honours. */
export function customGlueEndpoint(
  endpoint: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (endpoint !== undefined && endpoint !== '') return endpoint;
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true') return undefined;
  return env.AWS_ENDPOINT_URL_GLUE || env.AWS_ENDPOINT_URL || undefined;
}

/** The GlueClientConfig `createGlueClient` uses; separate so the decisions are testable. */
export function glueClientConfig(
  options: CreateGlueClientOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): GlueClientConfig {
  const custom = customGlueEndpoint(options.endpoint, env);
  const config: GlueClientConfig = {};
  const region =
    options.region ?? (custom && !env.AWS_REGION && !env.AWS_DEFAULT_REGION ? 'us-east-1' : undefined);
  if (region) config.region = region;
  if (options.endpoint) config.endpoint = options.endpoint;
  if (options.credentials) config.credentials = options.credentials;
  if (options.maxAttempts !== undefined) config.maxAttempts = options.maxAttempts;
  return config;
}

/**
 * The Glue client of `--register-glue`: the standard credential chain and region, and the same
 * endpoint rules as the Lambda and S3 clients.
 *
 * @example
 * const glue = createGlueClient({ endpoint: 'http://127.0.0.1:4599' }); // a local Glue stub
 */
export function createGlueClient(options: CreateGlueClientOptions = {}): GlueClient {
  return new GlueClient(glueClientConfig(options));
}
