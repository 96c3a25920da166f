import type { Command } from 'commander';
import { LOCAL_S3_CREDENTIALS } from '../local/local-s3-credentials.js';
import { nonNegativeInt } from './local-server-options.js';

export interface LocalS3Flags {
  port: number;
  dir?: string;
  bucket?: string[];
}

export function registerLocalS3Command(program: Command): void {
  program
    .command('local-s3')
    .description(
      'Run a local S3 (s3rver, a development dependency) for trying durable-export without AWS; prints the environment variables that point durable-export at it.',
    )
    .option('-p, --port <n>', 'port on 127.0.0.1 (0 = a free port)', nonNegativeInt, 0)
    .option('--dir <dir>', 'where buckets and objects are kept (default: a temp dir, removed on exit)')
    .option(
      '--bucket <name>',
      'create this bucket (repeat for several; existing ones are kept)',
      (name: string, names: string[] = []) => [...names, name],
    )
    .addHelpText(
      'after',
      `\nIt runs until Ctrl-C (SIGINT) or SIGTERM. It accepts only the access key ${LOCAL_S3_CREDENTIALS.accessKeyId},\nand it lacks ListMultipartUploads, so \`cleanup\` against it exits 3.\n\nExample:\n  durable-export local-s3 --port 9002 --dir /tmp/durable-s3 --bucket lake\n`,
    )
    .action(async (flags: LocalS3Flags) => {
      // Loaded here so that `--help` and the other commands never load the S3 client.
      const { localS3Action } = await import('./local-s3-action.js');
      await localS3Action(flags);
    });
}
