import { isExecutionArn } from './arn.js';
import { EXECUTION_STATUSES, type StoredExecution } from './stored-execution.js';

/** Thrown when stored executions (a data file or `LocalServiceOptions.executions`) have the wrong shape. */
export class StoredExecutionShapeError extends Error {
  constructor(
    readonly source: string,
    readonly location: string,
    readonly problem: string,
  ) {
    super(`${source}: ${location}: ${problem}`);
    this.name = 'StoredExecutionShapeError';
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const text = JSON.stringify(value);
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return `${typeof value} ${shown}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks that `value` is an array of `{ execution, events }` records in wire form and returns it typed.
 * Checks the members the service relies on; other members pass through untouched.
 *
 * @param source names the input in error messages, e.g. a file path.
 * @throws StoredExecutionShapeError naming the index and the field, e.g. `[3].events[5].EventTimestamp`.
 */
export function assertStoredExecutions(value: unknown, source: string): StoredExecution[] {
  const fail = (location: string, problem: string): never => {
    throw new StoredExecutionShapeError(source, location, problem);
  };
  if (!Array.isArray(value))
    fail('(top level)', `expected a JSON array of { execution, events }, got ${describe(value)}`);
  const items = value as unknown[];
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    if (!isObject(item)) fail(`[${i}]`, `expected an object { execution, events }, got ${describe(item)}`);
    const { execution, events } = item as Record<string, unknown>;
    if (!isObject(execution)) fail(`[${i}].execution`, `expected an object, got ${describe(execution)}`);
    const exec = execution as Record<string, unknown>;
    const arn = exec.DurableExecutionArn;
    if (typeof arn !== 'string' || !isExecutionArn(arn)) {
      fail(`[${i}].execution.DurableExecutionArn`, `expected a durable execution ARN, got ${describe(arn)}`);
    }
    const earlier = seen.get(arn as string);
    if (earlier !== undefined)
      fail(`[${i}].execution.DurableExecutionArn`, `duplicates the ARN of [${earlier}]`);
    seen.set(arn as string, i);
    for (const field of ['DurableExecutionName', 'FunctionArn'] as const) {
      if (typeof exec[field] !== 'string')
        fail(`[${i}].execution.${field}`, `expected a string, got ${describe(exec[field])}`);
    }
    if (!(EXECUTION_STATUSES as readonly unknown[]).includes(exec.Status)) {
      fail(
        `[${i}].execution.Status`,
        `expected one of ${EXECUTION_STATUSES.join(', ')}, got ${describe(exec.Status)}`,
      );
    }
    for (const field of ['StartTimestamp', 'EndTimestamp'] as const) {
      const v = exec[field];
      if (field === 'EndTimestamp' && v === undefined) continue;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        fail(`[${i}].execution.${field}`, `expected epoch seconds as a number, got ${describe(v)}`);
      }
    }
    if (!Array.isArray(events))
      fail(`[${i}].events`, `expected an array of history events, got ${describe(events)}`);
    let previousId = 0;
    (events as unknown[]).forEach((event, j) => {
      const at = `[${i}].events[${j}]`;
      if (!isObject(event)) fail(at, `expected an event object, got ${describe(event)}`);
      const e = event as Record<string, unknown>;
      if (typeof e.EventType !== 'string')
        fail(`${at}.EventType`, `expected a string, got ${describe(e.EventType)}`);
      const eventId = e.EventId;
      if (typeof eventId !== 'number' || !Number.isInteger(eventId) || eventId <= previousId) {
        fail(
          `${at}.EventId`,
          `expected an integer greater than ${previousId} (ascending), got ${describe(eventId)}`,
        );
      }
      previousId = eventId as number;
      if (typeof e.EventTimestamp !== 'number' || !Number.isFinite(e.EventTimestamp)) {
        fail(`${at}.EventTimestamp`, `expected epoch seconds as a number, got ${describe(e.EventTimestamp)}`);
      }
      if (e.EventType !== 'InvocationCompleted' && typeof e.Id !== 'string') {
        fail(`${at}.Id`, `expected the operation Id string on a ${e.EventType} event, got ${describe(e.Id)}`);
      }
    });
  });
  return items as StoredExecution[];
}
