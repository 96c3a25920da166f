import type { SqsEvent } from '@aws-lambda-powertools/parser/types';
import type { AwsConnection } from '../aws/aws-connection.js';
import { RunLogger } from '../cli/run-logger.js';
import type { Config } from '../config/config-schema.js';
import { describeError } from '../errors.js';
import { runExportJob } from '../export-job.js';
import { limitHeapGrowth } from '../heap-growth.js';
import { ExportInterrupted } from '../pipeline/export-interrupted.js';
import type { ExportSummary } from '../pipeline/run-export.js';
import { loadHandlerConfig, withExecutions } from './handler-config.js';
import { type StatusChangeBatch, statusChangeBatchOf } from './status-change-messages.js';

limitHeapGrowth();

/** What the handler uses of the Lambda `Context` (the `aws-lambda` type has it; tests pass a stub). */
export interface LambdaContextLike {
  getRemainingTimeInMillis(): number;
  readonly awsRequestId?: string;
}

/** The SQS partial batch response: SQS deletes every message not named here. */
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export interface EventsHandlerOptions {
  /** The configuration; default: `loadHandlerConfig()` once per container (defaults, env). */
  config?: Config | (() => Promise<Config>);
  /** The AWS connection; default: the standard one (`AWS_REGION`, the role, `AWS_ENDPOINT_URL_*`). */
  connection?: AwsConnection;
  /** Time kept back from the invocation's remaining time to fail the batch cleanly (default 10 s). */
  reserveMs?: number;
  /** JSON log lines; default: to stdout (CloudWatch Logs) at `info`. */
  logger?: RunLogger;
}

/**
 * The SQS events handler: each message an EventBridge "Durable Execution Status Change" envelope
 * (docs/DURABLE-API.md §3.5) for a terminal status. The batch's executions, each once, are
 * exported as one job (`export.executionArns`, one commit: few, larger files); the answer names
 * only the messages whose execution failed, and malformed ones, so SQS retries just those (and
 * after `maxReceiveCount` moves them to the dead-letter queue). A failure of the whole job (S3
 * down, no time left) fails every message: nothing uncommitted is acknowledged. A redelivered batch
 * is the same job, so its committed executions are skipped, not written twice.
 */
export function eventsHandler(options: EventsHandlerOptions = {}) {
  const logger = options.logger ?? new RunLogger({ level: 'info', format: 'json', stream: process.stdout });
  let config: Promise<Config> | undefined;
  const configOf = (): Promise<Config> => {
    const given = options.config;
    config ??= (
      typeof given === 'function' ? given() : given ? Promise.resolve(given) : loadHandlerConfig()
    ).catch((error: unknown) => {
      // Not kept: the next invocation reads it again (and fails its batch with the same message).
      config = undefined;
      throw error;
    });
    return config;
  };
  return async (event: SqsEvent, context: LambdaContextLike): Promise<SqsBatchResponse> => {
    const batch = statusChangeBatchOf(event);
    for (const { messageId, reason } of batch.malformed)
      logger.warn('malformed message', { messageId, reason });
    for (const { messageId, reason } of batch.ignored) logger.info('message ignored', { messageId, reason });
    const failed = new Set(batch.malformed.map((m) => m.messageId));
    let summary: ExportSummary | undefined;
    if (batch.executions.size > 0) {
      const signal = AbortSignal.timeout(
        Math.max(0, context.getRemainingTimeInMillis() - (options.reserveMs ?? 10_000)),
      );
      try {
        summary = await runExportJob(withExecutions(await configOf(), [...batch.executions.keys()]), {
          ...options.connection,
          knownStatuses: batch.statuses,
          signal,
        });
      } catch (error) {
        // Any other failure of the job (S3 down, a lost lease) fails every message: rethrown.
        if (!(error instanceof ExportInterrupted) && !signal.aborted) throw error;
        // Out of time (in the pipeline, or before it): what this run committed, the redelivered batch skips.
        logger.warn('out of time, every message retried', { reason: describeError(error) });
        for (const ids of batch.executions.values()) for (const id of ids) failed.add(id);
      }
    }
    if (summary) for (const id of failedMessagesOf(summary, batch, logger)) failed.add(id);
    logger.info('batch done', {
      requestId: context.awsRequestId,
      messages: batch.messages,
      duplicates: batch.duplicates,
      ignored: batch.ignored.length,
      malformed: batch.malformed.length,
      executions: batch.executions.size,
      exported: summary?.executionsExported ?? 0,
      skipped: summary?.executionsSkipped ?? 0,
      failed: summary?.executionsFailed ?? 0,
      files: summary?.files.length ?? 0,
      jobId: summary?.commit?.jobId,
      messagesFailed: failed.size,
    });
    return { batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

/**
 * The messages of every execution that did not end committed: failed (the failure carries its
 * ARN), or left out of the commit (`executionsNotFound`, `executionsPartial`).
 */
function failedMessagesOf(summary: ExportSummary, batch: StatusChangeBatch, logger: RunLogger): string[] {
  const failedArns = new Map<string, string>();
  for (const f of summary.failures) failedArns.set(f.executionArn ?? f.subject, f.message);
  for (const arn of [
    ...(summary.commit?.executionsNotFound ?? []),
    ...(summary.commit?.executionsPartial ?? []),
  ]) {
    failedArns.set(arn, 'not committed by this run');
  }
  const ids: string[] = [];
  for (const [executionArn, reason] of failedArns) {
    const messageIds = batch.executions.get(executionArn) ?? [];
    logger.warn('execution failed', { executionArn, messageIds, reason });
    ids.push(...messageIds);
  }
  return ids;
}

/** The handler of the published package: `dist/src/lambda/events-handler.js`, export `handler`. */
export const handler = eventsHandler();
