import {
  type Event,
  type GetDurableExecutionHistoryCommandInput,
  type LambdaClient,
  paginateGetDurableExecutionHistory,
} from '@aws-sdk/client-lambda';
import { describeError, ExportError } from '../errors.js';
import { assertDurableExecutionArn } from './execution-arn.js';

export interface HistoryRead {
  events: Event[];
  pages: number;
  restarts: number;
}

/**
 * Every history event of one execution (all pages, `IncludeExecutionData`). If a marker has
 * expired, the execution is read again from its first page (the partial read is discarded, so
 * nothing is doubled), at most `restartLimit` times.
 */
export async function readHistory(
  client: LambdaClient,
  executionArn: string,
  options: { pageSize: number; restartLimit: number; signal?: AbortSignal },
): Promise<HistoryRead> {
  assertDurableExecutionArn(executionArn, 'the listing');
  for (let restarts = 0; ; restarts++) {
    const events: Event[] = [];
    let pages = 0;
    const input: GetDurableExecutionHistoryCommandInput = {
      DurableExecutionArn: executionArn,
      IncludeExecutionData: true,
    };
    try {
      const paginator = paginateGetDurableExecutionHistory(
        { client, pageSize: options.pageSize, stopOnSameToken: true },
        input,
        { abortSignal: options.signal },
      );
      for await (const page of paginator) {
        pages++;
        if (page.Events) events.push(...page.Events);
      }
      return { events, pages, restarts };
    } catch (cause) {
      const marker = input.Marker;
      if (marker && isExpiredMarker(cause) && restarts < options.restartLimit) continue;
      throw new ExportError(
        `reading history of ${executionArn} failed on page ${pages + 1}${marker ? ` (marker ${marker})` : ''}: ${describeError(cause)}`,
        { stage: 'source', executionArn, marker: marker || undefined },
        { cause },
      );
    }
  }
}

/** An `InvalidParameterValueException` about the marker: the page must be read again from the start. */
export function isExpiredMarker(error: unknown): boolean {
  const e = error as { name?: string; message?: string };
  return e?.name === 'InvalidParameterValueException' && /marker/i.test(e.message ?? '');
}
