import { type AwsConnection, awsConnectionOf } from '../aws/aws-connection.js';
import { resolveAwsConnection } from '../aws/resolve-connection.js';
import { targetConnection } from '../aws/target-connection.js';
import type { Config } from '../config/config-schema.js';
import type { ExportTarget } from '../config/target-schema.js';
import { describeError, ExportError } from '../errors.js';
import type { ExportJobOptions } from '../export-job.js';
import { ExportInterrupted } from '../pipeline/export-interrupted.js';
import { type ExportSummary, emptySummary } from '../pipeline/export-summary.js';
import { checkFunctionSelection, NoDurableFunctions } from '../source/discover-functions.js';
import { awsServicesOf } from '../source/open-source.js';
import { targetLabel } from './target-list.js';
import {
  combineTargetOutcomes,
  type TargetOutcome,
  type TargetPlace,
  type TargetsSummary,
} from './targets-summary.js';

/** One run for one target: `runExportJob`, `runIncrementalExport`, ... */
export type TargetJob = (config: Config, options: ExportJobOptions) => Promise<ExportSummary>;

/** What one target gave: its value, or the error that failed it. */
export type EachTargetOutcome<T> = TargetPlace & ({ value: T; error?: never } | { error: Error });

/**
 * Calls `one` for each target of `export.targets`, one after the other, with a config without
 * targets and the target's connection (`targetConnection`: its Region, its role's credentials;
 * the lake keeps the base connection). A role is assumed before `one` runs, so a role that cannot
 * be assumed fails its target at once. A target's error is its outcome and the next target goes
 * on; an abort (`signal`) or `ExportInterrupted` stops the loop, `outcomes` holding the targets
 * done so far; past `stopTakingNewAt` no further target is started. Usage errors of the config as
 * a whole are found before the first target.
 */
export async function forEachTarget<T>(
  config: Config,
  options: AwsConnection & { signal?: AbortSignal; stopTakingNewAt?: number },
  one: (single: Config, connection: AwsConnection, place: TargetPlace) => Promise<T>,
  outcomes: EachTargetOutcome<T>[] = [],
): Promise<EachTargetOutcome<T>[]> {
  const targets = config.export?.targets ?? [];
  checkFunctionSelection(config);
  // The base connection: the lake's, and the credentials every role is assumed with.
  const base = await resolveAwsConnection(
    awsConnectionOf({ ...options, region: options.region ?? targets[0]?.region }),
    awsServicesOf(config.export ?? {}),
  );
  const single: Config = { ...config, export: { ...config.export, targets: undefined } };
  for (const target of targets) {
    // A time budget (the scheduled handler): no target is started past it; the next run goes on.
    if (options.stopTakingNewAt !== undefined && Date.now() >= options.stopTakingNewAt) break;
    const connection = targetConnection(base, target);
    const place: TargetPlace = {
      account: connection.lambdaTarget?.account ?? null,
      region: target.region,
      roleArn: target.roleArn ?? null,
    };
    try {
      await assumeRole(connection.lambdaTarget?.credentials, target);
      outcomes.push({ ...place, value: await one(single, connection, place) });
    } catch (error) {
      if (error instanceof ExportInterrupted || options.signal?.aborted) throw error;
      const context = error instanceof ExportError ? error.context : { stage: 'source' as const };
      outcomes.push({ ...place, error: new ExportError(describeError(error), context, { cause: error }) });
    }
  }
  return outcomes;
}

/**
 * Runs `runOne` once per target (`forEachTarget`), each target's export its own job (the job
 * identity holds the target) with its own per-API limiters. A failed target is one failed target
 * in the summary, with its error and cause; the others go on. An interruption stops after the
 * current target (`ExportInterrupted` with the summary so far).
 */
export async function runTargets(
  config: Config,
  options: ExportJobOptions,
  runOne: TargetJob,
): Promise<TargetsSummary> {
  const outcomes: EachTargetOutcome<ExportSummary>[] = [];
  const combined = () =>
    combineTargetOutcomes(
      outcomes.map((o): TargetOutcome => (o.error ? o : { ...o, summary: o.value })),
      targetLabel,
    );
  let current: TargetPlace | undefined;
  const one = (single: Config, connection: AwsConnection, place: TargetPlace) => {
    current = place;
    const nothing = { ...emptySummary('history', undefined), listingComplete: true };
    return noFunctionsAs(runOne(single, { ...options, ...connection }), nothing);
  };
  try {
    await forEachTarget(config, options, one, outcomes);
  } catch (error) {
    if (!(error instanceof ExportInterrupted) || current === undefined) throw error;
    outcomes.push({ ...current, value: error.summary });
    throw new ExportInterrupted(combined(), error.cause);
  }
  const summary = combined();
  // Targets left for the next run (`stopTakingNewAt`).
  if (outcomes.length < (config.export?.targets?.length ?? 0)) summary.complete = false;
  return summary;
}

/**
 * A target where `--all-functions` finds no durable function has nothing to export: `none`, not a
 * failed target (a fleet's Regions need not all run durable functions).
 */
export async function noFunctionsAs<T>(run: Promise<T>, none: T): Promise<T> {
  try {
    return await run;
  } catch (error) {
    if (error instanceof NoDurableFunctions) return none;
    throw error;
  }
}

async function assumeRole(credentials: unknown, target: ExportTarget): Promise<void> {
  if (typeof credentials !== 'function') return;
  try {
    await credentials();
  } catch (cause) {
    throw new ExportError(
      `cannot assume role ${target.roleArn}${target.externalId ? ' with the external id given' : ''}: ${describeError(cause)}`,
      { stage: 'source' },
      { cause },
    );
  }
}
