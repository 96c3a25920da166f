import { ConfigError } from '../errors.js';
import { CHAIN_QUERIES } from './cookbook-chain-queries.js';
import { EXECUTION_QUERIES } from './cookbook-execution-queries.js';
import { INVOCATION_QUERIES } from './cookbook-invocation-queries.js';
import { OPERATION_QUERIES } from './cookbook-operation-queries.js';
import { type CookbookParam, renderTemplate } from './cookbook-params.js';

/**
 * The query cookbook: questions operators ask of the lake, each with Athena SQL (Trino dialect).
 *
 * This module is the source; docs/QUERIES.md is generated from it (`npm run docs`, via
 * src/generated-files.ts), and test/generated-docs.test.ts fails when the doc is stale. Data, not
 * prose, is the source so that the tests run exactly the SQL the doc shows (every query runs in
 * DuckDB over an exported synthetic lake, with checked results) and `durable-export query
 * --cookbook <id>` runs them by id, with no Markdown parsing. Values a user may want to change are
 * parameters (`{{name}}` in the template, a default, `--param name=value`), not hard-coded.
 *
 * Rules for the SQL: Trino functions only, or those `src/query/trino-shim.ts` maps for DuckDB;
 * GROUP BY by ordinal or column (Trino cannot group by an output alias); join operations to
 * executions on `execution_arn` and `dt` so Athena prunes partitions (a chained child execution,
 * whose day is not known, by ARN alone); `WITH RECURSIVE` with a column list, UNION ALL and a depth
 * below Athena's limit of 10.
 */
/** A cookbook query as written in `cookbook-*-queries.ts`. */
export interface CookbookQueryDefinition {
  /** kebab-case, stable: used by `query --cookbook` and as the doc anchor. */
  readonly id: string;
  readonly title: string;
  /** One sentence: what the query answers. */
  readonly question: string;
  /**
   * Athena (Trino) SQL over the lake's tables and their latest views (`operations_latest`,
   * `executions_latest`: the latest version of each row, src/schema/latest-row.ts), without a trailing `;`.
   * `{{name}}` stands for a parameter's value (a SQL literal, see cookbook-params.ts).
   */
  readonly template: string;
  /** The values a user may set (`query --cookbook ID --param name=value`), each with a default. */
  readonly params?: readonly CookbookParam[];
}

export interface CookbookQuery extends CookbookQueryDefinition {
  readonly params: readonly CookbookParam[];
  /** The SQL with every parameter at its default: what docs/QUERIES.md shows, to paste into Athena. */
  readonly sql: string;
}

export const COOKBOOK: readonly CookbookQuery[] = [
  ...OPERATION_QUERIES,
  ...EXECUTION_QUERIES,
  ...CHAIN_QUERIES,
  ...INVOCATION_QUERIES,
].map((definition) => {
  const params = definition.params ?? [];
  return { ...definition, params, sql: renderTemplate(definition.id, definition.template, params) };
});

/** The cookbook query with this id, or a usage error listing the ids. */
export function cookbookQuery(id: string): CookbookQuery {
  const found = COOKBOOK.find((q) => q.id === id);
  if (!found) {
    throw new ConfigError(
      `unknown cookbook query ${JSON.stringify(id)}; the cookbook has: ${COOKBOOK.map((q) => q.id).join(', ')}`,
    );
  }
  return found;
}

/**
 * The SQL of `query` with `values` (by parameter name; the others at their defaults).
 *
 * @throws ConfigError for a parameter the query does not take or a value not of its type.
 */
export function cookbookSql(query: CookbookQuery, values: Readonly<Record<string, string>> = {}): string {
  return renderTemplate(query.id, query.template, query.params, values);
}
