import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { awsConnectionOf } from '../aws/aws-connection.js';
import { openLake } from '../lake/open-lake.js';
import { parseOutputLocation } from '../sink/output-location.js';
import { verifyLake } from '../verify/verify-lake.js';
import { EXIT } from './exit-codes.js';
import { formatVerifyReport } from './verify-report.js';

interface VerifyFlags {
  out: string;
  region?: string;
  endpointUrlS3?: string;
  duckdb: boolean;
  json?: string;
}

export function registerVerifyCommand(program: Command): void {
  program
    .command('verify')
    .description(
      'Check a lake against its manifests: every committed file present, intact (size, SHA-256, rows) and readable; no extra or doubled data.',
    )
    .requiredOption('-o, --out <location>', 'the lake: s3://BUCKET/PREFIX or a local directory')
    .option('--region <region>', 'AWS region (default: AWS_REGION or the profile)')
    .option('--endpoint-url-s3 <url>', 'S3 endpoint (default: AWS_ENDPOINT_URL_S3 or AWS)')
    .option('--no-duckdb', 'do not also read every file with DuckDB')
    .option('--json <file>', 'also write the report as JSON to this file')
    .addHelpText(
      'after',
      '\nExit codes: 0 the lake matches its manifests; 1 something is missing, extra, corrupt or doubled.\n\nExamples:\n  durable-export verify --out s3://my-lake/durable\n  durable-export verify --out ./lake\n',
    )
    .action(async (flags: VerifyFlags) => {
      process.exitCode = await verifyAction(flags);
    });
}

async function verifyAction(flags: VerifyFlags): Promise<number> {
  const lake = openLake(parseOutputLocation(flags.out), awsConnectionOf(flags));
  try {
    const report = await verifyLake(lake, { duckdb: flags.duckdb });
    process.stdout.write(formatVerifyReport(report));
    if (flags.json) await writeFile(flags.json, `${JSON.stringify(report, null, 2)}\n`);
    return report.problems.length === 0 ? EXIT.ok : EXIT.partial;
  } finally {
    lake.close();
  }
}
