import { invalidParameter } from './errors.js';

/** Upper bound and default of `MaxItems` for all four APIs (0 means the default). */
export const MAX_ITEMS_LIMIT = 1000;
export const DEFAULT_MAX_ITEMS = 100;

// ISO-8601 date-time as the SDK writes it: 2026-01-01T00:00:00Z or ...00.123Z, or with an offset.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Typed, validating access to a request's query string; every bad value is a 400 naming the parameter. */
export class QueryReader {
  constructor(private readonly params: URLSearchParams) {}

  /** A string parameter; an empty value counts as absent. */
  string(name: string): string | undefined {
    const value = this.params.get(name);
    return value === null || value === '' ? undefined : value;
  }

  /** A repeated parameter (`Statuses=A&Statuses=B`). */
  list(name: string): string[] {
    return this.params.getAll(name).filter((v) => v !== '');
  }

  /** `true` or `false`; `fallback` when absent. */
  boolean(name: string, fallback: boolean): boolean {
    const value = this.string(name);
    if (value === undefined) return fallback;
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw invalidParameter(`${name} must be true or false, got '${value}'`);
  }

  /** `MaxItems`: an integer 0..1000; 0 or absent means the default 100. */
  maxItems(): number {
    const value = this.string('MaxItems');
    if (value === undefined) return DEFAULT_MAX_ITEMS;
    const n = Number(value);
    if (!/^\d+$/.test(value) || n > MAX_ITEMS_LIMIT) {
      throw invalidParameter(`MaxItems must be an integer from 0 to ${MAX_ITEMS_LIMIT}, got '${value}'`);
    }
    return n === 0 ? DEFAULT_MAX_ITEMS : n;
  }

  /** An ISO-8601 date-time parameter as epoch milliseconds. */
  timestampMs(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const ms = ISO_DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(ms)) {
      throw invalidParameter(
        `${name} must be an ISO-8601 date-time such as 2026-01-01T00:00:00Z, got '${value}'`,
      );
    }
    return ms;
  }
}
