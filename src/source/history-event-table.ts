import type { Event } from '@aws-sdk/client-lambda';

/** The role an event plays in its operation's lifecycle. */
export type EventRole = 'start' | 'end' | 'other';

/** How one `EventType` maps onto the `Operation` it belongs to. */
export interface EventMapping {
  /** `Operation.Type`. A known `OperationType`, or the raw text for an unknown event. */
  type: string;
  /** True when `type` is the raw EventType text because no Type could be derived from it. */
  typeIsRaw: boolean;
  /** `Operation.Status` this event moves the operation to (a step retry overrides it to PENDING). */
  status: string;
  role: EventRole;
  /** The `Event` member that carries this event's details. */
  detailsKey?: keyof Event;
  /** False for event types that are not in the 3.1164 model: their details are not read. */
  known: boolean;
}

const TYPES = {
  Execution: 'EXECUTION',
  Context: 'CONTEXT',
  Wait: 'WAIT',
  Step: 'STEP',
  ChainedInvoke: 'CHAINED_INVOKE',
  Callback: 'CALLBACK',
} as const;

const STATUSES: Record<string, string> = {
  Started: 'STARTED',
  Succeeded: 'SUCCEEDED',
  Failed: 'FAILED',
  TimedOut: 'TIMED_OUT',
  Stopped: 'STOPPED',
  Cancelled: 'CANCELLED',
  Pending: 'PENDING',
  Ready: 'READY',
};

/** Statuses after which an operation does not change any more. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set([
  'SUCCEEDED',
  'FAILED',
  'CANCELLED',
  'TIMED_OUT',
  'STOPPED',
]);

/** The 23 event types that belong to an operation (`InvocationCompleted` is handled apart). */
const KNOWN_EVENTS: Record<keyof typeof TYPES, readonly string[]> = {
  Execution: ['Started', 'Succeeded', 'Failed', 'TimedOut', 'Stopped'],
  Context: ['Started', 'Succeeded', 'Failed'],
  Wait: ['Started', 'Succeeded', 'Cancelled'],
  Step: ['Started', 'Succeeded', 'Failed'],
  ChainedInvoke: ['Started', 'Succeeded', 'Failed', 'TimedOut', 'Stopped'],
  Callback: ['Started', 'Succeeded', 'Failed', 'TimedOut'],
};

function roleOf(status: string): EventRole {
  if (status === 'STARTED') return 'start';
  return TERMINAL_STATUSES.has(status) ? 'end' : 'other';
}

/** The `Event` member named after an event type: `StepFailed` → `StepFailedDetails`. */
function detailsMember(eventType: string): keyof Event {
  return `${eventType}Details` as keyof Event;
}

function buildTable(): ReadonlyMap<string, EventMapping> {
  const table = new Map<string, EventMapping>();
  for (const [prefix, suffixes] of Object.entries(KNOWN_EVENTS)) {
    const type = TYPES[prefix as keyof typeof TYPES];
    for (const suffix of suffixes) {
      const status = STATUSES[suffix] as string;
      const eventType = `${prefix}${suffix}`;
      table.set(eventType, {
        type,
        typeIsRaw: false,
        status,
        role: roleOf(status),
        detailsKey: detailsMember(eventType),
        known: true,
      });
    }
  }
  return table;
}

/** EventType → (Operation.Type, Operation.Status, role, details member). */
export const EVENT_TABLE: ReadonlyMap<string, EventMapping> = buildTable();

export const INVOCATION_COMPLETED = 'InvocationCompleted';

/** Every `EventType` of the 3.1164 model (24): the 23 of `EVENT_TABLE` and `InvocationCompleted`. */
export const MODEL_EVENT_TYPES: readonly string[] = [...EVENT_TABLE.keys(), INVOCATION_COMPLETED];

/** The details member of each of `MODEL_EVENT_TYPES`, built once: `detailsKeyOf` runs for every event. */
const MODEL_DETAILS_KEYS: ReadonlyMap<string, keyof Event> = new Map(
  MODEL_EVENT_TYPES.map((type) => [type, detailsMember(type)]),
);

/**
 * The `Event` member that carries the details of an event of type `eventType`: `<EventType>Details`
 * for each of the model's event types (`StepFailed` → `StepFailedDetails`); for a type the model does
 * not know, the one member of `event` whose name ends in `Details`, if there is exactly one.
 */
export function detailsKeyOf(event: Event): keyof Event | undefined {
  const type = event.EventType;
  const known = type === undefined ? undefined : MODEL_DETAILS_KEYS.get(type);
  if (known !== undefined) return known;
  const members = Object.keys(event).filter((key) => key.endsWith('Details'));
  return members.length === 1 ? (members[0] as keyof Event) : undefined;
}

/**
 * The mapping of an `EventType` the table does not know, derived from its name where possible:
 * a known type prefix (`Step…`) gives the Type and a known status suffix (`…TimedOut`) the Status.
 * Whatever cannot be derived is `undefined`; the caller falls back to what it already knows about
 * the operation, and then to the raw text.
 */
export function deriveUnknown(eventType: string): { type?: string; status?: string } {
  const derived: { type?: string; status?: string } = {};
  // Longest prefix first, so a future `ExecutionContext…` would not be read as `Execution`.
  const prefixes = Object.keys(TYPES).sort((a, b) => b.length - a.length);
  const prefix = prefixes.find((p) => eventType.startsWith(p));
  if (prefix) derived.type = TYPES[prefix as keyof typeof TYPES];
  const suffix = Object.keys(STATUSES).find((s) => eventType.endsWith(s));
  if (suffix) derived.status = STATUSES[suffix] as string;
  return derived;
}

/**
 * The mapping of an unknown event type. The Type is derived from the name, else it is the raw text
 * (`typeIsRaw`, so a known Type from another event of the operation takes precedence). The Status is
 * derived from the name, else the operation's current status is kept, else it is the raw text.
 */
export function unknownMapping(eventType: string, currentStatus: string | undefined): EventMapping {
  const derived = deriveUnknown(eventType);
  const status = derived.status ?? currentStatus ?? eventType;
  return {
    type: derived.type ?? eventType,
    typeIsRaw: derived.type === undefined,
    status,
    // Only a status read from the name itself makes the event a start or an end.
    role: derived.status ? roleOf(derived.status) : 'other',
    known: false,
  };
}
