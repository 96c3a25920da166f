import { describeConnection } from '../aws/connection-report.js';
import type { Config } from '../config/config-schema.js';
import { loadConfig } from '../config/load-config.js';
import { ConfigError } from '../errors.js';
import { type ExportJobOptions, runExportJob } from '../export-job.js';
import { runIncrementalExport } from '../incremental/incremental-export.js';
import { ExportInterrupted } from '../pipeline/export-interrupted.js';
import { type ExportPlan, planExport } from '../pipeline/plan-export.js';
import type { ExportSummary } from '../pipeline/run-export.js';
import { hasWorkItems, readWorkItems } from '../plan/read-work-items.js';
import { checkWorkItemConfig, runWorkItems } from '../plan/run-work-items.js';
import { awsServicesOf } from '../source/open-source.js';
import { planTargets, type TargetPlan } from '../targets/plan-targets.js';
import { runTargets } from '../targets/run-targets.js';
import { targetsOfCommand, withTargets } from '../targets/target-list.js';
import { EXIT, type InterruptSignal } from './exit-codes.js';
import { exitCodeOf, nothingExported, type OutcomeCounts } from './exit-status.js';
import {
  awsConnectionOfFlags,
  configFlagNames,
  type ExportFlags,
  flagsToConfig,
  targetFlagsOf,
} from './export-options.js';
import { glueStepOf, runGlueStep } from './glue-export-step.js';
import { checkOutputFile, STANDARD_OUTPUT, writeOutputFile } from './output-file.js';
import { formatPlan, formatTargetPlans } from './plan-report.js';
import { ProgressLine } from './progress-line.js';
import { type LogLevel, RunLogger } from './run-logger.js';
import { formatSummary } from './summary-report.js';

