import {
  type GetDurableExecutionStateCommandInput,
  type LambdaClient,
  type Operation,
  paginateGetDurableExecutionState,
} from '@aws-sdk/client-lambda';
import { isExpiredMarker } from './read-history.js';
import { isInvalidCheckpointToken, stateReadError } from './state-errors.js';

/**
 * The first page of the state that an invocation event carries (`InitialExecutionState`), with its
 * timestamps already turned into `Date`s (see `src/invocation/invocation-operations.ts`).
 */
export interface InitialState {
  operations: Operation[];
  /** Continues the listing through `GetDurableExecutionState`; absent or empty when it is complete. */
  nextMarker?: string;
}

export interface StateTarget {
  executionArn: string;
  checkpointToken: string;
  initialState?: InitialState;
}

export interface StateRead {
  operations: Operation[];
  /** Pages in the read that succeeded; an initial state counts as its first page. */
  pages: number;
  /** Times the execution was read again from its first page after an expired marker. */
  restarts: number;
}

export interface ReadStateOptions {
  /** `MaxItems` per page (1-1000). */
  pageSize: number;
  /** Re-reads from the first page after an expired marker. */
  restartLimit: number;
  signal?: AbortSignal;
}

/**
 * Every operation of one execution's replay view: the initial state's operations if given, then the
 * pages after its `NextMarker`, or all pages from the first, through the SDK paginator.
 *
 * An expired marker discards everything read so far and reads the execution again from its first
 * page through the API (also when an initial state was given: its `NextMarker` may be what expired),
 * at most `restartLimit` times, so no operation is doubled. A rejected checkpoint token or a KMS
 * error is not retried here: the error names the reason (`stateReadError`).
 */
export async function readState(
  client: LambdaClient,
  target: StateTarget,
  options: ReadStateOptions,
): Promise<StateRead> {
  for (let restarts = 0; ; restarts++) {
    const operations: Operation[] = [];
    let pages = 0;
    let startingToken: string | undefined;
    const initial = restarts === 0 ? target.initialState : undefined;
    if (initial) {
      operations.push(...initial.operations);
      pages = 1;
      if (!initial.nextMarker) return { operations, pages, restarts };
      startingToken = initial.nextMarker;
    }
    const input: GetDurableExecutionStateCommandInput = {
      DurableExecutionArn: target.executionArn,
      CheckpointToken: target.checkpointToken,
    };
    try {
      const paginator = paginateGetDurableExecutionState(
        { client, pageSize: options.pageSize, stopOnSameToken: true, startingToken },
        input,
        { abortSignal: options.signal },
      );
      for await (const page of paginator) {
        pages++;
        if (page.Operations) operations.push(...page.Operations);
      }
      return { operations, pages, restarts };
    } catch (cause) {
      const marker = input.Marker ?? startingToken;
      const expired = marker && isExpiredMarker(cause) && !isInvalidCheckpointToken(cause);
      if (expired && restarts < options.restartLimit) continue;
      throw stateReadError(cause, {
        executionArn: target.executionArn,
        api: 'GetDurableExecutionState',
        page: pages + 1,
        marker: marker || undefined,
      });
    }
  }
}
