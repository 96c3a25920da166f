import type { Command } from 'commander';

export interface VerifyFlags {
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
      // Loaded here so that `--help` and the other commands never load the verifier's modules.
      const { verifyAction } = await import('./verify-action.js');
      process.exitCode = await verifyAction(flags);
    });
}
