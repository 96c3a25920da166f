import { ConfigError } from '../errors.js';
import type { Config } from './config-schema.js';
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
}

// A function name, or a full/partial function ARN (as ListDurableExecutionsByFunction accepts).
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const FUNCTION_ARN =
  /^(arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:)?[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]+))?$/;
const STATUSES = new Set(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'STOPPED']);

export function exportRequestOf(
  config: Config,
  options: { stateTargetsGiven?: boolean; stateInputName?: string } = {},
): ExportRequest {
  if (sourceOf(config) === 'state') {
    return stateRequestOf(config, {
      targetsGiven: !!options.stateTargetsGiven,
      ...(options.stateInputName ? { inputName: options.stateInputName } : {}),
    });
  }
  checkSourceOptions(config);
  const e = config.export ?? {};
  const functions = e.functions ?? [];
  if (functions.length === 0) {
    throw new ConfigError(
      'no function to export: give --function NAME (or export.functions in the config file)',
    );
  }
  for (const fn of functions) {
    if (!FUNCTION_NAME.test(fn) && !FUNCTION_ARN.test(fn)) {
      throw new ConfigError(
        `invalid function ${JSON.stringify(fn)}: expected a function name (letters, digits, - and _, at most 64) or a function ARN`,
        { functionName: fn },
      );
    }
  }
  if (!e.out) throw new ConfigError('no output: give --out s3://BUCKET/PREFIX or --out ./DIR');
  const startedAfter = dateOf(e.startedAfter, '--started-after');
  const startedBefore = dateOf(e.startedBefore, '--started-before');
  if (startedAfter && startedBefore && startedAfter >= startedBefore) {
    throw new ConfigError(
      `--started-after ${e.startedAfter} is not before --started-before ${e.startedBefore}: the window is empty`,
    );
  }
  const statuses = e.statuses ?? [];
  const unknown = statuses.find((s) => !STATUSES.has(s));
  if (unknown) {
    throw new ConfigError(
      `unknown status ${JSON.stringify(unknown)}: expected one of ${[...STATUSES].join(', ')}`,
    );
  }
  return {
    functions,
    statuses,
    out: e.out,
    ...(startedAfter ? { startedAfter } : {}),
    ...(startedBefore ? { startedBefore } : {}),
  };
}

function dateOf(value: string | undefined, flag: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(date.getTime())) {
    throw new ConfigError(
      `${flag} ${JSON.stringify(value)} is not an ISO-8601 date-time like 2026-01-01T00:00:00Z`,
    );
  }
  return date;
}
