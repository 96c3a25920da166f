import {
  GetDurableExecutionCommand,
  type GetDurableExecutionCommandOutput,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { describeError, ExportError } from '../errors.js';
import type { FoldedExecution } from './fold-history.js';

/**
 * History may cut payloads short (`Truncated: true`). For the execution's own input, result and
 * error, `GetDurableExecution` returns the full text, so when history truncated any of them this
 * reads it (one extra request, only for such executions) and puts the full values back into the
 * folded execution and its EXECUTION operation. Step, callback and context payloads have no such
 * API outside an invocation; they stay cut and flagged.
 */
export async function recoverExecutionPayloads(
  client: LambdaClient,
  executionArn: string,
  folded: FoldedExecution,
  signal?: AbortSignal,
): Promise<void> {
  if (!folded.execution.payloadTruncated) return;
  let full: GetDurableExecutionCommandOutput;
  try {
    full = await client.send(
      new GetDurableExecutionCommand({ DurableExecutionArn: executionArn, IncludeExecutionData: true }),
      { abortSignal: signal },
    );
  } catch (cause) {
    throw new ExportError(
      `reading the full input/result of ${executionArn} (history truncated them) failed: ${describeError(cause)}`,
      { stage: 'source', executionArn },
      { cause },
    );
  }
  const execution = folded.execution;
  if (full.InputPayload !== undefined) execution.inputPayload = full.InputPayload;
  if (full.Result !== undefined) execution.result = full.Result;
  if (full.Error !== undefined) execution.error = full.Error;
  execution.payloadTruncated = false;
  const op = folded.operations.find((o) => o.Type === 'EXECUTION');
  if (op?.Id && full.InputPayload !== undefined) {
    op.ExecutionDetails = { ...op.ExecutionDetails, InputPayload: full.InputPayload };
    (folded.truncatedOperationIds as Set<string>).delete(op.Id);
  }
}
