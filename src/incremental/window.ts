import { ConfigError } from '../errors.js';
import type { PendingWindow, StoredWatermark } from './watermark.js';

/** The window of an incremental run, and whether it resumes a pending one. */
export interface IncrementalWindow {
  readonly resumed: boolean;
  readonly pending: PendingWindow;
}

/**
 * The window the functions' watermarks give: a pending window as it is (the same job, resumed),
 * else [watermark, now) with the watermarks' re-check lists. Functions exported together share one
 * window, so their watermarks must agree; the first run of a function needs `startedAfter`
 * (`--started-after`), which later runs ignore.
 */
export function windowOf(
  functions: readonly string[],
  stored: readonly StoredWatermark[],
  startedAfter: string | undefined,
  now: Date,
): IncrementalWindow {
  const pendings = stored.map((s) => s.record?.pending);
  const first = pendings[0];
  if (first !== undefined) {
    const same = pendings.every((p) => p !== undefined && sameWindow(p, first));
    if (!same) throw disagree(functions, 'pending windows');
    return { resumed: true, pending: first };
  }
  if (pendings.some((p) => p !== undefined)) throw disagree(functions, 'pending windows');
  const marks = stored.map((s) => s.record?.startedAfter);
  let from: string;
  if (marks.every((m) => m === undefined)) {
    if (startedAfter === undefined) {
      throw new ConfigError(
        `the first --since-last-run export of ${functions.join(', ')} needs --started-after: there is no watermark yet`,
      );
    }
    from = new Date(startedAfter).toISOString();
  } else {
    const mark = marks[0];
    if (mark === undefined || marks.some((m) => m !== mark)) throw disagree(functions, 'watermarks');
    from = mark;
  }
  const recheck = [...new Set(stored.flatMap((s) => s.record?.recheck ?? []))].sort();
  return {
    resumed: false,
    pending: { startedAfter: from, startedBefore: now.toISOString(), recheck, running: [] },
  };
}

function sameWindow(a: PendingWindow, b: PendingWindow): boolean {
  return (
    a.startedAfter === b.startedAfter &&
    a.startedBefore === b.startedBefore &&
    JSON.stringify(a.recheck) === JSON.stringify(b.recheck)
  );
}

function disagree(functions: readonly string[], what: string): ConfigError {
  return new ConfigError(
    `the functions ${functions.join(', ')} have different ${what} (they were exported apart): run --since-last-run for each of them on its own`,
  );
}
