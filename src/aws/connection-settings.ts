import { ConfigError } from '../errors.js';
import type { AwsConnection, AwsEndpointService } from './aws-connection.js';

/** A setting in effect and where it came from (a flag, a variable, the profile, a default). */
export interface Setting {
  readonly value: string;
  readonly origin: string;
}

/** The connection's keys are the flags' names: `endpointUrlLambda` is `--endpoint-url-lambda`. */
export const ENDPOINT_KEY = {
  lambda: 'endpointUrlLambda',
  s3: 'endpointUrlS3',
  glue: 'endpointUrlGlue',
  sts: 'endpointUrlSts',
} as const satisfies Record<AwsEndpointService, keyof AwsConnection>;

const ENDPOINT_ENV: Record<AwsEndpointService, string> = {
  lambda: 'AWS_ENDPOINT_URL_LAMBDA',
  s3: 'AWS_ENDPOINT_URL_S3',
  glue: 'AWS_ENDPOINT_URL_GLUE',
  sts: 'AWS_ENDPOINT_URL_STS',
};

/** The CLI flag of an option key: `endpointUrlLambda` -> `--endpoint-url-lambda`. */
export function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * The custom endpoint in effect for `service`: `endpoint` (the flag), else the variables the SDK
 * itself honours (`AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`) unless
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is set; undefined for AWS's own endpoint. A value that is
 * not an http(s) URL is a usage error naming the flag or variable it came from.
 */
export function endpointSetting(
  service: AwsEndpointService,
  endpoint: string | undefined,
  env: NodeJS.ProcessEnv,
): Setting | undefined {
  const setting = endpointFrom(service, endpoint, env);
  if (setting) checkEndpointUrl(setting);
  return setting;
}

function endpointFrom(service: AwsEndpointService, endpoint: string | undefined, env: NodeJS.ProcessEnv) {
  if (endpoint !== undefined && endpoint !== '') {
    return { value: endpoint, origin: flagOf(ENDPOINT_KEY[service]) };
  }
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true') return undefined;
  for (const name of [ENDPOINT_ENV[service], 'AWS_ENDPOINT_URL']) {
    const value = env[name];
    if (value) return { value, origin: name };
  }
  return undefined;
}

function checkEndpointUrl({ value, origin }: Setting): void {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw new ConfigError(
      `invalid ${origin} ${JSON.stringify(value)}: expected an http:// or https:// URL, e.g. http://127.0.0.1:9001`,
    );
  }
}

/**
 * The Region set by the user, without reading a profile: `--region`, else `AWS_REGION`, else
 * `AWS_DEFAULT_REGION` (the AWS CLI's variable, which the SDK for JavaScript does not read).
 */
export function regionSetting(region: string | undefined, env: NodeJS.ProcessEnv): Setting | undefined {
  if (region) return { value: region, origin: '--region' };
  for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION']) {
    const value = env[name];
    if (value) return { value, origin: name };
  }
  return undefined;
}
