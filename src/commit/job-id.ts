import { createHash } from 'node:crypto';
import type { ExportRequest } from '../config/export-request.js';
import { SCHEMA_VERSION, TABLE_NAMES } from '../schema/index.js';
import type { SourceName } from '../source/execution-source.js';

/**
 * What an export job is: the inputs that decide which executions it exports and how their rows
 * look. Two runs with the same definition are the same job, so the second resumes the first (and
 * skips what it committed) instead of exporting everything again.
 *
 * The output location is deliberately not part of it: the job's state lives inside the output
 * (`PREFIX/_state/<jobId>/`), so it can never be confused with another lake's, and leaving the
 * location out keeps the id stable when the same lake is reached by another path (`./lake` from
 * another directory, a moved or copied lake, `s3://b/p` vs `s3://b/p/`).
 */
export interface JobDefinition {
  /** Function names or ARNs, sorted, without duplicates. */
  readonly functions: string[];
  readonly startedAfter: string | null;
  readonly startedBefore: string | null;
  /** Status filter, sorted; empty means all statuses. */
  readonly statuses: string[];
  readonly source: SourceName;
  /** The input naming the executions (state source: the token manifest's location), else null. */
  readonly input: string | null;
  readonly schemaVersion: number;
  /**
   * Column redaction rules (`redaction` config, not its key), canonical JSON, or null. Part of the
   * job so that a resumed run never mixes files written under other rules.
   */
  readonly redaction: string | null;
  /**
   * The tables written (`export.tables`) in the schema's order, or null for all of them. Part of the
   * job so that a re-run with other tables is another job, not the resumption of this one.
   */
  readonly tables: string[] | null;
  /**
   * `--since-last-run`: the executions the job checks again (RUNNING at the last run), sorted, or
   * absent. A job that lists an execution here may export it again: `verify` accepts its new version.
   */
  readonly recheck?: string[];
  /** The executions named by ARN (`export.executionArns`), sorted, or null when they are listed. */
  readonly executions?: string[] | null;
  /**
   * Several Regions or accounts (`export.targets`): the target read, so that the same function name
   * in two Regions or accounts is two jobs, each resumed by its own re-run. Absent for one target.
   */
  readonly target?: { region: string; account: string | null; roleArn: string | null };
}

/** The job definition of an export request read by `source`. */
export function jobDefinitionOf(
  request: ExportRequest,
  source: SourceName,
  redactionRules?: Readonly<Record<string, string | undefined>>,
  target?: { region: string; account?: string; roleArn?: string },
): JobDefinition {
  const rules = Object.entries(redactionRules ?? {})
    .filter(([, rule]) => rule !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  return {
    functions: [...new Set(request.functions)].sort(),
    startedAfter: request.startedAfter?.toISOString() ?? null,
    startedBefore: request.startedBefore?.toISOString() ?? null,
    statuses: [...new Set(request.statuses)].sort(),
    source,
    input: request.manifest ?? null,
    schemaVersion: SCHEMA_VERSION,
    redaction: rules.length > 0 ? JSON.stringify(rules) : null,
    tables: tablesOfJob(request.tables),
    recheck: request.recheck?.length ? [...new Set(request.recheck)].sort() : undefined,
    executions: request.executionArns?.length ? [...new Set(request.executionArns)].sort() : null,
    target: target
      ? { region: target.region, account: target.account ?? null, roleArn: target.roleArn ?? null }
      : undefined,
  };
}

/** 24 hex digits (96 bits) of the SHA-256 of the definition's canonical JSON. */
export function jobIdOf(definition: JobDefinition): string {
  const canonical = JSON.stringify([
    definition.functions,
    definition.startedAfter,
    definition.startedBefore,
    definition.statuses,
    definition.source,
    definition.input,
    definition.schemaVersion,
    // Appended only when set, so jobs without redaction keep the ids they always had.
    ...(definition.redaction === null ? [] : [definition.redaction]),
    // Likewise only when not every table is written.
    ...(definition.tables === null ? [] : [definition.tables]),
    // Likewise only for an incremental run that re-checks executions.
    ...(definition.recheck === undefined ? [] : [{ recheck: definition.recheck }]),
    // Likewise only when the executions are named, not listed.
    ...(definition.executions ? [{ executions: definition.executions }] : []),
    // Likewise only for one of several targets.
    ...(definition.target ? [{ target: definition.target }] : []),
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 24);
}

/** The chosen tables in the schema's order, or null when they are all of them. */
function tablesOfJob(tables: readonly string[] | undefined): string[] | null {
  if (tables === undefined) return null;
  const chosen = TABLE_NAMES.filter((table) => tables.includes(table));
  return chosen.length === TABLE_NAMES.length ? null : chosen;
}
