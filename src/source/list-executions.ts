import {
  type ExecutionStatus,
  type LambdaClient,
  type ListDurableExecutionsByFunctionCommandInput,
  paginateListDurableExecutionsByFunction,
} from '@aws-sdk/client-lambda';
import { describeError, ExportError } from '../errors.js';
import type { ExecutionSummary } from './execution-source.js';

export interface ListFilter {
  startedAfter?: Date;
  startedBefore?: Date;
  statuses?: string[];
}

/**
 * All executions of one function (all pages), as summaries. A listing error is raised with the
 * function and the marker of the page that failed.
 */
export async function* listExecutions(
  client: LambdaClient,
  functionName: string,
  filter: ListFilter,
  pageSize: number,
  signal?: AbortSignal,
): AsyncGenerator<ExecutionSummary> {
  let page = 0;
  // The paginator writes the marker of the page it requests into `input`, so after a failure
  // `input.Marker` names the page that failed.
  const input: ListDurableExecutionsByFunctionCommandInput = {
    FunctionName: functionName,
    ...(filter.startedAfter ? { StartedAfter: filter.startedAfter } : {}),
    ...(filter.startedBefore ? { StartedBefore: filter.startedBefore } : {}),
    ...(filter.statuses?.length ? { Statuses: filter.statuses as ExecutionStatus[] } : {}),
  };
  const pages = paginateListDurableExecutionsByFunction({ client, pageSize, stopOnSameToken: true }, input, {
    abortSignal: signal,
  });
  try {
    for await (const output of pages) {
      page++;
      for (const e of output.DurableExecutions ?? []) {
        yield toSummary(e, functionName);
      }
    }
  } catch (cause) {
    const marker = input.Marker;
    if (cause instanceof ExportError) throw cause;
    throw new ExportError(
      `listing executions of function ${functionName} failed on page ${page + 1}${marker ? ` (marker ${marker})` : ''}: ${describeError(cause)}`,
      { stage: 'source', functionName, ...(marker ? { marker } : {}) },
      { cause },
    );
  }
}

function toSummary(
  e: {
    DurableExecutionArn?: string;
    DurableExecutionName?: string;
    FunctionArn?: string;
    Status?: string;
    StartTimestamp?: Date;
    EndTimestamp?: Date;
    KMSKeyArn?: string;
  },
  functionName: string,
): ExecutionSummary {
  const arn = e.DurableExecutionArn;
  if (!arn || !e.StartTimestamp || !e.FunctionArn) {
    throw new ExportError(
      `ListDurableExecutionsByFunction for ${functionName} returned an execution without ${!arn ? 'DurableExecutionArn' : !e.StartTimestamp ? 'StartTimestamp' : 'FunctionArn'}`,
      { stage: 'source', functionName, ...(arn ? { executionArn: arn } : {}) },
    );
  }
  return {
    arn,
    name: e.DurableExecutionName ?? '',
    functionArn: e.FunctionArn,
    status: e.Status ?? 'UNKNOWN',
    startTimestamp: e.StartTimestamp,
    ...(e.EndTimestamp ? { endTimestamp: e.EndTimestamp } : {}),
    ...(e.KMSKeyArn ? { kmsKeyArn: e.KMSKeyArn } : {}),
  };
}
