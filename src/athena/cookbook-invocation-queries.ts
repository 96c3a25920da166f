import type { CookbookQueryDefinition } from './cookbook.js';

/**
 * Cookbook queries over the `invocations` table (one row per Lambda invocation, history source):
 * what a user is billed for. See cookbook.ts.
 */
export const INVOCATION_QUERIES: readonly CookbookQueryDefinition[] = [
  {
    id: 'invocation-time-per-function',
    title: 'Billed work: invocations and invocation time per function',
    question:
      'How many Lambda invocations the executions of each function took and how long they ran in total, which with the memory size is what Lambda bills.',
    template: `SELECT function_name,
       count(DISTINCT execution_arn) AS executions,
       count(*) AS invocations,
       sum(duration_ms) AS invocation_ms,
       round(avg(duration_ms), 1) AS avg_invocation_ms,
       max(duration_ms) AS max_invocation_ms
FROM invocations
GROUP BY function_name
ORDER BY invocation_ms DESC, function_name`,
  },
  {
    id: 'slowest-executions-by-invocation-time',
    title: 'Executions with the most invocation time',
    question:
      'Which executions spent the most time running in Lambda, summed over their invocations, next to their invocation count and their wall time (which also counts waiting).',
    template: `SELECT e.function_name,
       e.execution_name,
       e.status,
       count(*) AS invocations,
       sum(i.duration_ms) AS invocation_ms,
       max(i.duration_ms) AS longest_invocation_ms,
       e.duration_ms AS wall_ms
FROM invocations i
JOIN executions_latest e
  ON e.execution_arn = i.execution_arn AND e.dt = i.dt
GROUP BY 1, 2, 3, 7
ORDER BY invocation_ms DESC, e.execution_name, e.function_name
LIMIT 20`,
  },
  {
    id: 'failed-invocations',
    title: 'Invocations that ended in an error',
    question:
      'Which Lambda invocations ended in an error, with their request id (to find their logs), newest first.',
    template: `SELECT i.function_name,
       e.execution_name,
       i.invocation,
       i.request_id,
       i.start_timestamp,
       i.duration_ms,
       i.error_type,
       i.error_message
FROM invocations i
JOIN executions_latest e
  ON e.execution_arn = i.execution_arn AND e.dt = i.dt
WHERE i.error_type IS NOT NULL
ORDER BY i.start_timestamp DESC, e.execution_name, i.invocation`,
  },
];
