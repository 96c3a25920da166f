import {
  GetDurableExecutionCommand,
  type GetDurableExecutionCommandOutput,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { ExportError } from '../errors.js';
import type { ExecutionDetail, ExecutionSummary } from './execution-source.js';
import { stateReadError } from './state-errors.js';

export interface ExecutionDescription {
  summary: ExecutionSummary;
  detail: ExecutionDetail;
}

/** The settings a `GetDurableExecution` answer reports: timeout, retention, trace header, version. */
export function executionSettingsOf(
  out: GetDurableExecutionCommandOutput,
): Pick<ExecutionDetail, 'executionTimeoutSeconds' | 'retentionDays' | 'traceId' | 'version'> {
  return {
    executionTimeoutSeconds: out.DurableConfig?.ExecutionTimeout,
    retentionDays: out.DurableConfig?.RetentionPeriodInDays,
    traceId: out.TraceHeader?.XAmznTraceId,
    version: out.Version,
  };
}

/**
 * One `GetDurableExecution` call (with `IncludeExecutionData`): the execution's name, function ARN,
 * status, start and end, the KMS key (`DurableConfig.KMSKeyArn`), timeout, retention, trace header
 * and `Version` for the `executions` row, plus its full input, result and error.
 */
export async function readExecutionSummary(
  client: LambdaClient,
  executionArn: string,
  signal?: AbortSignal,
): Promise<ExecutionDescription> {
  let out: GetDurableExecutionCommandOutput;
  try {
    out = await client.send(
      new GetDurableExecutionCommand({ DurableExecutionArn: executionArn, IncludeExecutionData: true }),
      { abortSignal: signal },
    );
  } catch (cause) {
    throw stateReadError(cause, { executionArn, api: 'GetDurableExecution' });
  }
  const { FunctionArn: functionArn, StartTimestamp: start } = out;
  if (!out.DurableExecutionArn || !functionArn || !(start instanceof Date)) {
    const missing = !out.DurableExecutionArn
      ? 'DurableExecutionArn'
      : !functionArn
        ? 'FunctionArn'
        : 'StartTimestamp';
    throw new ExportError(`GetDurableExecution for ${executionArn} returned no ${missing}`, {
      stage: 'source',
      executionArn,
    });
  }
  if (out.DurableExecutionArn !== executionArn) {
    throw new ExportError(
      `GetDurableExecution for ${executionArn} answered for another execution, ${out.DurableExecutionArn}`,
      { stage: 'source', executionArn },
    );
  }
  const kmsKeyArn = out.DurableConfig?.KMSKeyArn;
  return {
    summary: {
      arn: executionArn,
      name: out.DurableExecutionName ?? '',
      functionArn,
      status: out.Status ?? 'UNKNOWN',
      startTimestamp: start,
      endTimestamp: out.EndTimestamp,
      kmsKeyArn: kmsKeyArn || undefined,
    },
    detail: {
      inputPayload: out.InputPayload,
      result: out.Result,
      error: out.Error,
      ...executionSettingsOf(out),
    },
  };
}
