import { LAKE_TABLES, latestViewName, tablesWithLatestView } from '../schema/index.js';
import { type DtFilter, dtFilterOf, type SqlNode } from './dt-conditions.js';

/**
 * What a query reads of the lake: the tables it names and, per table, the `dt` partitions its
 * WHERE clauses select, so that `query` over an `s3://` lake fetches only those files. It errs on
 * the side of reading more: a table name anywhere in the SQL (even in a string) counts, and a
 * table read in any way this module does not follow (a join type other than inner, outer or
 * cross; a CTE of the same name; a mention outside a FROM clause) is read whole. Only an alias
 * (`count(*) AS executions`) or a qualifier (`executions.dt`) of the same name is not a read.
 */
export type QueryScope = ReadonlyMap<string, DtFilter | 'all'>;

/** Join kinds where a WHERE term on one table's `dt` cannot be met by rows of its other days. */
const PRUNABLE_JOINS = new Set(['REGULAR', 'CROSS']);

const word = (name: string): RegExp =>
  new RegExp(`(?<![A-Za-z0-9_$])${name.replace(/[^A-Za-z0-9_]/g, '\\$&')}(?![A-Za-z0-9_$])`, 'gi');

/**
 * The places in `sql` that may read `table`: its name as a word, except where it is an alias being
 * defined (`AS executions`) or a qualifier (`executions.dt`), which never read the table.
 */
function readMentions(sql: string, table: string): number {
  return [...sql.matchAll(word(table))].filter((m) => {
    const before = sql.slice(0, m.index);
    const after = sql.slice(m.index + m[0].length);
    return !/\bAS\s+"?$/i.test(before) && !/^"?\s*\./.test(after);
  }).length;
}

const lower = (value: unknown): string => String(value ?? '').toLowerCase();

/** Every object in the tree, depth first. */
function* nodesOf(value: unknown): Generator<SqlNode> {
  if (Array.isArray(value)) {
    for (const item of value) yield* nodesOf(item);
  } else if (value !== null && typeof value === 'object') {
    yield value as SqlNode;
    for (const child of Object.values(value)) yield* nodesOf(child);
  }
}

/** The base tables of a FROM clause a WHERE term can prune, or undefined for other joins. */
function prunableTables(from: unknown): SqlNode[] | undefined {
  const node = from as SqlNode | null | undefined;
  if (!node) return [];
  if (node.type === 'BASE_TABLE') return [node];
  if (node.type !== 'JOIN') return [];
  if (!PRUNABLE_JOINS.has(node.ref_type as string)) return undefined;
  const left = prunableTables(node.left);
  const right = prunableTables(node.right);
  return left && right ? [...left, ...right] : undefined;
}

/** The WHERE filter of each base table a SELECT reads directly in its FROM clause. */
function selectFilters(select: SqlNode, filters: Map<SqlNode, DtFilter>): void {
  const tables = prunableTables(select.from_table);
  if (!tables) return;
  const single = (select.from_table as SqlNode | null)?.type === 'BASE_TABLE';
  for (const table of tables) {
    const name = lower(table.alias) || lower(table.table_name);
    const isDt = (ref: unknown): boolean => {
      const r = ref as SqlNode | undefined;
      if (r?.class !== 'COLUMN_REF') return false;
      const parts = (r.column_names as unknown[]).map(lower);
      if (parts.length === 1) return single && parts[0] === 'dt';
      return parts.length === 2 && parts[0] === name && parts[1] === 'dt';
    };
    const filter = dtFilterOf(select.where_clause, isDt);
    if (filter) filters.set(table, filter);
  }
}

/**
 * The scope of `sql` over `tables` (lake table names), given DuckDB's parse tree of it (the
 * output of `json_serialize_sql`), or undefined when DuckDB could not serialize it (then every
 * named table is read whole).
 */
export function queryScopeOf(sql: string, tables: readonly string[], tree: unknown): QueryScope {
  const scope = new Map<string, DtFilter | 'all'>();
  const named = tables.filter((t) => word(t).test(sql));
  const parsed = tree as SqlNode | undefined;
  if (parsed?.error !== false) {
    for (const table of named) scope.set(table, 'all');
    return scope;
  }
  const filters = new Map<SqlNode, DtFilter>();
  const nodes = [...nodesOf(parsed.statements)];
  for (const node of nodes) if (node.type === 'SELECT_NODE') selectFilters(node, filters);
  const cteNames = new Set(
    nodes.flatMap((n) => ((n.cte_map as { map?: { key: string }[] })?.map ?? []).map((e) => lower(e.key))),
  );
  for (const table of named) {
    const refs = nodes.filter((n) => n.type === 'BASE_TABLE' && lower(n.table_name) === table.toLowerCase());
    const mentions = readMentions(sql, table);
    const tableFilters = refs.map((r) => filters.get(r));
    if (cteNames.has(table.toLowerCase()) || refs.length !== mentions || tableFilters.includes(undefined)) {
      scope.set(table, 'all');
    } else {
      const all = tableFilters as DtFilter[];
      scope.set(table, (dt) => all.some((f) => f(dt)));
    }
  }
  return scope;
}

/** The scope of `sql`, parsed by DuckDB (an in-memory instance, closed again). */
export async function parseQueryScope(sql: string, tables: readonly string[]): Promise<QueryScope> {
  // Loaded on first use, as in lake-session.ts: other commands never load DuckDB's native module.
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
    const text = reader.getRows()[0]?.[0];
    return queryScopeOf(sql, tables, typeof text === 'string' ? JSON.parse(text) : undefined);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * `scope` with each view's entry folded into its table's (`operations_latest` reads `operations`).
 * A `dt` filter on a latest view holds for its table: `dt` is in the view's PARTITION BY, so the
 * view's rows of a day come from the table's rows of that day.
 */
export function foldViews(scope: QueryScope, tableOfView: ReadonlyMap<string, string>): QueryScope {
  const folded = new Map<string, DtFilter | 'all'>();
  for (const [name, filter] of scope) {
    const table = tableOfView.get(name) ?? name;
    const before = folded.get(table);
    if (before === undefined) folded.set(table, filter);
    else if (before === 'all' || filter === 'all') folded.set(table, 'all');
    else folded.set(table, (dt) => before(dt) || filter(dt));
  }
  return folded;
}

/**
 * The scope of `sql` over the lake: its tables and their latest views (`operations_latest` reads
 * `operations`), folded into the tables whose files the query needs.
 */
export async function parseLakeQueryScope(sql: string): Promise<QueryScope> {
  const views = new Map(tablesWithLatestView(LAKE_TABLES).map((t) => [latestViewName(t.name), t.name]));
  const names = [...LAKE_TABLES.map((t) => t.name), ...views.keys()];
  return foldViews(await parseQueryScope(sql, names), views);
}
