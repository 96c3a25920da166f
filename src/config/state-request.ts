import { ConfigError } from '../errors.js';
import type { Config } from './config-schema.js';
import type { ExportRequest } from './export-request.js';

/** The source a config asks for; `history` unless `export.source` (`--source`) says `state`. */
export function sourceOf(config: Config): 'history' | 'state' {
  return config.export?.source ?? 'history';
}

/**
 * Rejects options that belong to the other source, before any work: `--manifest` with the history
 * source, and the listing filters (`--function`, `--started-after`, `--started-before`, `--status`)
 * with the state source, which reads exactly the executions its manifest names.
 */
export function checkSourceOptions(config: Config): void {
  const e = config.export ?? {};
  if (sourceOf(config) === 'history') {
    if (e.manifest !== undefined) {
      throw new ConfigError(
        '--manifest applies only to --source state; the history source finds executions with --function',
      );
    }
    return;
  }
  if (e.functions !== undefined && e.functions.length > 0) {
    throw new ConfigError(
      '--function applies only to --source history; the state source reads the executions listed in --manifest',
    );
  }
  const filters = [
    e.startedAfter !== undefined && '--started-after',
    e.startedBefore !== undefined && '--started-before',
    e.statuses !== undefined && e.statuses.length > 0 && '--status',
  ].filter((f): f is string => typeof f === 'string');
  if (filters.length > 0) {
    throw new ConfigError(
      `${filters.join(', ')} ${filters.length === 1 ? 'applies' : 'apply'} only to --source history; the state source reads exactly the executions in --manifest`,
    );
  }
}

/**
 * The checked request of a state-source export: an output and a manifest (JSON Lines of
 * `{durableExecutionArn, checkpointToken}`, a path or `s3://BUCKET/KEY`). `targetsGiven` is true when
 * the caller passes the executions in code (`exportFromInvocation`), so no manifest is needed;
 * `inputName` then names them in place of the manifest's location (the job identity).
 */
export function stateRequestOf(
  config: Config,
  options: { targetsGiven: boolean; inputName?: string },
): ExportRequest {
  checkSourceOptions(config);
  const e = config.export ?? {};
  if (!options.targetsGiven && e.manifest === undefined) {
    throw new ConfigError(
      'no manifest: --source state needs --manifest FILE (JSON Lines of {"durableExecutionArn": ..., "checkpointToken": ...}; a path or s3://BUCKET/KEY)',
    );
  }
  if (!e.out) throw new ConfigError('no output: give --out s3://BUCKET/PREFIX or --out ./DIR');
  return {
    source: 'state',
    functions: [],
    statuses: [],
    out: e.out,
    manifest: options.targetsGiven && options.inputName ? options.inputName : e.manifest,
  };
}
