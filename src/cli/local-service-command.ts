import { type Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../errors.js';
import { loadDataFile } from '../local/data-file.js';
import { startLocalService } from '../local/service/local-service.js';
import { generateSyntheticExecutions } from '../local/synthetic/generate-executions.js';

interface LocalServiceFlags {
  port: number;
  host: string;
  data?: string;
  synthetic?: number;
  seed: number;
  functions: string;
}

export function registerLocalServiceCommand(program: Command): void {
  program
    .command('local-service')
    .description(
      "Run a local durable-execution service that speaks Lambda's wire protocol for the four read APIs (for demos and tests).",
    )
    .option('-p, --port <n>', 'port on 127.0.0.1 (0 = a free port)', toInt, 0)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option(
      '--data <file>',
      'serve executions from a fixture file: JSON [{ "execution": ..., "events": [...] }]',
    )
    .option(
      '--synthetic <n>',
      'serve N deterministic synthetic executions (default 50 when --data is not given)',
      toInt,
    )
    .option('--seed <n>', 'seed of the synthetic generator', toInt, 1)
    .option(
      '--functions <names>',
      'comma-separated function names for synthetic executions',
      'orders,payments',
    )
    .addHelpText(
      'after',
      '\nExample:\n  durable-export local-service --synthetic 200 --seed 7 --port 9001\n  AWS_ENDPOINT_URL_LAMBDA=http://127.0.0.1:9001 durable-export export -f orders --out ./lake\n',
    )
    .action(async (flags: LocalServiceFlags) => {
      if (flags.data && flags.synthetic !== undefined) {
        throw new ConfigError('--data and --synthetic cannot be used together');
      }
      const executions = flags.data
        ? await loadDataFile(flags.data)
        : generateSyntheticExecutions({
            count: flags.synthetic ?? 50,
            seed: flags.seed,
            functionNames: flags.functions.split(',').filter(Boolean),
          });
      const service = await startLocalService({ executions, host: flags.host, port: flags.port });
      process.stdout.write(
        `local durable-execution service listening on ${service.url} (${executions.length} executions)\n`,
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await service.close();
    });
}

function toInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer.');
  return n;
}
