import type { CookbookQueryDefinition } from './cookbook.js';
import type { CookbookParam } from './cookbook-params.js';

/** A range of start days (`dt`), both included: the partitions a query reads. */
const DAY_RANGE: readonly CookbookParam[] = [
  { name: 'from', type: 'date', default: '2026-01-01', description: 'the first day (UTC start day, dt)' },
  { name: 'to', type: 'date', default: '2026-12-31', description: 'the last day, included' },
];

/** Cookbook queries about whole executions: stuck, slow, costly, failing. See cookbook.ts. */
export const EXECUTION_QUERIES: readonly CookbookQueryDefinition[] = [
  {
    id: 'stuck-in-wait-or-callback',
    title: 'Executions stuck in a WAIT or CALLBACK for more than N hours',
    question:
      'Which running executions have been suspended in a wait or waiting for a callback for longer than a number of hours (6 unless set).',
    params: [{ name: 'hours', type: 'integer', default: '6', description: 'how long counts as stuck' }],
    template: `SELECT e.function_name,
       e.execution_name,
       o.type AS waiting_in,
       coalesce(o.name, '(unnamed)') AS operation_name,
       o.start_timestamp AS waiting_since,
       round(CAST(date_diff('millisecond', o.start_timestamp, current_timestamp) AS double) / 3600000, 1) AS hours_waiting
FROM executions_latest e
JOIN operations_latest o
  ON o.execution_arn = e.execution_arn AND o.dt = e.dt
WHERE e.status = 'RUNNING'
  AND o.status = 'STARTED'
  AND o.type IN ('WAIT', 'CALLBACK')
  AND o.start_timestamp < current_timestamp - {{hours}} * INTERVAL '1' HOUR
ORDER BY waiting_since, e.execution_name`,
  },
  {
    id: 'slowest-execution-path',
    title: 'The slowest path through the slowest execution',
    question:
      'Where the slowest finished execution spent its time: each chain of nested operations from the top level down to a leaf, walked depth-first by parent_id, slowest leaf first.',
    params: [{ name: 'limit', type: 'integer', default: '5', description: 'how many paths to show' }],
    template: `WITH RECURSIVE
slowest AS (
  SELECT execution_arn, dt
  FROM executions_latest
  WHERE duration_ms IS NOT NULL
  ORDER BY duration_ms DESC, execution_arn
  LIMIT 1
),
ops AS (
  SELECT o.operation_id, o.parent_id, o.name, o.type, o.depth, o.duration_ms
  FROM operations_latest o
  JOIN slowest s ON o.execution_arn = s.execution_arn AND o.dt = s.dt
),
tree (operation_id, level, path, duration_ms) AS (
  SELECT operation_id, 0, coalesce(name, type), duration_ms
  FROM ops
  WHERE depth = 0 AND type <> 'EXECUTION'
  UNION ALL
  SELECT c.operation_id, t.level + 1, t.path || ' > ' || coalesce(c.name, c.type), c.duration_ms
  FROM ops c
  JOIN tree t ON c.parent_id = t.operation_id
)
SELECT path, level, duration_ms
FROM tree
WHERE NOT EXISTS (SELECT 1 FROM ops k WHERE k.parent_id = tree.operation_id)
ORDER BY duration_ms DESC NULLS LAST, path
LIMIT {{limit}}`,
  },
  {
    id: 'invocations-per-execution',
    title: 'Cost proxy: Lambda invocations per execution',
    question:
      'How many invocations (each a billed Lambda run that replays the handler) executions of each function need, on average and in the tail.',
    template: `SELECT function_name,
       count(*) AS executions,
       sum(invocation_count) AS invocations,
       round(avg(invocation_count), 2) AS avg_invocations,
       approx_percentile(invocation_count, 0.95) AS p95_invocations,
       max(invocation_count) AS max_invocations
FROM executions_latest
GROUP BY function_name
ORDER BY invocations DESC, function_name`,
  },
  {
    id: 'failures-since-version',
    title: 'Executions that failed on or after a given deploy version',
    question:
      'Which executions failed on a function version or a later one (set the version you deployed), with their error, newest first.',
    params: [
      { name: 'version', type: 'integer', default: '1', description: 'the first function version counted' },
    ],
    template: `SELECT function_name,
       version,
       execution_name,
       start_timestamp,
       error_type,
       error_message
FROM executions_latest
WHERE status = 'FAILED'
  AND try_cast(version AS integer) >= {{version}}
ORDER BY start_timestamp DESC, execution_name`,
  },
  {
    id: 'waiting-vs-working',
    title: 'Waiting versus working time per execution',
    question:
      'How much of each finished execution went to waiting (waits, callbacks, chained invokes) versus steps; operation times are summed, so parallel branches can add up to more than the wall time.',
    params: [{ name: 'limit', type: 'integer', default: '20', description: 'how many executions to show' }],
    template: `SELECT e.execution_name,
       e.status,
       e.duration_ms,
       sum(CASE WHEN o.type IN ('WAIT', 'CALLBACK', 'CHAINED_INVOKE') THEN o.duration_ms ELSE 0 END) AS waiting_ms,
       sum(CASE WHEN o.type = 'STEP' THEN o.duration_ms ELSE 0 END) AS step_ms,
       round(100 * CAST(sum(CASE WHEN o.type IN ('WAIT', 'CALLBACK', 'CHAINED_INVOKE') THEN o.duration_ms ELSE 0 END) AS double)
             / nullif(e.duration_ms, 0), 1) AS waiting_pct
FROM executions_latest e
JOIN operations_latest o
  ON o.execution_arn = e.execution_arn AND o.dt = e.dt
WHERE e.end_timestamp IS NOT NULL
GROUP BY 1, 2, 3
ORDER BY waiting_ms DESC, execution_name
LIMIT {{limit}}`,
  },
  {
    id: 'executions-per-day',
    title: 'Executions per day and status',
    question:
      'How many executions started each day and how they ended, reading only the partitions in the date range (partition pruning keeps Athena scans small).',
    params: DAY_RANGE,
    template: `SELECT dt,
       status,
       count(*) AS executions,
       round(avg(duration_ms) / 1000, 1) AS avg_seconds
FROM executions_latest
WHERE dt BETWEEN {{from}} AND {{to}}
GROUP BY dt, status
ORDER BY dt, status`,
  },
  {
    id: 'fleet-failure-rate',
    title: 'A fleet: executions and failure rate per account and Region',
    question:
      'How many executions each AWS account and Region ran in a date range, of how many functions, and what share of the finished ones failed, timed out or were stopped (rows of files written before schema version 4 count under NULL until compacted).',
    params: DAY_RANGE,
    template: `SELECT account_id,
       region,
       count(DISTINCT function_name) AS functions,
       count(*) AS executions,
       count_if(status = 'RUNNING') AS running,
       count_if(status IN ('FAILED', 'TIMED_OUT', 'STOPPED')) AS failed,
       round(100 * CAST(count_if(status IN ('FAILED', 'TIMED_OUT', 'STOPPED')) AS double)
             / nullif(count_if(status <> 'RUNNING'), 0), 2) AS failure_rate_pct
FROM executions_latest
WHERE dt BETWEEN {{from}} AND {{to}}
GROUP BY account_id, region
ORDER BY account_id, region`,
  },
];
