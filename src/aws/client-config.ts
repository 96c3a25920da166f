import type { AwsClientOptions, AwsCredentials, AwsEndpointService } from './aws-connection.js';
import { endpointSetting } from './connection-settings.js';

export const DEFAULT_CONNECTION_TIMEOUT_MS = 5_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;

/** The settings every client shares; each SDK client config accepts this shape. */
export interface AwsClientConfig {
  region?: string;
  profile?: string;
  endpoint?: string;
  credentials?: AwsCredentials;
  maxAttempts?: number;
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: true };
}

/**
 * The custom endpoint in effect for `service`: the option, else the endpoint environment variables
 * the SDK itself honours (`AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`), unless
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is set (`endpointSetting`).
 */
export function customEndpoint(
  service: AwsEndpointService,
  endpoint: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  return endpointSetting(service, endpoint, env)?.value;
}

/**
 * The part of a client's config every service shares: the region, the profile, the endpoint,
 * credentials, attempts, and timeouts. The region is the option, else `AWS_REGION` (which the SDK
 * reads itself), else `AWS_DEFAULT_REGION` (which it does not: we honour it as the AWS CLI does),
 * else us-east-1 for a custom endpoint (local servers do not care, and the SDK refuses to sign
 * without), else the profile's, which the SDK reads.
 *
 * Unset options stay out of the object: the SDK spreads a client's config over its own defaults
 * (`{ ...sharedDefaults, ...config }` in `getRuntimeConfig`), so a present `undefined` could
 * replace a default.
 */
export function awsClientConfig(
  service: AwsEndpointService,
  options: AwsClientOptions,
  env: NodeJS.ProcessEnv = process.env,
): AwsClientConfig {
  const custom = customEndpoint(service, options.endpoint, env);
  const config: AwsClientConfig = {
    requestHandler: {
      connectionTimeout: options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      // Without it the SDK only logs a warning when requestTimeout passes and keeps waiting; a
      // stalled answer would hold a request (and a limiter slot) forever. As an error it is a
      // TimeoutError, which the retry strategy retries.
      throwOnRequestTimeout: true,
    },
  };
  const region = options.region || (env.AWS_REGION ? undefined : env.AWS_DEFAULT_REGION || undefined);
  if (region) config.region = region;
  else if (custom && !env.AWS_REGION) config.region = 'us-east-1';
  if (options.profile) config.profile = options.profile;
  // An endpoint from the environment is left to the SDK, which reads it itself.
  if (options.endpoint) config.endpoint = options.endpoint;
  if (options.credentials) config.credentials = options.credentials;
  if (options.maxAttempts !== undefined) config.maxAttempts = options.maxAttempts;
  return config;
}
