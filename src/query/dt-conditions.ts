/**
 * The `dt` partitions a WHERE clause selects, read from DuckDB's parse tree of the SQL
 * (`json_serialize_sql`), conservatively: only conjuncts (terms joined by AND) of the form
 * `dt = L`, `dt IN (L, ...)`, `dt BETWEEN L AND L`, `dt < L` (also `<=`, `>`, `>=`, either side),
 * where each `L` is a literal day `'YYYY-MM-DD'` (or `DATE 'YYYY-MM-DD'`). Anything else selects
 * every partition: a wrong guess could only make a query slower, never change its rows.
 */

/** A node of DuckDB's serialized parse tree. */
export type SqlNode = Readonly<Record<string, unknown>>;

/** Whether a partition `dt=<value>` may hold rows the query needs. */
export type DtFilter = (dt: string) => boolean;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A literal day in a constant or a cast of one, or undefined. */
function literalDay(node: unknown): string | undefined {
  const n = node as SqlNode | undefined;
  if (n?.class === 'CAST' && n.try_cast === false) return literalDay(n.child);
  if (n?.class !== 'CONSTANT') return undefined;
  const value = n.value as { is_null?: boolean; value?: unknown } | undefined;
  if (value?.is_null !== false || typeof value.value !== 'string') return undefined;
  return DAY.test(value.value) ? value.value : undefined;
}

const COMPARE: Readonly<Record<string, (a: string, b: string) => boolean>> = {
  COMPARE_EQUAL: (a, b) => a === b,
  COMPARE_LESSTHAN: (a, b) => a < b,
  COMPARE_LESSTHANOREQUALTO: (a, b) => a <= b,
  COMPARE_GREATERTHAN: (a, b) => a > b,
  COMPARE_GREATERTHANOREQUALTO: (a, b) => a >= b,
};

/** The same comparison with its sides swapped (`L < dt` is `dt > L`). */
const FLIPPED: Readonly<Record<string, string>> = {
  COMPARE_EQUAL: 'COMPARE_EQUAL',
  COMPARE_LESSTHAN: 'COMPARE_GREATERTHAN',
  COMPARE_LESSTHANOREQUALTO: 'COMPARE_GREATERTHANOREQUALTO',
  COMPARE_GREATERTHAN: 'COMPARE_LESSTHAN',
  COMPARE_GREATERTHANOREQUALTO: 'COMPARE_LESSTHANOREQUALTO',
};

/** The terms of a WHERE clause joined by AND (nested ANDs flattened). */
export function conjunctsOf(where: unknown): SqlNode[] {
  const node = where as SqlNode | null | undefined;
  if (!node) return [];
  if (node.type === 'CONJUNCTION_AND') return (node.children as unknown[]).flatMap(conjunctsOf);
  return [node];
}

/**
 * The filter one conjunct puts on the partition column, or undefined when it is not one of the
 * forms above. `isDt` tells whether a column reference names the partition column of the table.
 */
function termFilter(term: SqlNode, isDt: (ref: unknown) => boolean): DtFilter | undefined {
  const compare = COMPARE[term.type as string];
  if (term.class === 'COMPARISON' && compare) {
    const flipped = COMPARE[FLIPPED[term.type as string] as string] as (a: string, b: string) => boolean;
    const right = literalDay(term.right);
    if (isDt(term.left) && right !== undefined) return (dt) => compare(dt, right);
    const left = literalDay(term.left);
    if (isDt(term.right) && left !== undefined) return (dt) => flipped(dt, left);
    return undefined;
  }
  if (term.type === 'COMPARE_BETWEEN' && isDt(term.input)) {
    const lower = literalDay(term.lower);
    const upper = literalDay(term.upper);
    if (lower === undefined || upper === undefined) return undefined;
    return (dt) => lower <= dt && dt <= upper;
  }
  if (term.type === 'COMPARE_IN') {
    const [column, ...values] = term.children as unknown[];
    const days = values.map(literalDay);
    if (!isDt(column) || days.some((d) => d === undefined)) return undefined;
    return (dt) => days.includes(dt);
  }
  return undefined;
}

/**
 * The partitions the WHERE clause `where` lets through for one table (every partition when no
 * conjunct restricts `dt`). A partition value that is not a `YYYY-MM-DD` day always passes: the
 * string comparisons above only agree with DuckDB's for days in that form.
 */
export function dtFilterOf(where: unknown, isDt: (ref: unknown) => boolean): DtFilter | undefined {
  const filters = conjunctsOf(where)
    .map((term) => termFilter(term, isDt))
    .filter((f): f is DtFilter => f !== undefined);
  if (filters.length === 0) return undefined;
  return (dt) => !DAY.test(dt) || filters.every((f) => f(dt));
}
