import { ConfigError } from '../errors.js';
import type { Config } from './config-schema.js';
import type { ExportRequest } from './export-request.js';

/** True when the config names the executions to export (`export.executionArns`, `--execution-arn`). */
export function executionsGiven(config: Config): boolean {
  return (config.export?.executionArns?.length ?? 0) > 0;
}

/**
 * The checked request of an export of given executions: the history source reads exactly them, so
 * the listing options (`--function` and its filters) and `--source state` do not combine with it.
 * The ARNs, sorted and without repeats, are part of the job identity: the same set is the same job.
 */
export function executionsRequestOf(config: Config): ExportRequest {
  const e = config.export ?? {};
  const clashing = [
    e.source === 'state' && '--source state',
    e.manifest !== undefined && '--manifest',
    (e.functions?.length ?? 0) > 0 && '--function',
    e.startedAfter !== undefined && '--started-after',
    e.startedBefore !== undefined && '--started-before',
    (e.statuses?.length ?? 0) > 0 && '--status',
  ].filter((f): f is string => typeof f === 'string');
  if (clashing.length > 0) {
    throw new ConfigError(
      `${clashing.join(', ')} cannot be combined with --execution-arn (export.executionArns), which names exactly the executions to export`,
    );
  }
  if (!e.out) throw new ConfigError('no output: give --out s3://BUCKET/PREFIX or --out ./DIR');
  return {
    functions: [],
    statuses: [],
    out: e.out,
    executionArns: [...new Set(e.executionArns)].sort(),
  };
}
