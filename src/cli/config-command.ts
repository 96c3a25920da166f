import type { Command } from 'commander';
import { loadConfigWithOrigins } from '../config/load-config.js';

interface ConfigPrintFlags {
  config?: string;
  format: 'text' | 'json';
}

export function registerConfigCommand(program: Command): void {
  const config = program.command('config').description('Inspect the configuration.');
  config
    .command('print')
    .description('Print the effective configuration and where each value came from.')
    .option('-c, --config <file>', 'JSON config file to layer over config/default.json')
    .option('--format <format>', 'text (one key per line with its origin) or json', 'text')
    .addHelpText(
      'after',
      '\nPrecedence: config/default.json < --config FILE < DURABLE_EXPORT_<SECTION>_<KEY> env < flags.\n\nExample:\n  DURABLE_EXPORT_LAMBDA_REQUESTS_PER_SECOND=20 durable-export config print --config config/prod.json\n',
    )
    .action(async (flags: ConfigPrintFlags) => {
      const { config: effective, origins } = await loadConfigWithOrigins({
        file: flags.config,
        env: process.env,
      });
      if (flags.format === 'json') {
        process.stdout.write(`${JSON.stringify({ config: effective, origins }, null, 2)}\n`);
        return;
      }
      const lines: [string, unknown][] = [];
      for (const [section, values] of Object.entries(effective as Record<string, unknown>)) {
        if (typeof values === 'object' && values !== null && !Array.isArray(values)) {
          for (const [key, value] of Object.entries(values)) lines.push([`${section}.${key}`, value]);
        } else {
          lines.push([section, values]);
        }
      }
      const width = Math.max(...lines.map(([key]) => key.length));
      for (const [key, value] of lines) {
        process.stdout.write(
          `${key.padEnd(width)}  ${JSON.stringify(value)}  (${origins[key] ?? 'default'})\n`,
        );
      }
    });
}
