import type { Command } from 'commander';
import { LOCAL_S3_CREDENTIALS, localS3Environment, startLocalS3 } from '../local/local-s3.js';
import { nonNegativeInt, stopSignal } from './local-server-options.js';

interface LocalS3Flags {
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
      const s3 = await startLocalS3({ directory: flags.dir, port: flags.port, buckets: flags.bucket });
      const buckets = flags.bucket ? `, buckets ${flags.bucket.join(', ')}` : '';
      const variables = Object.entries(localS3Environment(s3.endpoint))
        .map(([name, value]) => `${name}=${value}`)
        .join(' ');
      process.stdout.write(
        `local S3 (s3rver) listening on ${s3.endpoint}, data in ${s3.directory}${buckets}\n` +
          `Set in the shell that runs durable-export:\nexport ${variables}\n`,
      );
      await stopSignal();
      await s3.close();
    });
}
