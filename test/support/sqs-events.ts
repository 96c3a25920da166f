import { createHash } from 'node:crypto';
import type { SqsEvent, SqsRecord } from '@aws-lambda-powertools/parser/types';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:durable-export-events';

/**
 * An SQS record as the event source mapping delivers it, its body the given text (an EventBridge
 * envelope as JSON, or anything a test wants to be malformed). `messageId` defaults to one derived
 * from the body and `receiveCount`.
 */
export function sqsRecordOf(
  body: string,
  options: { messageId?: string; receiveCount?: number } = {},
): SqsRecord {
  const receiveCount = options.receiveCount ?? 1;
  const md5OfBody = createHash('md5').update(body).digest('hex');
  const sent = '1767225600000';
  return {
    messageId: options.messageId ?? `${md5OfBody.slice(0, 8)}-msg-${receiveCount}`,
    receiptHandle: `receipt-${md5OfBody}-${receiveCount}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      ApproximateFirstReceiveTimestamp: sent,
      SenderId: 'AIDAEVENTBRIDGE',
      SentTimestamp: sent,
    },
    messageAttributes: {},
    md5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: QUEUE_ARN,
    awsRegion: 'us-east-1',
  };
}

/** An SQS event of `records`. */
export function sqsEventOf(records: SqsRecord[]): SqsEvent {
  return { Records: records as SqsEvent['Records'] };
}

/** One record per envelope (JSON Lines as `local-service --events-out` writes them, or objects). */
export function sqsRecordsOfEnvelopes(envelopes: readonly (string | object)[]): SqsRecord[] {
  return envelopes.map((e) => sqsRecordOf(typeof e === 'string' ? e : JSON.stringify(e)));
}
