import type { CookbookQueryDefinition } from './cookbook.js';

/**
 * Cookbook queries that follow chained invokes (`ctx.invoke`) from a parent execution to the
 * executions it started, through `operations.child_execution_arn` (history source only). A child
 * may start on another day than its parent, so children are joined by ARN alone. See cookbook.ts.
 */
export const CHAIN_QUERIES: readonly CookbookQueryDefinition[] = [
  {
    id: 'chained-invoke-children',
    title: 'Child executions started by chained invokes',
    question:
      'Which executions each chained invoke started, and how each child ended (child columns are NULL when the child is not in the lake).',
    template: `SELECT p.function_name AS parent_function,
       p.execution_name AS parent_execution,
       coalesce(o.name, '(unnamed)') AS invoke_name,
       o.status AS invoke_status,
       o.child_function_name,
       c.execution_name AS child_execution,
       c.status AS child_status,
       c.duration_ms AS child_duration_ms
FROM executions_latest p
JOIN operations_latest o
  ON o.execution_arn = p.execution_arn AND o.dt = p.dt
LEFT JOIN executions_latest c
  ON c.execution_arn = o.child_execution_arn
WHERE o.type = 'CHAINED_INVOKE'
  AND o.child_execution_arn IS NOT NULL
ORDER BY p.execution_name, o.start_timestamp, o.operation_id`,
  },
  {
    id: 'chained-execution-trees',
    title: 'Trees of chained executions, walked recursively',
    question:
      'How many executions each top-level execution started through chained invokes, directly or through its children, how many generations deep, and how many of them are missing from the lake or did not succeed (Athena stops recursion at depth 10).',
    template: `WITH RECURSIVE
links (parent_arn, child_arn) AS (
  SELECT execution_arn, child_execution_arn
  FROM operations_latest
  WHERE type = 'CHAINED_INVOKE' AND child_execution_arn IS NOT NULL
),
tree (root_arn, execution_arn, depth) AS (
  SELECT e.execution_arn, e.execution_arn, 0
  FROM executions_latest e
  WHERE e.execution_arn IN (SELECT parent_arn FROM links)
    AND e.execution_arn NOT IN (SELECT child_arn FROM links)
  UNION ALL
  SELECT t.root_arn, l.child_arn, t.depth + 1
  FROM tree t
  JOIN links l ON l.parent_arn = t.execution_arn
  WHERE t.depth < 8
)
SELECT r.function_name AS root_function,
       r.execution_name AS root_execution,
       count(*) - 1 AS descendants,
       max(t.depth) AS generations,
       count_if(t.depth > 0 AND c.execution_arn IS NULL) AS not_in_lake,
       count_if(t.depth > 0 AND c.status <> 'SUCCEEDED') AS not_succeeded
FROM tree t
JOIN executions_latest r ON r.execution_arn = t.root_arn
LEFT JOIN executions_latest c ON c.execution_arn = t.execution_arn
GROUP BY r.function_name, r.execution_name
ORDER BY descendants DESC, generations DESC, root_execution`,
  },
];