/** `durable-export export`: runs the export the flags describe; resolves to the exit code. */
export async function exportAction(flags: ExportFlags): Promise<number> {
  // Before anything is read: a summary that cannot be written must not fail a committed run.
  if (flags.summaryJson) await checkOutputFile(flags.summaryJson, '--summary-json');
  // `--summary-json -`: the JSON is standard output, so the human summary goes to stderr.
  const report = flags.summaryJson === STANDARD_OUTPUT ? process.stderr : process.stdout;
  const writeJson = async (value: unknown): Promise<void> => {
    if (flags.summaryJson) await writeOutputFile(flags.summaryJson, `${JSON.stringify(value, null, 2)}\n`);
  };
  const aws = awsConnectionOfFlags(flags);
  const loaded = await loadConfig({
    file: flags.config,
    env: process.env,
    flags: flagsToConfig(flags),
    flagNames: configFlagNames(),
  });
  // Several Regions or roles, or a targets file: each target is its own export (src/targets/).
  const config = withTargets(loaded, await targetsOfCommand(targetFlagsOf(flags), aws));
  const targeted = config.export?.targets !== undefined;
  if (flags.dryRun && flags.sinceLastRun) {
    throw new ConfigError('--dry-run cannot be combined with --since-last-run');
  }
  // --work-item / --shard: the plan's items set the function and window (src/plan/).
  if (hasWorkItems(flags)) {
    checkWorkItemConfig(config);
    if (targeted)
      throw new ConfigError(
        'work items name their own account and Region: drop the targets (plan takes them)',
      );
    if (flags.dryRun)
      throw new ConfigError('--dry-run with work items: run `durable-export plan` to see them');
    if (flags.sinceLastRun)
      throw new ConfigError(
        '--since-last-run cannot be combined with work items: each item names its window',
      );
  }
  const workItems = hasWorkItems(flags) ? await readWorkItems(flags, aws) : undefined;
  if (flags.dryRun && targeted) {
    const plans = await planTargets(config, aws);
    report.write(formatTargetPlans(plans));
    await writeJson(plans);
    return exitCodeOf(plannedTargetsOutcome(plans));
  }
  if (flags.dryRun) {
    const plan = await planExport(config, aws);
    report.write(formatPlan(plan));
    await writeJson(plan);
    return exitCodeOf(plannedOutcome(plan));
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
  if (flags.verbose) {
    const services = awsServicesOf(config.export ?? {});
    logger.debug('aws connection', { ...(await describeConnection(aws, services)) });
  }
  // Ctrl-C or a scheduler's SIGTERM: stop reading, commit nothing more, write the summary (marked
  // interrupted) and exit 130 or 143; the same command resumes. A second signal ends the process.
  const interrupt = new AbortController();
  let signal: InterruptSignal | undefined;
  const stop = (received: NodeJS.Signals) => {
    signal = received === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
    interrupt.abort(
      new Error(`interrupted by ${received}; completed batches are kept, run the same command to resume`),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let summary: ExportSummary;
  try {
    const job: ExportJobOptions = {
      ...aws,
      signal: interrupt.signal,
      // After every usage error was found: a refused request logs no start.
      onStart: () =>
        logger.info('export started', {
          source: config.export?.source ?? 'history',
          out: config.export?.out,
        }),
      onProgress: (s) => {
        progress?.update(s);
        log(s);
      },
    };
    const runOne = flags.sinceLastRun ? runIncrementalExport : runExportJob;
    const run = targeted ? (c: Config, o: ExportJobOptions) => runTargets(c, o, runOne) : runOne;
    summary = workItems ? await runWorkItems(config, workItems, job) : await run(config, job);
  } catch (error) {
    if (!(error instanceof ExportInterrupted)) throw error;
    summary = error.summary;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  progress?.end();
  log(summary, true);
  if (!flags.quiet) report.write(formatSummary(summary));
  await writeJson(summary);
  // --register-glue: only when something was exported, and not after an interruption.
  const glueOutcome =
    glue && !summary.interrupted && !nothingExported(summary) ? await runGlueStep(glue, aws) : undefined;
  const exitCode = exitCodeOf(summary, glueOutcome, signal);
  // --quiet: silent on success, as cron jobs want; otherwise the summary lists what failed.
  if (flags.quiet && exitCode !== EXIT.ok) report.write(formatSummary(summary));
  return exitCode;
}

/** What `--dry-run` found over several targets: their plans added up, and the targets that failed. */
function plannedTargetsOutcome(plans: readonly TargetPlan[]): OutcomeCounts {
  const counts = plans.flatMap((p) => (p.plan ? [plannedOutcome(p.plan)] : []));
  const sum = (key: keyof OutcomeCounts) => counts.reduce((n, c) => n + Number(c[key] ?? 0), 0);
  return {
    executionsExported: sum('executionsExported'),
    executionsFailed: 0,
    executionsSkipped: sum('executionsSkipped'),
    functionsFailed: sum('functionsFailed'),
    inputLinesSkipped: sum('inputLinesSkipped'),
    targetsFailed: plans.filter((p) => p.error !== undefined).length,
  };
}

/** The outcome the export would have for what `--dry-run` found: each planned execution exported. */
function plannedOutcome(plan: ExportPlan): OutcomeCounts {
  return {
    executionsExported: plan.executions.length,
    executionsFailed: 0,
    executionsSkipped: plan.executionsSkipped,
    functionsFailed: plan.functionsFailed,
    inputLinesSkipped: plan.inputLinesSkipped,
  };
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
  let fallbackLogged = false;
  return (s, final = false) => {
    for (const f of s.failures.slice(failuresLogged))
      logger.warn('failed', { subject: f.subject, reason: f.message });
    failuresLogged = s.failures.length;
    const shared = s.requests.sharedLimiter;
    if (shared?.mode === 'fallback' && !fallbackLogged) {
      fallbackLogged = true;
      logger.warn('shared limiter unavailable: going on alone at limit / workers', { ...shared });
    }
    const counts = {
      executionsListed: s.executionsListed,
      executionsExported: s.executionsExported,
      executionsSkipped: s.executionsSkipped,
      executionsFailed: s.executionsFailed,
      functionsFailed: s.functionsFailed,
      operations: s.operations,
      requests: s.requests.requests,
      throttled: s.requests.throttled,
      durationMs: Math.round(s.durationMs),
    };
    if (final && s.interrupted) {
      logger.warn('export interrupted', { ...counts, executionsUnfinished: s.executionsUnfinished });
    } else if (final)
      logger.info('export finished', { ...counts, files: s.files.length, bytesWritten: s.bytesWritten });
    else if (s.durationMs - lastProgress >= intervalMs) {
      lastProgress = s.durationMs;
      logger.info('progress', counts);
    }
  };
}
