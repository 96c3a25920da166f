/** The two APIs that read one stored execution as it is: GetDurableExecution and GetDurableExecutionHistory. */

import { cutPage } from './pagination.js';
import type { ApiHandler } from './routes.js';
import { FULL_PAYLOAD_MEMBER, REPLAY_CHILDREN_MEMBER, type StoredExecution } from './stored-execution.js';

/** The members that `IncludeExecutionData=false` leaves out: the execution's input, result and error. */
const EXECUTION_DATA_MEMBERS = ['InputPayload', 'Result', 'Error'] as const;

/**
 * GetDurableExecution: the stored body, with `ExecutionDataIncluded` set. `IncludeExecutionData`
 * defaults to true; false omits `InputPayload`, `Result` and `Error` (all `@sensitive` payloads).
 */
export const getDurableExecution: ApiHandler<{ executionArn: string }> = (
  { executionArn },
  query,
  context,
) => {
  const stored = context.store.get(executionArn);
  const includeData = query.boolean('IncludeExecutionData', true);
  const body: Record<string, unknown> = { ...stored.execution, ExecutionDataIncluded: includeData };
  if (!includeData) for (const key of EXECUTION_DATA_MEMBERS) delete body[key];
  return body;
};

/** Members of a `*Details` object that wrap a payload as `{ Payload, Truncated }`. */
const PAYLOAD_WRAPPERS = ['Input', 'Result', 'Error'] as const;

/**
 * An event as history serves it: without the local `ReplayChildren` and `FullPayload` extensions and, when
 * `includeData` is false, without the `Payload` of its `Input`, `Result` and `Error` wrappers
 * (`Truncated` stays).
 */
export function servedEvent(event: Record<string, unknown>, includeData: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { ...event };
  for (const [key, value] of Object.entries(event)) {
    if (!key.endsWith('Details') || typeof value !== 'object' || value === null) continue;
    const details: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    delete details[REPLAY_CHILDREN_MEMBER];
    for (const member of PAYLOAD_WRAPPERS) {
      const wrapper = details[member];
      if (typeof wrapper === 'object' && wrapper !== null && FULL_PAYLOAD_MEMBER in wrapper) {
        const { [FULL_PAYLOAD_MEMBER]: _full, ...cut } = wrapper as Record<string, unknown>;
        details[member] = cut;
      }
    }
    if (!includeData) {
      for (const member of PAYLOAD_WRAPPERS) {
        const wrapper = details[member];
        if (typeof wrapper === 'object' && wrapper !== null && 'Payload' in wrapper) {
          const { Payload: _omitted, ...rest } = wrapper as Record<string, unknown>;
          details[member] = rest;
        }
      }
    }
    out[key] = details;
  }
  return out;
}

const servedCache = new WeakMap<StoredExecution, Map<boolean, Record<string, unknown>[]>>();

function servedEvents(stored: StoredExecution, includeData: boolean): Record<string, unknown>[] {
  let byFlag = servedCache.get(stored);
  if (!byFlag) {
    byFlag = new Map();
    servedCache.set(stored, byFlag);
  }
  let events = byFlag.get(includeData);
  if (!events) {
    events = stored.events.map((e) => servedEvent(e, includeData));
    byFlag.set(includeData, events);
  }
  return events;
}

/**
 * GetDurableExecutionHistory: events oldest first (EventId ascending) or newest first with
 * `ReverseOrder=true`; `IncludeExecutionData` defaults to true.
 */
export const getDurableExecutionHistory: ApiHandler<{ executionArn: string }> = (
  { executionArn },
  query,
  context,
) => {
  const stored = context.store.get(executionArn);
  const includeData = query.boolean('IncludeExecutionData', true);
  const reverse = query.boolean('ReverseOrder', false);
  const maxItems = query.maxItems();
  const events = servedEvents(stored, includeData);
  const ordered = reverse ? [...events].reverse() : events;
  const scope = JSON.stringify(['history', executionArn, reverse]);
  const start = context.markers.read(query.string('Marker'), scope, ordered.length);
  const page = cutPage(ordered, start, maxItems, context.maxPageBytes);
  return {
    Events: page.items,
    NextMarker: page.nextPosition === undefined ? undefined : context.markers.issue(scope, page.nextPosition),
  };
};
