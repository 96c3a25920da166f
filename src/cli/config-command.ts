import type { Command } from 'commander';
import { describeConnection } from '../aws/connection-report.js';
import { loadConfigWithOrigins } from '../config/load-config.js';
import { awsServicesOf } from '../source/open-source.js';
import {
  addExportOptions,
  awsConnectionOfFlags,
  configFlagNames,
  type ExportFlags,
  flagsToConfig,
} from './export-options.js';

interface ConfigPrintFlags extends ExportFlags {
  format: 'text' | 'json';
}

export function registerConfigCommand(program: Command): void {
  const config = program.command('config').description('Inspect the configuration.');
  addExportOptions(
    config
      .command('print')
      .description(
        'Print the effective configuration of an export with the same flags, where each value came from, and the AWS Region and endpoints in effect.',
      ),
  )
    .option('--format <format>', 'text (one key per line with its origin) or json', 'text')
    .addHelpText(
      'after',
      `
Accepts every flag of \`durable-export export\`: put \`config print\` in place of \`export\` to see
what that command would use. Precedence: config/default.json < the config file (--config FILE,
else DURABLE_EXPORT_CONFIG, else ~/.config/durable-export/config.json if present) <
DURABLE_EXPORT_<SECTION>_<KEY> variables < flags. The Region is --region, else AWS_REGION, else
AWS_DEFAULT_REGION, else the profile's (--profile or AWS_PROFILE).

Example:
  DURABLE_EXPORT_LAMBDA_REQUESTS_PER_SECOND=20 durable-export config print --config config/prod.json -f orders
`,
    )
    .action(async (flags: ConfigPrintFlags) => {
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
    });
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
