import {
  type ExecutionStatus,
  type LambdaClient,
  type ListDurableExecutionsByFunctionCommandInput,
  paginateListDurableExecutionsByFunction,
} from '@aws-sdk/client-lambda';
import { describeError, ExportError } from '../errors.js';
import type { ExecutionSummary, FailedExecution } from './execution-source.js';
import { sourceError } from './parallel-source.js';

export interface ListFilter {
  startedAfter?: Date;
  startedBefore?: Date;
  statuses?: string[];
}

/** A listed execution and the function, as given, whose listing found it. */
export interface ListedExecution {
  summary: ExecutionSummary;
  functionName: string;
}

/**
 * The executions of every function, each once: the same function given by name and by ARN lists
 * the same executions, and they are read (or planned) once. A failed listing yields a failure
 * naming the function and the others go on; an abort ends the whole listing.
 */
export async function* listExecutionsOnce(
  client: LambdaClient,
  functions: readonly string[],
  filter: ListFilter,
  pageSize: number,
  signal?: AbortSignal,
): AsyncGenerator<ListedExecution | FailedExecution> {
  const seen = new Set<string>();
  for (const functionName of functions) {
    try {
      for await (const summary of listExecutions(client, functionName, filter, pageSize, signal)) {
        if (seen.has(summary.arn)) continue;
        seen.add(summary.arn);
        yield { summary, functionName };
      }
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      yield {
        kind: 'failed',
        subject: functionName,
        error: sourceError(error, `reading ${functionName}`, { functionName }),
        listing: true,
      };
    }
  }
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
    StartedAfter: filter.startedAfter,
    StartedBefore: filter.startedBefore,
    // No filter is no Statuses member: an empty list would be sent as one.
    Statuses: filter.statuses?.length ? (filter.statuses as ExecutionStatus[]) : undefined,
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
      { stage: 'source', functionName, marker },
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
      { stage: 'source', functionName, executionArn: arn },
    );
  }
  return {
    arn,
    name: e.DurableExecutionName ?? '',
    functionArn: e.FunctionArn,
    status: e.Status ?? 'UNKNOWN',
    startTimestamp: e.StartTimestamp,
    endTimestamp: e.EndTimestamp,
    kmsKeyArn: e.KMSKeyArn,
  };
}
