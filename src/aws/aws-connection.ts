import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { ENDPOINT_KEY, endpointSetting } from './connection-settings.js';

/** The AWS services durable-export calls, each with its own client and endpoint. */
export type AwsService = 'lambda' | 's3' | 'glue';

/** The services with an endpoint setting: those, and STS (a target's role is assumed through it). */
export type AwsEndpointService = AwsService | 'sts';

/**
 * Where the Lambda client of a multi-account or multi-Region run reads: the target's Region and
 * credentials (a role assumed there), which apply to the Lambda client only; S3, Glue and STS keep
 * the connection's own (the lake and the base credentials). Built by `targetConnection`.
 */
export interface LambdaTarget {
  readonly region: string;
  /** The target's credentials; default: the connection's. */
  readonly credentials?: AwsCredentials;
  /** The account read, when known (the role's): the scope of its quotas. */
  readonly account?: string;
  readonly roleArn?: string;
}

/** Static keys or a provider (`fromIni`, `fromTemporaryCredentials`, ...); the same type for every client. */
export type AwsCredentials = NonNullable<S3ClientConfig['credentials']>;

/**
 * How a run reaches AWS: built once (from the CLI's `--region`/`--endpoint-url-*` flags or a library
 * caller's options) and passed down to every client. The keys are the flags' names, so the flags
 * and the library options (`ExportJobOptions`, `OpenLakeOptions`, ...) are connections as they are.
 * Unset values fall back to the standard chain: `AWS_REGION`, `AWS_DEFAULT_REGION` or the profile,
 * the `AWS_ENDPOINT_URL_<SERVICE>` variables, the default credential chain (`resolveAwsConnection`
 * checks them before a run reads or writes anything).
 */
export interface AwsConnection {
  /** AWS region of every client (`--region`). */
  readonly region?: string;
  /**
   * Named profile of `~/.aws/config` and `~/.aws/credentials` for credentials and Region
   * (`--profile`; `AWS_PROFILE` semantics: it wins over `AWS_ACCESS_KEY_ID`).
   */
  readonly profile?: string;
  /** Lambda endpoint (`--endpoint-url-lambda`). */
  readonly endpointUrlLambda?: string;
  /** S3 endpoint (`--endpoint-url-s3`). */
  readonly endpointUrlS3?: string;
  /** Glue endpoint (`--endpoint-url-glue`). */
  readonly endpointUrlGlue?: string;
  /** STS endpoint, for assuming a target's role (`--endpoint-url-sts`). */
  readonly endpointUrlSts?: string;
  /** Credentials of every client; default: the AWS default credential chain. */
  readonly credentials?: AwsCredentials;
  /** The target the Lambda client reads (`targetConnection`); default: the connection's Region and credentials. */
  readonly lambdaTarget?: LambdaTarget;
}

/** What every client of `src/aws/` is built from: where it connects, as whom, and how patiently. */
export interface AwsClientOptions {
  /** AWS region; default: `AWS_REGION`, `AWS_DEFAULT_REGION`, us-east-1 for a custom endpoint, the profile's. */
  readonly region?: string;
  /** Named profile for credentials and Region (`AwsConnection.profile`). */
  readonly profile?: string;
  /**
   * Custom endpoint, e.g. `http://127.0.0.1:4568`. When unset, the SDK still honours
   * `AWS_ENDPOINT_URL_<SERVICE>`/`AWS_ENDPOINT_URL`; we look at them too (`customEndpoint`).
   */
  readonly endpoint?: string;
  /** Explicit credentials; default: the AWS default credential chain. */
  readonly credentials?: AwsCredentials;
  /** SDK attempts per request, the first included (default: the SDK's, 3). */
  readonly maxAttempts?: number;
  /** TCP connection timeout (default 5000). */
  readonly connectionTimeoutMs?: number;
  /**
   * A request whose socket stays silent this long fails with a TimeoutError, which the SDK retries
   * (default 120000: generous for an 8 MiB part on a slow link, short enough that a hung
   * connection cannot stall a run for ever).
   */
  readonly requestTimeoutMs?: number;
}

/** The connection's part for one service's client: region, that service's endpoint, credentials. */
export function clientOptionsOf(connection: AwsConnection, service: AwsEndpointService): AwsClientOptions {
  const target = service === 'lambda' ? connection.lambdaTarget : undefined;
  return {
    region: target?.region ?? connection.region,
    profile: connection.profile,
    endpoint: connection[ENDPOINT_KEY[service]],
    credentials: target?.credentials ?? connection.credentials,
  };
}

/**
 * Only the connection keys of `options` (CLI flags, a library call's options), so the object passed
 * down carries nothing else. An endpoint that is not an http(s) URL is a usage error (`ConfigError`)
 * naming its flag, found here before anything runs.
 */
export function awsConnectionOf(options: AwsConnection): AwsConnection {
  for (const [service, key] of Object.entries(ENDPOINT_KEY)) {
    endpointSetting(service as AwsEndpointService, options[key], {});
  }
  return {
    region: options.region,
    profile: options.profile,
    endpointUrlLambda: options.endpointUrlLambda,
    endpointUrlS3: options.endpointUrlS3,
    endpointUrlGlue: options.endpointUrlGlue,
    endpointUrlSts: options.endpointUrlSts,
    credentials: options.credentials,
    lambdaTarget: options.lambdaTarget,
  };
}
