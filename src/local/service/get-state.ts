/** GetDurableExecutionState: the checkpoint tokens it accepts and the handler that serves the replay view. */
import { createHash } from 'node:crypto';
import { invalidParameter } from './errors.js';
import { cutPage } from './pagination.js';
import type { ApiHandler } from './routes.js';
import { foldHistory, replayView } from './state-view.js';
import type { StoredExecution } from './stored-execution.js';

/**
 * The checkpoint token of each execution, as Lambda would hand it to a running invocation: one current
 * token per execution, replaced by every checkpoint (`advance`). `GetDurableExecutionState` accepts only
 * the current token.
 *
 * Local deviation: the real service rejects every token once an execution is terminal (there is no live
 * invocation). The local service keeps accepting the last token it issued, so exports of finished
 * executions can exercise the state API.
 */
export class CheckpointTokens {
  private readonly sequence = new Map<string, number>();

  /** The current token of `executionArn` (base64, deterministic for the ARN and sequence number). */
  current(executionArn: string): string {
    return CheckpointTokens.encode(executionArn, this.sequence.get(executionArn) ?? 1);
  }

  /** Supersedes the current token, as a checkpoint does, and returns the new one. */
  advance(executionArn: string): string {
    const next = (this.sequence.get(executionArn) ?? 1) + 1;
    this.sequence.set(executionArn, next);
    return CheckpointTokens.encode(executionArn, next);
  }

  /** True only for the current token of `executionArn`. */
  accepts(executionArn: string, token: string | undefined): boolean {
    return token !== undefined && token === this.current(executionArn);
  }

  private static encode(executionArn: string, sequence: number): string {
    const hash = createHash('sha256').update(`${executionArn}#${sequence}`).digest('hex').slice(0, 24);
    return Buffer.from(`ckpt:${sequence}:${hash}`).toString('base64');
  }
}

const viewCache = new WeakMap<StoredExecution, Record<string, unknown>[]>();

function stateView(stored: StoredExecution): Record<string, unknown>[] {
  let view = viewCache.get(stored);
  if (!view) {
    view = replayView(foldHistory(stored.events));
    viewCache.set(stored, view);
  }
  return view;
}

/**
 * GetDurableExecutionState: the replay view (see `state-view.ts`), paged. Only the execution's current
 * checkpoint token is accepted; anything else (missing, malformed, superseded) is 400
 * InvalidParameterValueException "Invalid checkpoint token", the service's message
 * (docs/DURABLE-API.md §3.1).
 * Terminal executions keep accepting their last token (a local deviation, see `CheckpointTokens`).
 * A marker is bound to the token it was issued under, so a checkpoint invalidates open listings.
 */
export const getDurableExecutionState: ApiHandler<{ executionArn: string }> = (
  { executionArn },
  query,
  context,
) => {
  const stored = context.store.get(executionArn);
  const token = query.string('CheckpointToken');
  if (!context.tokens.accepts(executionArn, token)) throw invalidParameter('Invalid checkpoint token');
  const maxItems = query.maxItems();
  const operations = stateView(stored);
  const scope = JSON.stringify(['state', executionArn, token]);
  const start = context.markers.read(query.string('Marker'), scope, operations.length);
  const page = cutPage(operations, start, maxItems, context.maxPageBytes);
  return {
    Operations: page.items,
    NextMarker: page.nextPosition === undefined ? undefined : context.markers.issue(scope, page.nextPosition),
  };
};
