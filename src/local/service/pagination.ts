/**
 * Pagination shared by the four APIs: pages cut by item count and byte budget, and the opaque markers
 * that resume them.
 */
import { createHash } from 'node:crypto';
import { invalidParameter } from './errors.js';

/** Default byte budget of one page, as AWS's emulator uses ("dual byte-and-count paging"). */
export const DEFAULT_MAX_PAGE_BYTES = 5 * 1024 * 1024;

/** One page cut from a list: the items and the index of the next item, when more follow. */
export interface Page<T> {
  items: T[];
  nextPosition?: number;
}

/**
 * Cuts the page that starts at `start`: at most `maxItems` items whose JSON stays within `maxPageBytes`.
 * A page always holds at least one item, so an item larger than the budget is served alone; this is how
 * the service makes progress rather than failing.
 */
export function cutPage<T>(
  items: readonly T[],
  start: number,
  maxItems: number,
  maxPageBytes: number,
): Page<T> {
  const page: T[] = [];
  let bytes = 0;
  let index = start;
  while (index < items.length && page.length < maxItems) {
    const size = Buffer.byteLength(JSON.stringify(items[index])) + 1; // + 1 for the separating comma
    if (page.length > 0 && bytes + size > maxPageBytes) break;
    page.push(items[index] as T);
    bytes += size;
    index++;
  }
  return index < items.length ? { items: page, nextPosition: index } : { items: page };
}

/** Default marker lifetime: the API reference's 24 hours. */
export const DEFAULT_MARKER_TTL_MS = 24 * 60 * 60 * 1000;

interface MarkerBody {
  v: 1;
  /** Hash of the request scope (API, resource and the parameters that shape the result list). */
  s: string;
  /** Index of the next item to serve. */
  p: number;
  /** Issue time, epoch milliseconds. */
  t: number;
  /** Checksum of the other fields, to reject edited or foreign markers. */
  c: string;
}

function digest(text: string): string {
  return createHash('md5').update(text).digest('hex').slice(0, 12);
}

/**
 * Issues and reads the opaque pagination markers: base64 JSON holding the position, the issue time and a
 * hash of the request scope, so a marker only continues the listing it came from, and expires after `ttlMs`.
 */
export class MarkerCodec {
  constructor(
    private readonly ttlMs: number = DEFAULT_MARKER_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** A marker that resumes the listing identified by `scope` at item `position`. */
  issue(scope: string, position: number): string {
    const fields = { v: 1 as const, s: digest(scope), p: position, t: this.now() };
    const body: MarkerBody = { ...fields, c: digest(JSON.stringify(fields)) };
    return Buffer.from(JSON.stringify(body)).toString('base64');
  }

  /**
   * The position a marker resumes at; 0 when `marker` is undefined.
   *
   * @param total number of items in the listing; a position past it is rejected.
   * @throws LocalServiceError 400 InvalidParameterValueException for a malformed, foreign or expired marker.
   */
  read(marker: string | undefined, scope: string, total: number): number {
    if (marker === undefined) return 0;
    const body = this.decode(marker);
    if (body.s !== digest(scope)) {
      throw invalidParameter(
        `Invalid marker '${marker}': it was issued for a different request (other resource, filters or order)`,
      );
    }
    const age = this.now() - body.t;
    if (age > this.ttlMs) {
      throw invalidParameter(
        `Marker expired: it was issued at ${new Date(body.t).toISOString()}, ${age} ms ago, ` +
          `and markers expire after ${this.ttlMs} ms; start the listing again without a Marker`,
      );
    }
    if (body.p > total) {
      throw invalidParameter(`Invalid marker '${marker}': position ${body.p} is past the ${total} items`);
    }
    return body.p;
  }

  private decode(marker: string): MarkerBody {
    let body: unknown;
    try {
      body = JSON.parse(Buffer.from(marker, 'base64').toString('utf8'));
    } catch {
      body = undefined;
    }
    const b = body as Partial<MarkerBody> | undefined;
    const valid =
      typeof b === 'object' &&
      b !== null &&
      b.v === 1 &&
      typeof b.s === 'string' &&
      Number.isInteger(b.p) &&
      (b.p as number) >= 0 &&
      Number.isInteger(b.t) &&
      b.c === digest(JSON.stringify({ v: b.v, s: b.s, p: b.p, t: b.t }));
    if (!valid) throw invalidParameter(`Invalid marker '${marker}': not a marker this service issued`);
    return b as MarkerBody;
  }
}
