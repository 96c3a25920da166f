import type { Command } from 'commander';
import { addExportOptions, type ExportFlags } from './export-options.js';

export interface ConfigPrintFlags extends ExportFlags {
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
      // Loaded here so that `--help` and the other commands never load the config schema.
      const { configPrintAction } = await import('./config-action.js');
      await configPrintAction(flags);
    });
}
