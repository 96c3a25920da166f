import { awsConnectionOf } from '../aws/aws-connection.js';
import { resolveAwsConnection } from '../aws/resolve-connection.js';
import type { Config } from '../config/config-schema.js';
import { exportRequestOf } from '../config/export-request.js';
import { ConfigError } from '../errors.js';
import { type ExportJobOptions, runExportJob } from '../export-job.js';
import { openLake } from '../lake/open-lake.js';
import type { ExecutionResult, ExportSummary } from '../pipeline/run-export.js';
import { parseOutputLocation } from '../sink/output-location.js';
import { awsServicesOf } from '../source/open-source.js';
import { refuseTargets } from '../targets/target-list.js';
import { exportEachFunction } from './each-function-export.js';
import { nextWatermarks, type RunObservations } from './next-watermark.js';
import { readWatermark, type StoredWatermark, watermarkKey, writeWatermark } from './watermark.js';
import { windowOf } from './window.js';

export interface IncrementalExportOptions extends ExportJobOptions {
  /** The run's start (ms since the epoch): the end of a new window; default now. */
  now?: () => number;
}

/**
 * `export --since-last-run`: one run of the functions' watermarks (`watermark.ts`).
 *
 * 1. Reads each function's watermark. A pending window (an earlier run that did not finish its
 *    job) is taken as it is; otherwise the window is [watermark, now) and the re-check list is the
 *    watermark's, written to the watermarks as pending before anything is exported.
 * 2. Runs the export job of that window and re-check list (`runExportJob`): the same window and
 *    list give the same job, so a run cut short by `stopTakingNewAt`, or killed, is resumed by the
 *    next one, which skips what was committed.
 * 3. After the job's manifest is committed, advances each watermark to the end of the window with
 *    the executions left RUNNING (or failed) to re-check. A crash before this step leaves the
 *    window pending: the next run resumes the finished job (nothing to read, no new manifest) and
 *    then advances the watermark, so nothing is exported twice.
 *
 * A cut-short run (`complete: false`) keeps the window pending and records the executions it
 * committed RUNNING, so the run that finishes the job re-checks them next time.
 */
export async function runIncrementalExport(
  config: Config,
  options: IncrementalExportOptions = {},
): Promise<ExportSummary> {
  refuseTargets(config, 'runIncrementalExport');
  if (config.export?.source === 'state') {
    throw new ConfigError('--since-last-run reads the history source; it cannot be used with --source state');
  }
  // Watermarks are per function: with discovery, each function found is its own incremental run.
  if (config.export?.allFunctions) return exportEachFunction(config, options, runIncrementalExport);
  const base = exportRequestOf(config, {});
  if (config.export?.startedBefore !== undefined) {
    throw new ConfigError('--since-last-run sets the window itself: drop --started-before');
  }
  const connection = await resolveAwsConnection(awsConnectionOf(options), awsServicesOf(base));
  const lake = openLake(parseOutputLocation(base.out), connection);
  // A target's Region and account (several Regions or accounts), else the connection's Region.
  const place = connection.lambdaTarget ?? { region: connection.region, account: undefined };
  try {
    let stored: StoredWatermark[] = await Promise.all(
      base.functions.map((f) =>
        readWatermark(
          lake.conditional,
          watermarkKey(lake.prefix, f, place.region, place.account),
          options.signal,
        ),
      ),
    );
    const now = new Date((options.now ?? Date.now)());
    const window = windowOf(base.functions, stored, config.export?.startedAfter, now);
    if (!window.resumed) {
      stored = await Promise.all(
        stored.map((s, i) =>
          writeWatermark(
            lake.conditional,
            s,
            {
              kind: 'durable-export/watermark',
              format: 1,
              function: base.functions[i] ?? '',
              startedAfter: s.record?.startedAfter ?? window.pending.startedAfter,
              recheck: s.record?.recheck ?? [],
              pending: window.pending,
              runId: s.record?.runId,
              updatedAt: now.toISOString(),
            },
            options.signal,
          ),
        ),
      );
    }
    const seen: RunObservations = { listedRunning: new Set(), stillRunning: new Set(), results: [] };
    const recheck = new Set(window.pending.recheck);
    const summary = await runExportJob(
      {
        ...config,
        export: {
          ...config.export,
          startedAfter: window.pending.startedAfter,
          startedBefore: window.pending.startedBefore,
        },
      },
      {
        ...options,
        recheck: window.pending.recheck,
        onListed: (s) => {
          if (s.status === 'RUNNING') seen.listedRunning.add(s.arn);
        },
        onRechecked: (arn, status) => {
          if (status === 'RUNNING') seen.stillRunning.add(arn);
        },
        onResult: (result: ExecutionResult) => {
          seen.results.push(result);
          options.onResult?.(result);
        },
      },
    );
    const next = nextWatermarks(stored, window.pending, seen, summary, {
      runId: summary.commit?.runId,
      updatedAt: new Date().toISOString(),
    });
    await Promise.all(
      next.records.map((record, i) =>
        writeWatermark(lake.conditional, stored[i] as StoredWatermark, record, options.signal),
      ),
    );
    const exported = seen.results.filter((r) => r.kind === 'exported');
    return {
      ...summary,
      incremental: {
        new: exported.filter((r) => !recheck.has(r.executionArn)).length,
        rechecked: recheck.size,
        reexported: exported.filter((r) => recheck.has(r.executionArn)).length,
        stillRunning: next.stillRunning,
      },
    };
  } finally {
    lake.close();
  }
}
