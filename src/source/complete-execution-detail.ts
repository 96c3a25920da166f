import {
  GetDurableExecutionCommand,
  type GetDurableExecutionCommandOutput,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { describeError, ExportError } from '../errors.js';
import { versionOf } from '../transform/function-arn.js';
import type { ExecutionDetail, ExecutionSummary } from './execution-source.js';
import type { FoldedExecution } from './fold-history.js';
import { executionSettingsOf } from './read-execution-summary.js';

/**
 * The execution detail of a history read: what the Execution* events say, completed by one
 * `GetDurableExecution` call where history is not enough, and only there:
 *
 * - History may cut payloads short (`Truncated: true`). For the execution's own input, result and
 *   error, `GetDurableExecution` returns the full text (with `IncludeExecutionData`), so when
 *   history truncated any of them this reads it and puts the full values back, also into the
 *   EXECUTION operation. Step, callback and context payloads have no such API outside an
 *   invocation; they stay cut and flagged.
 * - A function ARN without a qualifier names no version: `GetDurableExecution`'s `Version` does
 *   (without execution data, which is not needed then).
 *
 * When the call is made, its retention, trace header and timeout are kept too; otherwise those are
 * unknown (history has only the timeout, in `ExecutionStartedDetails`). Reading them for every
 * execution would cost one more request per execution (docs/DURABLE-API.md §3.2).
 */
export async function completeExecutionDetail(
  client: LambdaClient,
  summary: ExecutionSummary,
  folded: FoldedExecution,
  signal?: AbortSignal,
): Promise<ExecutionDetail> {
  const execution = folded.execution;
  const fromHistory: ExecutionDetail = {
    inputPayload: execution.inputPayload,
    result: execution.result,
    error: execution.error,
    executionTimeoutSeconds: execution.executionTimeoutSeconds,
  };
  const includeData = execution.payloadTruncated;
  if (!includeData && versionOf(summary.functionArn) !== null) return fromHistory;
  const executionArn = summary.arn;
  let full: GetDurableExecutionCommandOutput;
  try {
    full = await client.send(
      new GetDurableExecutionCommand({
        DurableExecutionArn: executionArn,
        IncludeExecutionData: includeData,
      }),
      { abortSignal: signal },
    );
  } catch (cause) {
    const why = includeData ? 'the full input/result (history truncated them)' : 'the version';
    throw new ExportError(
      `reading ${why} of ${executionArn} failed: ${describeError(cause)}`,
      { stage: 'source', executionArn },
      { cause },
    );
  }
  const settings = executionSettingsOf(full);
  const detail: ExecutionDetail = {
    ...fromHistory,
    ...settings,
    executionTimeoutSeconds: fromHistory.executionTimeoutSeconds ?? settings.executionTimeoutSeconds,
  };
  if (!includeData) return detail;
  if (full.InputPayload !== undefined) detail.inputPayload = full.InputPayload;
  if (full.Result !== undefined) detail.result = full.Result;
  if (full.Error !== undefined) detail.error = full.Error;
  const op = folded.operations.find((o) => o.Type === 'EXECUTION');
  if (op?.Id && full.InputPayload !== undefined) {
    op.ExecutionDetails = { ...op.ExecutionDetails, InputPayload: full.InputPayload };
    (folded.truncatedOperationIds as Set<string>).delete(op.Id);
  }
  return detail;
}
