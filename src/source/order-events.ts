import type { Event } from '@aws-sdk/client-lambda';

/** The EventId as a finite number, or undefined (the SDK passes wrong types through unchecked). */
function eventIdOf(event: Event): number | undefined {
  const raw: unknown = event.EventId;
  if (raw === undefined || raw === null || raw === '') return undefined;
  const id = Number(raw);
  return Number.isFinite(id) ? id : undefined;
}

function label(event: Event): string {
  const id = event.Id ? `, id ${event.Id}` : '';
  return `event ${event.EventId} (${event.EventType ?? 'no EventType'}${id})`;
}

/**
 * The events in EventId order, for a fold that must not depend on page order.
 *
 * Pages can arrive out of order (a restarted marker, ReverseOrder, pages merged by a caller), so the
 * events that have an EventId are sorted by it, stably, into the slots that such events held. Events
 * without an EventId stay in their original slots, and keep their relative order.
 *
 * EventId is the event's unique, sequential identifier, so a second event with an EventId already
 * seen is a repeat (overlapping pages, a page read twice after a marker restart): it is dropped, with
 * a warning, so it cannot double-count an invocation or look like a duplicate terminal event.
 */
export function orderEvents(events: readonly Event[], warnings: string[]): Event[] {
  const withId: { event: Event; id: number }[] = [];
  for (const event of events) {
    const id = eventIdOf(event);
    if (id !== undefined) withId.push({ event, id });
  }
  withId.sort((a, b) => a.id - b.id); // Array.prototype.sort is stable (ES2019).

  const ordered: Event[] = [];
  const seen = new Set<number>();
  let next = 0;
  for (const event of events) {
    if (eventIdOf(event) === undefined) {
      ordered.push(event);
      continue;
    }
    const slot = withId[next++] as { event: Event; id: number };
    if (seen.has(slot.id)) {
      warnings.push(`${label(slot.event)}: EventId seen before, dropped as a repeat`);
      continue;
    }
    seen.add(slot.id);
    ordered.push(slot.event);
  }
  return ordered;
}
