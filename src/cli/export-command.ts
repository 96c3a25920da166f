import type { Command } from 'commander';
import { addExportOptions, type ExportFlags } from './export-options.js';

export function registerExportCommand(program: Command): void {
  addExportOptions(
    program
      .command('export')
      .description(
        'Export durable executions (every checkpointed operation) to a Parquet lake on S3 or a directory.',
      ),
  )
    .addHelpText(
      'after',
      `
Output: a live progress line on a terminal, else log lines on stderr (--log-level, --log-format);
the summary on stdout. --quiet prints errors only, and the summary only when the exit code is not 0;
--verbose adds debug log lines (Region, profile and endpoints in use), also on a terminal.
--summary-json - writes the JSON summary to stdout, and the printed summary to stderr.

Exit codes: 0 all exported; 1 partial (some executions, function listings or input lines failed:
listed); 2 usage or configuration error; 3 fatal or nothing exported (batches already completed
stay committed; the same command resumes); 130 interrupted by SIGINT (Ctrl-C), 143 by SIGTERM (the
summary and --summary-json are still written, marked interrupted; the same command resumes).
--dry-run exits as the export would for what it finds (3 when every function listing fails).

Examples:
  durable-export export --function orders --out s3://my-lake/durable --started-after 2026-01-01T00:00:00Z
  durable-export export -f orders -f payments --status FAILED --out ./lake --summary-json summary.json
  durable-export export -f orders --out s3://my-lake/durable --dry-run
  durable-export export --source state --manifest tokens.jsonl --out ./lake
  durable-export export -f orders --out s3://my-lake/durable --since-last-run --started-after 2026-01-01
  durable-export export --all-functions --function-prefix prod- --out s3://my-lake/durable --dry-run
  durable-export export --plan s3://my-lake/plans/jan.jsonl --shard 0/3 --out s3://my-lake/durable
  durable-export export --all-functions --region eu-west-1 --region us-east-1 \\
    --role-arn arn:aws:iam::222222222222:role/durable-export-reader --external-id ID --out s3://my-lake/durable
`,
    )
    .action(async (flags: ExportFlags) => {
      // Loaded here so that `--help` and the other commands never load the export's modules.
      const { exportAction } = await import('./export-action.js');
      process.exitCode = await exportAction(flags);
    });
}
