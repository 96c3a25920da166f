import { ConfigError } from '../errors.js';
import { TABLE_NAMES, type TableName } from '../schema/index.js';
import type { Config } from './config-schema.js';
import { executionsGiven, executionsRequestOf } from './executions-request.js';
import { checkSourceOptions, sourceOf, stateRequestOf } from './state-request.js';

/** What to export, checked: at least one valid function, a sane time window, an output. */
export interface ExportRequest {
  functions: string[];
  startedAfter?: Date;
  startedBefore?: Date;
  statuses: string[];
  out: string;
  /** `state` reads the executions of `manifest` (or given in code) with GetDurableExecutionState; default history. */
  source?: 'history' | 'state';
  /** State source: the manifest's location, or the name of the executions given in code; part of the job identity. */
  manifest?: string;
  /** The tables written, in the schema's order (`export.tables`); absent means all. Part of the job identity. */
  tables?: TableName[];
  /**
   * `--since-last-run`: executions RUNNING (or failed) at the last run, checked again and exported
   * again if their status changed. Part of the job identity. Not a config key: the watermark sets it.
   */
  recheck?: string[];
  /** Exactly these executions, sorted, without repeats (`export.executionArns`); part of the job identity. */
  executionArns?: string[];
}

/**
 * The checked request of a run. Each value's format (function names and ARNs, ISO-8601 dates,
 * statuses) is the config schema's to check (`config-schema.ts`); this checks what the values must
 * be together: the source's own options, at least one function, an output, a non-empty window.
 */
export function exportRequestOf(
  config: Config,
  options: { stateTargetsGiven?: boolean; stateInputName?: string } = {},
): ExportRequest {
  if (sourceOf(config) === 'state') {
    const request = stateRequestOf(config, {
      targetsGiven: !!options.stateTargetsGiven,
      inputName: options.stateInputName,
    });
    return { ...request, tables: tablesOf(config) };
  }
  if (executionsGiven(config)) return { ...executionsRequestOf(config), tables: tablesOf(config) };
  checkSourceOptions(config);
  const e = config.export ?? {};
  const functions = e.functions ?? [];
  if (functions.length === 0) {
    throw new ConfigError(
      'no function to export: give --function NAME or --all-functions (or export.functions in the config file)',
    );
  }
  if (!e.out) throw new ConfigError('no output: give --out s3://BUCKET/PREFIX or --out ./DIR');
  const startedAfter = dateOf(e.startedAfter);
  const startedBefore = dateOf(e.startedBefore);
  if (startedAfter && startedBefore && startedAfter >= startedBefore) {
    throw new ConfigError(
      `--started-after ${e.startedAfter} is not before --started-before ${e.startedBefore}: the window is empty`,
    );
  }
  return {
    functions,
    statuses: e.statuses ?? [],
    out: e.out,
    startedAfter,
    startedBefore,
    tables: tablesOf(config),
  };
}

/** `export.tables` in the schema's order without duplicates; every table when unset. */
export function tablesOf(config: Config): TableName[] {
  const chosen = new Set(config.export?.tables ?? TABLE_NAMES);
  return TABLE_NAMES.filter((table) => chosen.has(table));
}

/** An ISO-8601 date-time the schema has checked, as a Date. */
function dateOf(value: string | undefined): Date | undefined {
  return value === undefined ? undefined : new Date(value);
}
