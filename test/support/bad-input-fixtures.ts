/**
 * Hand-made bad inputs for test/bad-input-responses.test.ts: stored executions the local service
 * serves as given, and raw answers (through the fault proxy's `respond`) for what the service's
 * fixture check refuses on purpose: string timestamps, missing timestamps, bytes that are not UTF-8,
 * malformed listing entries.
 */
import {
  generateSyntheticExecutions,
  type SyntheticExecution,
} from '../../src/local/synthetic/generate-executions.js';
import type { RawResponse } from './fault-responses.js';

type Wire = Record<string, unknown>;

export const one = (fn: string, seed: number): SyntheticExecution => {
  const [e] = generateSyntheticExecutions({ count: 1, seed, functionNames: [fn] });
  if (!e) throw new Error('generator returned nothing');
  return e;
};

export const arnOf = (e: SyntheticExecution): string => String(e.execution.DurableExecutionArn);
const lastEvent = (e: SyntheticExecution) => e.events.at(-1) as Wire;

/** Appends events (EventIds and timestamps after the last one). */
export function appendEvents(e: SyntheticExecution, events: Wire[]): SyntheticExecution {
  const last = lastEvent(e);
  const added = events.map((event, i) => ({
    EventId: Number(last.EventId) + i + 1,
    EventTimestamp: Number(last.EventTimestamp) + (i + 1) / 1000,
    ...event,
  }));
  return { ...e, events: [...e.events, ...added] };
}

/** The first event of `type`, and the Id of its operation. */
export function firstEvent(e: SyntheticExecution, type: string): Wire {
  const event = e.events.find((x) => x.EventType === type);
  if (!event) throw new Error(`no ${type} event in ${arnOf(e)}`);
  return event;
}

/** `e` with every event of operation `id` passed through `change`. */
export function changeOperation(e: SyntheticExecution, id: unknown, change: (event: Wire) => Wire) {
  return { ...e, events: e.events.map((event) => (event.Id === id ? change(event) : event)) };
}

/** A 200 GetDurableExecutionHistory body with `events` in one page. */
export function historyBody(events: Wire[]): RawResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ Events: events }),
  };
}

/** A JSON body in which every `@@BYTES@@` placeholder becomes the raw bytes 0xFF 0xFE (never valid UTF-8). */
export function withInvalidUtf8(json: string): RawResponse {
  const parts = json.split('@@BYTES@@').map((p) => Buffer.from(p, 'utf8'));
  const bad = Buffer.from([0xff, 0xfe]);
  const body = Buffer.concat(parts.flatMap((p, i) => (i === 0 ? [p] : [bad, p])));
  return { status: 200, headers: { 'content-type': 'application/json' }, body };
}

/** A ListDurableExecutionsByFunction body listing `entries` in one page. */
export function listingBody(entries: Wire[]): RawResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ DurableExecutions: entries }),
  };
}

/** The listing entry the service would give for `e`. */
export function listingEntry(e: SyntheticExecution): Wire {
  const { DurableExecutionArn, DurableExecutionName, FunctionArn, Status, StartTimestamp, EndTimestamp } =
    e.execution;
  return { DurableExecutionArn, DurableExecutionName, FunctionArn, Status, StartTimestamp, EndTimestamp };
}

/** Path of an API call for an execution, as the SDK sends it. */
export const historyPath = (e: SyntheticExecution) =>
  `/2025-12-01/durable-executions/${encodeURIComponent(arnOf(e))}/history`;
export const listingPath = (fn: string) => `/2025-12-01/functions/${fn}/durable-executions`;
