import {
  GetDurableExecutionCommand,
  type GetDurableExecutionCommandOutput,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { parseFunctionArn } from '../aws/lambda-arn.js';
import { describeError, ExportError } from '../errors.js';
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
  const includeData = folded.execution.payloadTruncated;
  if (!includeData && parseFunctionArn(summary.functionArn)?.qualifier !== undefined)
    return historyDetailOf(folded);
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
  const described: ExecutionDetail = {
    ...executionSettingsOf(full),
    inputPayload: full.InputPayload,
    result: full.Result,
    error: full.Error,
  };
  return detailCompletedBy(folded, described, includeData);
}

/**
 * The history detail completed by what `GetDurableExecution` said (`described`): its settings, and
 * with `includeData` (the call asked for execution data) its full input, result and error, the
 * input put back into the EXECUTION operation too.
 */
export function detailCompletedBy(
  folded: FoldedExecution,
  described: ExecutionDetail,
  includeData: boolean,
): ExecutionDetail {
  const fromHistory = historyDetailOf(folded);
  const detail: ExecutionDetail = {
    ...fromHistory,
    executionTimeoutSeconds: fromHistory.executionTimeoutSeconds ?? described.executionTimeoutSeconds,
    retentionDays: described.retentionDays,
    traceId: described.traceId,
    version: described.version,
  };
  if (!includeData) return detail;
  if (described.inputPayload !== undefined) detail.inputPayload = described.inputPayload;
  if (described.result !== undefined) detail.result = described.result;
  if (described.error !== undefined) detail.error = described.error;
  const op = folded.operations.find((o) => o.Type === 'EXECUTION');
  if (op?.Id && described.inputPayload !== undefined) {
    op.ExecutionDetails = { ...op.ExecutionDetails, InputPayload: described.inputPayload };
    (folded.truncatedOperationIds as Set<string>).delete(op.Id);
  }
  return detail;
}

/** What the Execution* events of history say about the execution. */
function historyDetailOf(folded: FoldedExecution): ExecutionDetail {
  const execution = folded.execution;
  return {
    inputPayload: execution.inputPayload,
    result: execution.result,
    error: execution.error,
    executionTimeoutSeconds: execution.executionTimeoutSeconds,
  };
}
