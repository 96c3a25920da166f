import {
  GetDurableExecutionCommand,
  type GetDurableExecutionCommandOutput,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { ExportError } from '../errors.js';
import type { ExecutionSummary, ExportedExecution } from './execution-source.js';
import { stateReadError } from './state-errors.js';

export interface ExecutionDescription {
  summary: ExecutionSummary;
  detail: ExportedExecution['detail'];
}

/**
 * One `GetDurableExecution` call (with `IncludeExecutionData`): the execution's name, function ARN,
 * status, start and end, and the KMS key (`DurableConfig.KMSKeyArn`) for the `executions` row, plus
 * its full input, result and error. `Version` is the qualifier the function ARN already carries; the
 * trace header, timeout and retention are not exported.
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
    },
  };
}
