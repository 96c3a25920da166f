import { createHash } from 'node:crypto';
import {
  STATUS_CHANGE_DETAIL_TYPE,
  STATUS_CHANGE_SOURCE,
  TERMINAL_STATUSES,
} from '../../lambda/status-change-messages.js';
import { epochSecondsToMs, type StoredExecution } from './stored-execution.js';

/** An EventBridge envelope of a durable execution status change (docs/DURABLE-API.md §3.5). */
export interface StatusChangeEnvelope {
  version: '0';
  id: string;
  'detail-type': typeof STATUS_CHANGE_DETAIL_TYPE;
  source: typeof STATUS_CHANGE_SOURCE;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: {
    durableExecutionArn: string;
    durableExecutionName: string;
    functionArn: string;
    status: string;
    startTimestamp: string;
    endTimestamp?: string;
  };
}

/**
 * The status-change events Lambda would send for the executions the local service serves, in time
 * order: `RUNNING` when each starts (the events rule filters those out) and its terminal status
 * when it ends. The `id` is derived from the execution and status, so the same executions always
 * give the same events.
 */
export function statusChangeEvents(executions: readonly StoredExecution[]): StatusChangeEnvelope[] {
  const events: StatusChangeEnvelope[] = [];
  for (const { execution } of executions) {
    const start = isoOf(execution.StartTimestamp) as string;
    const end = isoOf(execution.EndTimestamp);
    const status = String(execution.Status);
    events.push(envelopeOf(execution, 'RUNNING', start, undefined));
    if (TERMINAL_STATUSES.has(status) && end) events.push(envelopeOf(execution, status, start, end));
  }
  return events.sort((a, b) => a.time.localeCompare(b.time));
}

/** The events as JSON Lines, as `local-service --events-out FILE` writes them. */
export function statusChangeLines(executions: readonly StoredExecution[]): string {
  return statusChangeEvents(executions)
    .map((event) => `${JSON.stringify(event)}\n`)
    .join('');
}

function envelopeOf(
  execution: Record<string, unknown>,
  status: string,
  start: string,
  end: string | undefined,
): StatusChangeEnvelope {
  const arn = String(execution.DurableExecutionArn);
  // arn:PARTITION:lambda:REGION:ACCOUNT:function:...
  const [, , , region = '', account = ''] = arn.split(':');
  return {
    version: '0',
    id: uuidOf(`${arn} ${status}`),
    'detail-type': STATUS_CHANGE_DETAIL_TYPE,
    source: STATUS_CHANGE_SOURCE,
    account,
    time: end ?? start,
    region,
    resources: [arn],
    detail: {
      durableExecutionArn: arn,
      durableExecutionName: String(execution.DurableExecutionName ?? ''),
      functionArn: String(execution.FunctionArn),
      status,
      startTimestamp: start,
      endTimestamp: end,
    },
  };
}

/** A wire timestamp (epoch seconds) as ISO-8601 UTC, or undefined when absent. */
function isoOf(seconds: unknown): string | undefined {
  return typeof seconds === 'number' ? new Date(epochSecondsToMs(seconds)).toISOString() : undefined;
}

/** A UUID-shaped id from the SHA-256 of `text`. */
function uuidOf(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
