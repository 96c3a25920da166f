import { GlueClient, type GlueClientConfig } from '@aws-sdk/client-glue';
import type { AwsClientOptions } from './aws-connection.js';
import { awsClientConfig } from './client-config.js';

export type CreateGlueClientOptions = AwsClientOptions;

/** The GlueClientConfig `createGlueClient` uses; separate so the decisions are testable. */
export function glueClientConfig(
  options: CreateGlueClientOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): GlueClientConfig {
  return awsClientConfig('glue', options, env);
}

/**
 * The Glue client of `--register-glue`: the standard credential chain and region, and the same
 * endpoint, region and timeout rules as the Lambda and S3 clients.
 *
 * @example
 * const glue = createGlueClient({ endpoint: 'http://127.0.0.1:4599' }); // a local Glue stub
 */
export function createGlueClient(options: CreateGlueClientOptions = {}): GlueClient {
  return new GlueClient(glueClientConfig(options));
}
