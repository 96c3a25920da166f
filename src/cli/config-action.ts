import { describeConnection } from '../aws/connection-report.js';
import { loadConfigWithOrigins } from '../config/load-config.js';
import { awsServicesOf } from '../source/open-source.js';
import type { ConfigPrintFlags } from './config-command.js';
import { awsConnectionOfFlags, configFlagNames, flagsToConfig } from './export-options.js';

/** `durable-export config print`: the effective configuration, each value's origin, the AWS connection. */
export async function configPrintAction(flags: ConfigPrintFlags): Promise<void> {
  const {
    config: effective,
    origins,
    file,
  } = await loadConfigWithOrigins({
    file: flags.config,
    env: process.env,
    flags: flagsToConfig(flags),
    flagNames: configFlagNames(),
  });
  const services = awsServicesOf(effective.export ?? {});
  if (flags.registerGlue) services.push('glue');
  const aws = await describeConnection(awsConnectionOfFlags(flags), services);
  if (flags.format === 'json') {
    const json = { config: effective, origins, configFile: file ?? null, aws };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  const lines: [string, unknown, string][] = [];
  if (file) lines.push(['configFile', file.path, file.foundBy]);
  for (const [section, values] of Object.entries(effective as Record<string, unknown>)) {
    pushKeys(lines, section, values, origins);
  }
  lines.push(['aws.region', aws.region?.value ?? null, aws.region?.origin ?? 'not set']);
  lines.push(['aws.profile', aws.profile?.value ?? null, aws.profile?.origin ?? 'not set']);
  for (const [service, endpoint] of Object.entries(aws.endpoints)) {
    lines.push([`aws.endpoint.${service}`, endpoint.value, endpoint.origin]);
  }
  const width = Math.max(...lines.map(([key]) => key.length));
  for (const [key, value, origin] of lines) {
    process.stdout.write(`${key.padEnd(width)}  ${JSON.stringify(value)}  (${origin})\n`);
  }
}

/** One line per key, objects within a section (`lambda.rateLimits`) key by key, as they merge. */
function pushKeys(
  lines: [string, unknown, string][],
  path: string,
  value: unknown,
  origins: Readonly<Record<string, string>>,
): void {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, v] of Object.entries(value)) pushKeys(lines, `${path}.${key}`, v, origins);
  } else {
    lines.push([path, value, origins[path] ?? 'default']);
  }
}
