import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { SqsRecordSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import { z } from 'zod';
import { isDurableExecutionArn } from '../source/execution-arn.js';

/** The status-change event's `source` and `detail-type` (docs/DURABLE-API.md §3.5). */
export const STATUS_CHANGE_SOURCE = 'aws.lambda';
export const STATUS_CHANGE_DETAIL_TYPE = 'Durable Execution Status Change';

/** The statuses an execution ends in: the events rule sends only these. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set([
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'STOPPED',
]);

/** The part of the event's `detail` the handler uses; the other members are not checked. */
const detailSchema = z.object({
  durableExecutionArn: z.string().refine(isDurableExecutionArn, 'not a durable execution ARN'),
  status: z.string(),
});

/** One SQS message that could not be used; it goes to `batchItemFailures` (and, retried, to the DLQ). */
export interface MalformedMessage {
  messageId: string;
  reason: string;
}

/** One SQS message acknowledged without an export: not a terminal durable-execution status change. */
export interface IgnoredMessage {
  messageId: string;
  reason: string;
}

/** What an SQS batch of status-change events asks for. */
export interface StatusChangeBatch {
  /** Messages in the batch. */
  messages: number;
  /** Each execution to export, once, with every message that named it (at-least-once delivery). */
  executions: Map<string, string[]>;
  /** Each execution's terminal status, as its event gives it (asked of the export index before any read). */
  statuses: Map<string, string>;
  /** Messages naming an execution another message of the batch named already. */
  duplicates: number;
  malformed: MalformedMessage[];
  ignored: IgnoredMessage[];
}

/**
 * Reads an SQS event of EventBridge status-change envelopes, each record on its own (`safeParse`):
 * a malformed record, body or detail fails that message alone; another source, detail-type or a
 * non-terminal status (`RUNNING`) is acknowledged and ignored; executions named twice are
 * exported once.
 *
 * @throws Error when a record has no `messageId`: it could not be named in `batchItemFailures`, so
 * the whole batch must fail (SQS retries every message).
 */
export function statusChangeBatchOf(event: unknown): StatusChangeBatch {
  const records = (event as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records)) throw new Error('the event is not an SQS event: it has no Records list');
  const batch: StatusChangeBatch = {
    messages: records.length,
    executions: new Map(),
    statuses: new Map(),
    duplicates: 0,
    malformed: [],
    ignored: [],
  };
  for (const record of records) {
    const messageId = (record as { messageId?: unknown } | null)?.messageId;
    if (typeof messageId !== 'string' || messageId === '') {
      throw new Error('an SQS record has no messageId: the whole batch fails so that none is lost');
    }
    const read = readMessage(record);
    if (read.kind === 'malformed') batch.malformed.push({ messageId, reason: read.reason });
    else if (read.kind === 'ignored') batch.ignored.push({ messageId, reason: read.reason });
    else {
      const named = batch.executions.get(read.executionArn);
      if (named) batch.duplicates++;
      batch.executions.set(read.executionArn, [...(named ?? []), messageId]);
      batch.statuses.set(read.executionArn, read.status);
    }
  }
  return batch;
}

type ReadMessage =
  | { kind: 'execution'; executionArn: string; status: string }
  | { kind: 'malformed'; reason: string }
  | { kind: 'ignored'; reason: string };

function readMessage(record: unknown): ReadMessage {
  const sqs = SqsRecordSchema.safeParse(record);
  if (!sqs.success) return { kind: 'malformed', reason: `not an SQS record: ${issuesOf(sqs.error)}` };
  let body: unknown;
  try {
    body = JSON.parse(sqs.data.body);
  } catch (error) {
    return { kind: 'malformed', reason: `the body is not JSON: ${(error as Error).message}` };
  }
  const envelope = EventBridgeSchema.safeParse(body);
  if (!envelope.success) {
    return { kind: 'malformed', reason: `the body is not an EventBridge event: ${issuesOf(envelope.error)}` };
  }
  const { source, 'detail-type': detailType, detail } = envelope.data;
  if (source !== STATUS_CHANGE_SOURCE || detailType !== STATUS_CHANGE_DETAIL_TYPE) {
    return {
      kind: 'ignored',
      reason: `${JSON.stringify(source)} ${JSON.stringify(detailType)} is not a durable execution status change (the rule should not send it)`,
    };
  }
  const parsed = detailSchema.safeParse(detail);
  if (!parsed.success) return { kind: 'malformed', reason: `bad detail: ${issuesOf(parsed.error)}` };
  if (!TERMINAL_STATUSES.has(parsed.data.status)) {
    return {
      kind: 'ignored',
      reason: `status ${JSON.stringify(parsed.data.status)} is not terminal (the rule should not send it)`,
    };
  }
  return { kind: 'execution', executionArn: parsed.data.durableExecutionArn, status: parsed.data.status };
}

/** The issues of a failed parse, `path: message`, without the values (a body may hold anything). */
function issuesOf(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
