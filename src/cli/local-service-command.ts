import type { Command } from 'commander';
import { collect } from './export-options.js';
import { nonNegativeInt } from './local-server-options.js';

export interface LocalServiceFlags {
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
      // Loaded here so that `--help` and the other commands never load the service's modules.
      const { localServiceAction } = await import('./local-service-action.js');
      await localServiceAction(flags);
    });
}
