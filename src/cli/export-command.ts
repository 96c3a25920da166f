import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { awsConnectionOf } from '../aws/aws-connection.js';
import { describeConnection } from '../aws/connection-report.js';
import { loadConfig } from '../config/load-config.js';
import { runExportJob } from '../export-job.js';
import { planExport } from '../pipeline/plan-export.js';
import type { ExportSummary } from '../pipeline/run-export.js';
import { awsServicesOf } from '../source/open-source.js';
import { EXIT } from './exit-codes.js';
import { exitCodeOf, nothingExported } from './exit-status.js';
import { addExportOptions, configFlagNames, type ExportFlags, flagsToConfig } from './export-options.js';
import { glueStepOf, runGlueStep } from './glue-export-step.js';
import { formatPlan } from './plan-report.js';
import { ProgressLine } from './progress-line.js';
import { type LogLevel, RunLogger } from './run-logger.js';
import { formatSummary } from './summary-report.js';

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

Exit codes: 0 all exported, 1 partial (some executions or input lines failed: listed), 2 usage or
configuration error, 3 fatal or nothing exported (batches already completed stay committed; the
same command resumes).

Examples:
  durable-export export --function orders --out s3://my-lake/durable --started-after 2026-01-01T00:00:00Z
  durable-export export -f orders -f payments --status FAILED --out ./lake --summary-json summary.json
  durable-export export -f orders --out s3://my-lake/durable --dry-run
  durable-export export --source state --manifest tokens.jsonl --out ./lake
`,
    )
    .action(async (flags: ExportFlags) => {
      process.exitCode = await exportAction(flags);
    });
}

async function exportAction(flags: ExportFlags): Promise<number> {
  const config = await loadConfig({
    file: flags.config,
    env: process.env,
    flags: flagsToConfig(flags),
    flagNames: configFlagNames(),
  });
  const aws = awsConnectionOf(flags);
  if (flags.dryRun) {
    const plan = await planExport(config, aws);
    process.stdout.write(formatPlan(plan));
    if (flags.summaryJson) await writeFile(flags.summaryJson, `${JSON.stringify(plan, null, 2)}\n`);
    return plan.problems.length > 0 ? EXIT.partial : EXIT.ok;
  }
  const glue = glueStepOf(flags, config.export?.out);
  const onTerminal = process.stderr.isTTY === true;
  const progress =
    flags.progress && onTerminal && !flags.quiet && !flags.verbose
      ? new ProgressLine(process.stderr, { requestsPerSecond: config.lambda.requestsPerSecond })
      : undefined;
  // On a terminal the progress line is the live view; elsewhere (CI, schedulers) structured logs are.
  const logger = new RunLogger({
    level: logLevelOf(flags, progress !== undefined),
    format: flags.logFormat ?? (onTerminal ? 'text' : 'json'),
    stream: process.stderr,
  });
  const log = runLog(logger);
  logger.info('export started', { source: config.export?.source ?? 'history', out: config.export?.out });
  if (flags.verbose) {
    const services = awsServicesOf(config.export ?? {});
    logger.debug('aws connection', { ...(await describeConnection(aws, services)) });
  }
  // Ctrl-C or a scheduler's SIGTERM: stop reading, commit nothing more; the same command resumes.
  const interrupt = new AbortController();
  const stop = (signal: NodeJS.Signals) =>
    interrupt.abort(
      new Error(`interrupted by ${signal}; completed batches are kept, run the same command to resume`),
    );
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const summary = await runExportJob(config, {
    ...aws,
    signal: interrupt.signal,
    onProgress: (s) => {
      progress?.update(s);
      log(s);
    },
  });
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  progress?.end();
  log(summary, true);
  if (!flags.quiet) process.stdout.write(formatSummary(summary));
  if (flags.summaryJson) await writeFile(flags.summaryJson, `${JSON.stringify(summary, null, 2)}\n`);
  // --register-glue: only when something was exported.
  const glueOutcome = glue && !nothingExported(summary) ? await runGlueStep(glue, aws) : undefined;
  const exitCode = exitCodeOf(summary, glueOutcome);
  // --quiet: silent on success, as cron jobs want; otherwise the summary lists what failed.
  if (flags.quiet && exitCode !== EXIT.ok) process.stdout.write(formatSummary(summary));
  return exitCode;
}

/** `--quiet` errors only, `--verbose` debug, else `--log-level`; only warnings under the progress line. */
function logLevelOf(flags: ExportFlags, progressLine: boolean): LogLevel {
  if (flags.quiet) return 'error';
  if (flags.verbose) return 'debug';
  return progressLine ? 'warn' : flags.logLevel;
}

/** Logs each new failure once (warn), progress every 10 s (info), and the end of the run (info). */
function runLog(
  logger: RunLogger,
  intervalMs = 10_000,
): (s: Readonly<ExportSummary>, final?: boolean) => void {
  let failuresLogged = 0;
  let lastProgress = 0;
  return (s, final = false) => {
    for (const f of s.failures.slice(failuresLogged))
      logger.warn('failed', { subject: f.subject, reason: f.message });
    failuresLogged = s.failures.length;
    const counts = {
      executionsListed: s.executionsListed,
      executionsExported: s.executionsExported,
      executionsFailed: s.executionsFailed,
      operations: s.operations,
      requests: s.requests.requests,
      throttled: s.requests.throttled,
      durationMs: Math.round(s.durationMs),
    };
    if (final)
      logger.info('export finished', { ...counts, files: s.files.length, bytesWritten: s.bytesWritten });
    else if (s.durationMs - lastProgress >= intervalMs) {
      lastProgress = s.durationMs;
      logger.info('progress', counts);
    }
  };
}
