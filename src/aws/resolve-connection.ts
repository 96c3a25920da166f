import { LambdaClient } from '@aws-sdk/client-lambda';
import { ConfigError, describeError } from '../errors.js';
import type { AwsConnection, AwsCredentials, AwsService } from './aws-connection.js';
import { awsClientConfig } from './client-config.js';
import { ENDPOINT_KEY, endpointSetting, regionSetting, type Setting } from './connection-settings.js';

/**
 * How long the credential chain may take before a run gives up. The chain ends with the EC2
 * instance metadata service (IMDS), which on a machine that is not an EC2 instance never answers.
 * We do not set `AWS_EC2_METADATA_DISABLED`: the instance or task role is how many scheduled
 * exports get their credentials, and the SDK already bounds IMDS (1 s per request, no retries), so
 * a laptop without credentials fails within seconds. This bound covers what the SDK does not: a
 * `credential_process` or SSO refresh that hangs.
 */
export const CREDENTIALS_TIMEOUT_MS = 10_000;

export interface ResolveConnectionOptions {
  env?: NodeJS.ProcessEnv;
  /** Default `CREDENTIALS_TIMEOUT_MS`. */
  credentialsTimeoutMs?: number;
}

/**
 * The connection a run uses, checked before it reads or writes anything: every endpoint is a URL
 * (a usage error names the flag or variable otherwise), the Region is known, and the credentials
 * resolve. The Region is `--region`, else `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the
 * profile's `region` (the SDK's own loader: `--profile`/`AWS_PROFILE`, `~/.aws/config`), else
 * us-east-1 when every service of the run has a custom endpoint (local servers); else it is a
 * `ConfigError` saying what to set. The credentials are the given ones, else the SDK's default chain
 * (with `--profile`), resolved once here and then shared by every client as one provider, which
 * refreshes them when they expire.
 */
export async function resolveAwsConnection(
  connection: AwsConnection,
  services: readonly AwsService[],
  options: ResolveConnectionOptions = {},
): Promise<AwsConnection> {
  const env = options.env ?? process.env;
  const region = (await regionInEffect(connection, services, env))?.value;
  if (region === undefined) {
    throw new ConfigError(
      `no AWS Region: give --region REGION, or set AWS_REGION (or AWS_DEFAULT_REGION), or a region in the profile${profileNote(connection, env)} in ~/.aws/config`,
    );
  }
  const credentials = await checkedCredentials(
    { ...connection, region },
    env,
    options.credentialsTimeoutMs ?? CREDENTIALS_TIMEOUT_MS,
  );
  return { ...connection, region, credentials };
}

/**
 * The Region a run with these `services` uses, and where it comes from (`resolveAwsConnection`);
 * undefined when none is set. `config print` shows it.
 */
export async function regionInEffect(
  connection: AwsConnection,
  services: readonly AwsService[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<Setting | undefined> {
  const set = regionSetting(connection.region, env);
  if (set) return set;
  const fromProfile = await profileRegion(connection.profile);
  if (fromProfile) {
    return { value: fromProfile, origin: `profile "${connection.profile ?? env.AWS_PROFILE ?? 'default'}"` };
  }
  const allCustom = services.every((s) => endpointSetting(s, connection[ENDPOINT_KEY[s]], env));
  if (services.length > 0 && allCustom) return { value: 'us-east-1', origin: 'default for custom endpoints' };
  return undefined;
}

/** The profile's `region`, read by the SDK's own loader (as every client would), or undefined. */
async function profileRegion(profile: string | undefined): Promise<string | undefined> {
  const client = new LambdaClient({ profile });
  try {
    return await client.config.region();
  } catch {
    return undefined; // "Region is missing": the profile has none
  } finally {
    client.destroy();
  }
}

async function checkedCredentials(
  connection: AwsConnection,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<AwsCredentials> {
  const given = connection.credentials;
  if (given !== undefined && typeof given !== 'function') return given;
  // The default chain exactly as a client builds it (with the profile); resolved once, shared after.
  const probe = new LambdaClient(
    awsClientConfig('lambda', { region: connection.region, profile: connection.profile }, env),
  );
  const provider = given ?? probe.config.credentials;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      provider(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the credential chain did not answer within ${timeoutMs / 1000} s`)),
          timeoutMs,
        );
      }),
    ]);
    return provider;
  } catch (cause) {
    throw new ConfigError(
      `no AWS credentials${profileNote(connection, env)}: set AWS_PROFILE (or --profile) to a profile of ~/.aws/config, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (any values do for the local service and a local S3); ${describeError(cause)}`,
      {},
      { cause },
    );
  } finally {
    clearTimeout(timer);
    probe.destroy();
  }
}

function profileNote(connection: AwsConnection, env: NodeJS.ProcessEnv): string {
  const profile = connection.profile ?? env.AWS_PROFILE;
  return profile ? ` (profile "${profile}")` : '';
}
