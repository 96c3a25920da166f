import type { CookbookQueryDefinition } from './cookbook.js';

/** Cookbook queries about operations: steps, callbacks, errors, fan-out. See cookbook.ts. */
export const OPERATION_QUERIES: readonly CookbookQueryDefinition[] = [
  {
    id: 'step-failure-rate-by-day',
    title: 'Failure rate per step name per day',
    question:
      'Which steps fail most, day by day: of the steps that finished, how many ended FAILED after all their retries.',
    template: `SELECT dt,
       coalesce(name, '(unnamed)') AS step_name,
       count(*) AS finished_steps,
       count_if(status = 'FAILED') AS failed_steps,
       round(100 * CAST(count_if(status = 'FAILED') AS double) / count(*), 2) AS failure_rate_pct
FROM operations_latest
WHERE type = 'STEP'
  AND status IN ('SUCCEEDED', 'FAILED')
GROUP BY 1, 2
ORDER BY dt, failure_rate_pct DESC, step_name`,
  },
  {
    id: 'step-duration-percentiles',
    title: 'p50 / p95 / p99 step duration per step name',
    question:
      'How long each step takes from its first attempt to its end (retries and their back-off included), typical and tail.',
    template: `SELECT coalesce(name, '(unnamed)') AS step_name,
       count(*) AS steps,
       approx_percentile(duration_ms, 0.5) AS p50_ms,
       approx_percentile(duration_ms, 0.95) AS p95_ms,
       approx_percentile(duration_ms, 0.99) AS p99_ms,
       max(duration_ms) AS max_ms
FROM operations_latest
WHERE type = 'STEP'
  AND duration_ms IS NOT NULL
GROUP BY 1
ORDER BY p95_ms DESC, step_name`,
  },
  {
    id: 'step-retries-share',
    title: 'Retries per step and their share of its wall time',
    question:
      'How often each step is retried, and what share of its time goes to failed attempts and back-off (first start until the last attempt was due).',
    template: `SELECT coalesce(name, '(unnamed)') AS step_name,
       count(*) AS steps,
       count_if(attempt > 1) AS retried_steps,
       sum(attempt - 1) AS retries,
       sum(CASE WHEN attempt > 1 THEN date_diff('millisecond', start_timestamp, next_attempt_timestamp) ELSE 0 END) AS retry_ms,
       sum(duration_ms) AS total_ms,
       round(100 * CAST(sum(CASE WHEN attempt > 1 THEN date_diff('millisecond', start_timestamp, next_attempt_timestamp) ELSE 0 END) AS double)
             / nullif(sum(duration_ms), 0), 2) AS retry_share_pct
FROM operations_latest
WHERE type = 'STEP'
  AND sub_type = 'Step'
  AND end_timestamp IS NOT NULL
GROUP BY 1
ORDER BY retries DESC, step_name`,
  },
  {
    id: 'callback-timeouts-by-name',
    title: 'Callbacks that timed out, by name',
    question:
      'Which external callbacks (approvals, webhooks) did not answer in time; a waitForCallback callback is named after its context.',
    template: `SELECT coalesce(c.name, p.name, '(unnamed)') AS callback_name,
       count(*) AS timed_out,
       count(DISTINCT c.execution_arn) AS executions,
       min(c.start_timestamp) AS first_started,
       max(c.end_timestamp) AS last_timed_out
FROM operations_latest c
LEFT JOIN operations_latest p
  ON p.execution_arn = c.execution_arn AND p.dt = c.dt AND p.operation_id = c.parent_id
WHERE c.type = 'CALLBACK'
  AND c.status = 'TIMED_OUT'
GROUP BY 1
ORDER BY timed_out DESC, callback_name`,
  },
  {
    id: 'error-types-ranked',
    title: 'Error types ranked, with the latest message',
    question:
      'Which errors end operations most often, in how many executions, and what the latest one said; counted where raised, not again in each enclosing context.',
    template: `SELECT error_type,
       count(*) AS failed_operations,
       count(DISTINCT execution_arn) AS executions,
       max_by(error_message, start_timestamp) AS latest_message
FROM operations_latest
WHERE is_error
  AND error_type IS NOT NULL
  AND type NOT IN ('CONTEXT', 'EXECUTION')
GROUP BY error_type
ORDER BY failed_operations DESC, error_type`,
  },
  {
    id: 'map-parallel-fan-out',
    title: 'Map and Parallel fan-out, and failed branches',
    question:
      'How wide each Map or Parallel fans out on average and how many of its iterations or branches fail.',
    template: `SELECT coalesce(p.name, '(unnamed)') AS context_name,
       p.sub_type,
       count(DISTINCT p.execution_arn || '/' || p.operation_id) AS contexts,
       count(*) AS branches,
       round(CAST(count(*) AS double) / count(DISTINCT p.execution_arn || '/' || p.operation_id), 1) AS avg_branches,
       count_if(b.status = 'FAILED') AS failed_branches
FROM operations_latest p
JOIN operations_latest b
  ON b.execution_arn = p.execution_arn AND b.dt = p.dt AND b.parent_id = p.operation_id
WHERE p.type = 'CONTEXT'
  AND p.sub_type IN ('Map', 'Parallel')
GROUP BY 1, 2
ORDER BY branches DESC, context_name, sub_type`,
  },
];
