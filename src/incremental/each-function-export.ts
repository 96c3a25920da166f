import type { Config } from '../config/config-schema.js';
import { addSummaries } from '../pipeline/add-summaries.js';
import type { ExportSummary } from '../pipeline/run-export.js';
import { selectFunctions } from '../source/discover-functions.js';
import type { IncrementalExportOptions } from './incremental-export.js';

/** One incremental run of the functions a config names (`runIncrementalExport`). */
export type IncrementalRun = (config: Config, options: IncrementalExportOptions) => Promise<ExportSummary>;

/**
 * `--since-last-run --all-functions`: discovers the functions (`selectFunctions`), then runs one
 * incremental export per function, one after the other. Each function has its own watermark and
 * window (a function discovered later starts at `export.startedAfter`, which its first run needs),
 * so each is its own job. Past `stopTakingNewAt` no further function is started: the summary says
 * `complete: false` and the next run goes on (functions already done have little new to read).
 */
export async function exportEachFunction(
  config: Config,
  options: IncrementalExportOptions,
  runOne: IncrementalRun,
): Promise<ExportSummary> {
  const now = options.now ?? Date.now;
  const { config: selected } = await selectFunctions(config, options);
  const functions = selected.export?.functions ?? [];
  const summaries: ExportSummary[] = [];
  for (const name of functions) {
    if (options.stopTakingNewAt !== undefined && now() >= options.stopTakingNewAt) break;
    const one: Config = {
      ...selected,
      export: {
        ...selected.export,
        allFunctions: undefined,
        functionPrefix: undefined,
        functionTags: undefined,
        functions: [name],
      },
    };
    summaries.push(await runOne(one, options));
  }
  const total = addSummaries(summaries);
  if (summaries.length < functions.length) total.complete = false;
  return total;
}
