import { Duration } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EXECUTION_STATUSES } from '../src/config/config-schema.js';

/**
 * The event-driven path's front half: an EventBridge rule on Lambda's "Durable Execution Status
 * Change" events for the exported functions' terminal statuses (docs/DURABLE-API.md §3.5), and the
 * SQS queue it feeds, with a dead-letter queue that takes a message after `maxReceiveCount` failed
 * receives. Delivery is at least once; the commit protocol skips what a run already committed.
 */

/** The statuses after which an execution does not change any more: every status but RUNNING. */
export const TERMINAL_STATUSES = EXECUTION_STATUSES.filter((s) => s !== 'RUNNING');

export const STATUS_CHANGE_SOURCE = 'aws.lambda';
export const STATUS_CHANGE_DETAIL_TYPE = 'Durable Execution Status Change';

export interface StatusChangeQueueProps {
  /** Unqualified ARNs of the exported functions. */
  readonly functionArns?: readonly string[];
  /**
   * Instead (discovery, `allFunctions`): the start of every exported function's unqualified ARN
   * (`...:function:` and the name prefix, if any).
   */
  readonly functionArnPrefix?: string;
  /** The consumer's timeout: a message stays invisible for six times it (AWS's advice for SQS sources). */
  readonly consumerTimeout: Duration;
  /** Receives before a message moves to the dead-letter queue (default 5). */
  readonly maxReceiveCount?: number;
}

export class StatusChangeQueue extends Construct {
  readonly rule: Rule;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: StatusChangeQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new Queue(this, 'Queue', {
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });
    this.rule = new Rule(this, 'Rule', {
      description: 'Durable executions of the exported functions that reached a terminal status',
      eventPattern: {
        source: [STATUS_CHANGE_SOURCE],
        detailType: [STATUS_CHANGE_DETAIL_TYPE],
        detail: { status: [...TERMINAL_STATUSES], functionArn: functionArnPattern(props) },
      },
      targets: [new SqsQueue(this.queue)],
    });
  }
}

/**
 * `detail.functionArn` carries the version (`...:function:NAME:3`); the unqualified ARN is matched
 * too in case an event carries none. A plain prefix of the unqualified ARN would also match
 * `NAME-other`, so the prefix ends with the qualifier's `:`. With discovery, the ARN prefix of the
 * functions it may find matches both forms.
 */
function functionArnPattern(props: StatusChangeQueueProps): unknown[] {
  if (props.functionArnPrefix !== undefined) return [{ prefix: props.functionArnPrefix }];
  return (props.functionArns ?? []).flatMap((arn) => [arn, { prefix: `${arn}:` }]);
}
