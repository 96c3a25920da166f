import {
  AlreadyExistsException,
  CreateDatabaseCommand,
  CreateTableCommand,
  EntityNotFoundException,
  GetDatabaseCommand,
  GetTableCommand,
  type GlueClient,
  type Table,
  type TableInput,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import { describeError, ExportError } from '../errors.js';
import type { TableSpec } from '../schema/index.js';
import { glueTableInput } from './glue-table-input.js';
import { type GlueTablePlan, planGlueTable } from './glue-table-plan.js';
import type { S3Lake } from './lake-location.js';
import { lakeTableDefinitions } from './table-definition.js';

export interface RegisterGlueTablesOptions {
  /** From `createGlueClient`; injected so tests and callers share one. */
  readonly client: GlueClient;
  /** Where the lake is: `export --out s3://BUCKET/PREFIX`. */
  readonly lake: S3Lake;
  /** Default `durable_export`; created when missing. */
  readonly database?: string;
  /** Prepended to the table names (default none). */
  readonly tablePrefix?: string;
  /** First day of the `dt` projection of tables this call creates (default 2025-12-01). */
  readonly projectionStart?: string;
  /** The table specs (default the lake's tables; tests pass a schema variant). */
  readonly tables?: readonly TableSpec[];
}

/** What happened to one table. */
export interface GlueTableOutcome {
  readonly database: string;
  readonly table: string;
  readonly action: 'created' | 'unchanged' | 'appended';
  /** Columns appended by UpdateTable (`appended` only). */
  readonly addedColumns: readonly string[];
  /** Columns the table has beyond ours (a newer durable-export registered it); left alone. */
  readonly newerColumns: readonly string[];
}

/**
 * Creates or updates the lake's tables in the Glue Data Catalog, idempotently: the database is
 * created if missing; per table, GetTable, then CreateTable if missing, nothing if equal, and
 * UpdateTable appending our newer columns at the end if its columns are a prefix of ours. A
 * renamed or retyped column, another location or other partition keys fail with an `ExportError`
 * naming the table and column, and nothing is changed for that table.
 *
 * IAM: glue:GetDatabase, glue:CreateDatabase, glue:GetTable, glue:CreateTable, glue:UpdateTable.
 */
export async function registerGlueTables(options: RegisterGlueTablesOptions): Promise<GlueTableOutcome[]> {
  const definitions = lakeTableDefinitions(
    {
      lake: options.lake,
      database: options.database,
      tablePrefix: options.tablePrefix,
      projectionStart: options.projectionStart,
    },
    options.tables,
  );
  const database = definitions[0]?.database;
  if (database === undefined) return [];
  await ensureDatabase(options.client, database);
  const outcomes: GlueTableOutcome[] = [];
  for (const definition of definitions) {
    outcomes.push(await registerTable(options.client, database, glueTableInput(definition)));
  }
  return outcomes;
}

/** Creates the database unless it exists. */
export async function ensureDatabase(client: GlueClient, name: string): Promise<void> {
  try {
    await client.send(new GetDatabaseCommand({ Name: name }));
    return;
  } catch (error) {
    if (!(error instanceof EntityNotFoundException)) throw failed(`GetDatabase ${name}`, error);
  }
  try {
    await client.send(
      new CreateDatabaseCommand({
        DatabaseInput: { Name: name, Description: 'Lambda durable executions exported by durable-export.' },
      }),
    );
  } catch (error) {
    // Created by someone else in the meantime: that is what we wanted.
    if (!(error instanceof AlreadyExistsException)) throw failed(`CreateDatabase ${name}`, error);
  }
}

/** One table; a CreateTable that loses a race with another registration is planned again once. */
async function registerTable(
  client: GlueClient,
  database: string,
  desired: TableInput,
): Promise<GlueTableOutcome> {
  for (let round = 1; ; round++) {
    const plan = planGlueTable(await getTable(client, database, String(desired.Name)), desired, database);
    try {
      await apply(client, database, plan);
      return outcomeOf(database, String(desired.Name), plan);
    } catch (error) {
      if (plan.action === 'create' && error instanceof AlreadyExistsException && round === 1) continue;
      throw failed(
        `${plan.action === 'create' ? 'CreateTable' : 'UpdateTable'} ${database}.${desired.Name}`,
        error,
      );
    }
  }
}

export async function getTable(
  client: GlueClient,
  database: string,
  name: string,
): Promise<Table | undefined> {
  try {
    const { Table: table } = await client.send(new GetTableCommand({ DatabaseName: database, Name: name }));
    return table;
  } catch (error) {
    if (error instanceof EntityNotFoundException) return undefined;
    throw failed(`GetTable ${database}.${name}`, error);
  }
}

async function apply(client: GlueClient, database: string, plan: GlueTablePlan): Promise<void> {
  if (plan.action === 'create') {
    await client.send(new CreateTableCommand({ DatabaseName: database, TableInput: plan.input }));
  } else if (plan.action === 'append') {
    await client.send(new UpdateTableCommand({ DatabaseName: database, TableInput: plan.input }));
  }
}

function outcomeOf(database: string, table: string, plan: GlueTablePlan): GlueTableOutcome {
  const action = plan.action === 'create' ? 'created' : plan.action === 'append' ? 'appended' : 'unchanged';
  return {
    database,
    table,
    action,
    addedColumns: plan.action === 'append' ? plan.added : [],
    newerColumns: plan.action === 'unchanged' ? plan.behind : [],
  };
}

/** A Glue call that failed, as an `ExportError` naming the call, with the cause. */
export function failed(what: string, cause: unknown): ExportError {
  if (cause instanceof ExportError) return cause;
  return new ExportError(`Glue ${what} failed: ${describeError(cause)}`, { stage: 'sink' }, { cause });
}
