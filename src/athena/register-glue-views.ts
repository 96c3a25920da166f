import {
  AlreadyExistsException,
  CreateTableCommand,
  type GlueClient,
  type Table,
  type TableInput,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import { ExportError } from '../errors.js';
import type { TableSpec } from '../schema/index.js';
import type { S3Lake } from './lake-location.js';
import { glueViewInput, latestViews } from './latest-views.js';
import { ensureDatabase, failed, getTable } from './register-glue-tables.js';

export interface RegisterGlueViewsOptions {
  readonly client: GlueClient;
  readonly lake: S3Lake;
  readonly database?: string;
  readonly tablePrefix?: string;
  /** The table specs (default the lake's tables). */
  readonly tables?: readonly TableSpec[];
}

/** What happened to one view. */
export interface GlueViewOutcome {
  readonly database: string;
  readonly view: string;
  readonly action: 'created' | 'unchanged' | 'replaced';
}

/**
 * Creates or updates the `<table>_latest` views in the Glue Data Catalog as Presto views Athena
 * reads (`glueViewInput`), idempotently: per view, GetTable, then CreateTable if missing, nothing
 * if its view text and columns are ours, else UpdateTable (a view holds no data: replacing it is
 * safe). A table of that name that is not a view fails with an `ExportError` and is left alone.
 *
 * IAM: glue:GetDatabase, glue:CreateDatabase, glue:GetTable, glue:CreateTable, glue:UpdateTable.
 */
export async function registerGlueViews(options: RegisterGlueViewsOptions): Promise<GlueViewOutcome[]> {
  const views = latestViews(
    { lake: options.lake, database: options.database, tablePrefix: options.tablePrefix },
    options.tables,
  );
  const database = views[0]?.database;
  if (database === undefined) return [];
  await ensureDatabase(options.client, database);
  const outcomes: GlueViewOutcome[] = [];
  for (const view of views) {
    const input = glueViewInput(view);
    outcomes.push({ database, view: view.name, action: await registerView(options.client, database, input) });
  }
  return outcomes;
}

async function registerView(
  client: GlueClient,
  database: string,
  input: TableInput,
): Promise<GlueViewOutcome['action']> {
  const name = String(input.Name);
  const existing = await getTable(client, database, name);
  if (existing && existing.TableType !== 'VIRTUAL_VIEW') {
    throw new ExportError(
      `Glue table ${database}.${name} exists and is not a view (TableType ${String(existing.TableType)}); it is left alone: drop or rename it to register the view`,
      { stage: 'sink' },
    );
  }
  if (existing && sameView(existing, input)) return 'unchanged';
  try {
    if (existing) {
      await client.send(new UpdateTableCommand({ DatabaseName: database, TableInput: input }));
      return 'replaced';
    }
    await client.send(new CreateTableCommand({ DatabaseName: database, TableInput: input }));
    return 'created';
  } catch (error) {
    // Created by another registration in the meantime: the same view, from the same schema.
    if (!existing && error instanceof AlreadyExistsException) return 'unchanged';
    throw failed(`${existing ? 'UpdateTable' : 'CreateTable'} ${database}.${name}`, error);
  }
}

function sameView(existing: Table, input: TableInput): boolean {
  const columns = (t: Table | TableInput) =>
    JSON.stringify((t.StorageDescriptor?.Columns ?? []).map((c) => [c.Name, c.Type]));
  return existing.ViewOriginalText === input.ViewOriginalText && columns(existing) === columns(input);
}
