import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ConfigError } from '../errors.js';
import { loadDataFile } from '../local/data-file.js';
import { startLocalService } from '../local/service/local-service.js';
import { statusChangeLines } from '../local/service/status-change-events.js';
import { startLocalSts } from '../local/sts/local-sts.js';
import { generateSyntheticExecutions } from '../local/synthetic/generate-executions.js';
import { collect } from './export-options.js';
import { nonNegativeInt, stopSignal } from './local-server-options.js';

interface LocalServiceFlags {
  port: number;
  host: string;
  data?: string;
  synthetic?: number;
  seed: number;
  functions: string;
  tokenManifestOut?: string;
  eventsOut?: string;
  callerRouting?: boolean;
  defaultAccount: string;
  stsRole?: string[];
  stsPort: number;
}

const ACCOUNT = /^\d{12}$/;

/** `--sts-role ARN[=EXTERNAL_ID]` values as the STS stand-in's roles. */
function stsRolesOf(values: readonly string[]): Record<string, { externalId?: string }> {
  return Object.fromEntries(
    values.map((value) => {
      const at = value.indexOf('=');
      return at < 0 ? [value, {}] : [value.slice(0, at), { externalId: value.slice(at + 1) }];
    }),
  );
}

export function registerLocalServiceCommand(program: Command): void {
  program
    .command('local-service')
    .description(
      "Run a local durable-execution service that speaks Lambda's wire protocol for the four read APIs (for demos and tests).",
    )
    .option('-p, --port <n>', 'port on 127.0.0.1 (0 = a free port)', nonNegativeInt, 0)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option(
      '--data <file>',
      'serve executions from a fixture file: JSON [{ "execution": ..., "events": [...] }]',
    )
    .option(
      '--synthetic <n>',
      'serve N deterministic synthetic executions (default 50 when --data is not given)',
      nonNegativeInt,
    )
    .option('--seed <n>', 'seed of the synthetic generator', nonNegativeInt, 1)
    .option(
      '--functions <names>',
      'comma-separated function names, or unqualified function ARNs to place them in other accounts and Regions, for synthetic executions',
      'orders,payments',
    )
    .option(
      '--caller-routing',
      "serve each caller only its account's and Region's functions (Region from the SigV4 scope, account from a --sts-role key)",
    )
    .option(
      '--default-account <id>',
      'with --caller-routing: the account of callers whose keys no --sts-role issued',
      '123456789012',
    )
    .option(
      '--sts-role <arn[=externalId]>',
      'also run a local STS stand-in that lets callers assume this role (with this external id); repeatable',
      collect,
    )
    .option('--sts-port <n>', 'port of the STS stand-in (0 = a free port)', nonNegativeInt, 0)
    .option(
      '--token-manifest-out <file>',
      'write a token manifest of every execution (JSON Lines), for export --source state --manifest',
    )
    .option(
      '--events-out <file>',
      'write the EventBridge status-change events of every execution (JSON Lines: RUNNING, then its end), as the events handler receives them through SQS',
    )
    .addHelpText(
      'after',
      '\nIt runs until Ctrl-C (SIGINT) or SIGTERM. It checks no credentials, but the SDK\nsigns requests, so set any (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).\n\nExample (README, "Try it locally"):\n  durable-export local-service --synthetic 200 --seed 7 --port 9001 --token-manifest-out /tmp/tokens.jsonl\n  export AWS_ENDPOINT_URL_LAMBDA=http://127.0.0.1:9001 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local\n  durable-export export -f orders --out /tmp/durable-lake\n  durable-export export --source state --manifest /tmp/tokens.jsonl --out /tmp/durable-state-lake\n',
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
      if (!ACCOUNT.test(flags.defaultAccount))
        throw new ConfigError(`--default-account must be 12 digits, got ${flags.defaultAccount}`);
      const service = await startLocalService({
        executions,
        host: flags.host,
        port: flags.port,
        callerRouting: flags.callerRouting ? { defaultAccount: flags.defaultAccount } : undefined,
      });
      const sts = flags.stsRole
        ? await startLocalSts({ roles: stsRolesOf(flags.stsRole), host: flags.host, port: flags.stsPort })
        : undefined;
      const writeOut = async (flag: string, file: string | undefined, text: () => string) => {
        if (!file) return;
        await writeFile(file, text()).catch(async (error: Error) => {
          await service.close();
          await sts?.close();
          throw new ConfigError(`cannot write ${flag} ${file}: ${error.message}`, { file }, { cause: error });
        });
      };
      await writeOut('--token-manifest-out', flags.tokenManifestOut, () => service.tokenManifest());
      await writeOut('--events-out', flags.eventsOut, () => statusChangeLines(executions));
      process.stdout.write(
        `local durable-execution service listening on ${service.url} (${executions.length} executions)\n`,
      );
      if (sts) process.stdout.write(`local STS stand-in listening on ${sts.url}\n`);
      await stopSignal();
      await service.close();
      await sts?.close();
    });
}
