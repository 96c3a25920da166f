import { checkDatabaseName, checkTablePrefix, DEFAULT_DATABASE } from '../athena/catalog-names.js';
import { type S3Lake, s3LakeOf } from '../athena/lake-location.js';
import type { GlueTableOutcome } from '../athena/register-glue-tables.js';
import type { GlueViewOutcome } from '../athena/register-glue-views.js';
import { type AwsConnection, clientOptionsOf } from '../aws/aws-connection.js';
import { ConfigError, describeError } from '../errors.js';
import type { GlueOutcome } from './exit-status.js';

/**
 * `export --register-glue`: after the export, create or update the lake's tables in the Glue Data
 * Catalog, then the `<table>_latest` views (`registerGlueTables`, `registerGlueViews`). The flags
 * are checked before the export starts, so a local `--out` or a bad database name fails at once
 * (exit 2) instead of after a long export.
 */

export interface GlueFlags {
  registerGlue?: boolean;
  glueDatabase?: string;
  glueTablePrefix?: string;
  endpointUrlGlue?: string;
}

/** The checked registration to run after the export. */
export interface GlueStep {
  readonly lake: S3Lake;
  readonly database: string;
  readonly tablePrefix: string;
}

/** The registration `flags` ask for, checked against `out`; undefined without `--register-glue`. */
export function glueStepOf(flags: GlueFlags, out: string | undefined): GlueStep | undefined {
  if (!flags.registerGlue) {
    const stray = [
      flags.glueDatabase !== undefined && '--glue-database',
      flags.glueTablePrefix !== undefined && '--glue-table-prefix',
      flags.endpointUrlGlue !== undefined && '--endpoint-url-glue',
    ].filter(Boolean);
    if (stray.length > 0) throw new ConfigError(`${stray.join(', ')}: only with --register-glue`);
    return undefined;
  }
  if (out === undefined) return undefined; // the export itself reports the missing --out
  return {
    lake: s3LakeOf(out, '--register-glue'),
    database: checkDatabaseName(flags.glueDatabase ?? DEFAULT_DATABASE, '--glue-database'),
    tablePrefix: checkTablePrefix(flags.glueTablePrefix ?? '', '--glue-table-prefix'),
  };
}

/**
 * Registers the tables and prints one line per table. A failure is reported, not thrown: the
 * export is complete and committed, so the run ends partial (exit 1, `exitCodeOf`) rather than fatal.
 */
export async function runGlueStep(
  step: GlueStep,
  aws: AwsConnection,
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<GlueOutcome> {
  // Loaded here so that an export without --register-glue never loads the Glue client.
  const [{ registerGlueTables }, { registerGlueViews }, { createGlueClient }] = await Promise.all([
    import('../athena/register-glue-tables.js'),
    import('../athena/register-glue-views.js'),
    import('../aws/glue-client.js'),
  ]);
  const client = createGlueClient(clientOptionsOf(aws, 'glue'));
  try {
    const outcomes = await registerGlueTables({
      client,
      lake: step.lake,
      database: step.database,
      tablePrefix: step.tablePrefix,
    });
    for (const outcome of outcomes) out.write(`${describeOutcome(outcome)}\n`);
    const views = await registerGlueViews({
      client,
      lake: step.lake,
      database: step.database,
      tablePrefix: step.tablePrefix,
    });
    for (const outcome of views) out.write(`${describeViewOutcome(outcome)}\n`);
    return 'registered';
  } catch (error) {
    err.write(
      `durable-export: --register-glue failed (the export itself is complete): ${describeError(error)}\n`,
    );
    return 'failed';
  } finally {
    client.destroy();
  }
}

export function describeOutcome(o: GlueTableOutcome): string {
  const table = `${o.database}.${o.table}`;
  if (o.action === 'created') return `glue: created table ${table}`;
  if (o.action === 'appended') return `glue: appended ${o.addedColumns.join(', ')} to ${table}`;
  const newer = o.newerColumns.length > 0 ? ` (it also has newer columns: ${o.newerColumns.join(', ')})` : '';
  return `glue: table ${table} is up to date${newer}`;
}

export function describeViewOutcome(o: GlueViewOutcome): string {
  const view = `${o.database}.${o.view}`;
  if (o.action === 'unchanged') return `glue: view ${view} is up to date`;
  return `glue: ${o.action} view ${view}`;
}
