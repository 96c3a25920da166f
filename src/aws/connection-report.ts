import type { AwsConnection, AwsService } from './aws-connection.js';
import { ENDPOINT_KEY, endpointSetting, type Setting } from './connection-settings.js';
import { regionInEffect } from './resolve-connection.js';

/** What a run would connect with, each value with where it came from; `null` when unset. */
export interface ConnectionReport {
  region: Setting | null;
  profile: Setting | null;
  endpoints: Record<AwsService, Setting>;
}

/**
 * The Region, profile and endpoints a run with these `services` would use, and where each comes
 * from (`config print`, `--verbose`); reads the profile's Region, never credentials.
 */
export async function describeConnection(
  connection: AwsConnection,
  services: readonly AwsService[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ConnectionReport> {
  const region = (await regionInEffect(connection, services, env)) ?? null;
  const profile = connection.profile
    ? { value: connection.profile, origin: '--profile' }
    : env.AWS_PROFILE
      ? { value: env.AWS_PROFILE, origin: 'AWS_PROFILE' }
      : null;
  const endpoint = (service: AwsService): Setting =>
    endpointSetting(service, connection[ENDPOINT_KEY[service]], env) ?? awsEndpoint(service, region?.value);
  return {
    region,
    profile,
    endpoints: { lambda: endpoint('lambda'), s3: endpoint('s3'), glue: endpoint('glue') },
  };
}

/** The public endpoint of `service` in `region` (the China Regions use `amazonaws.com.cn`). */
function awsEndpoint(service: AwsService, region: string | undefined): Setting {
  if (region === undefined) return { value: `${service}: AWS, once a Region is set`, origin: 'AWS' };
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return { value: `https://${service}.${region}.${domain}`, origin: 'AWS' };
}
