import type { ExecutionResult, ExportSummary } from '../pipeline/run-export.js';
import type { PendingWindow, StoredWatermark, Watermark } from './watermark.js';

/** What the export job told the incremental run as it went. */
export interface RunObservations {
  /** Executions of the window the listing found RUNNING (exported now or committed before). */
  readonly listedRunning: Set<string>;
  /** Re-checked executions still RUNNING (not read). */
  readonly stillRunning: Set<string>;
  readonly results: ExecutionResult[];
}

/**
 * The watermarks after the run. A run that did not finish its job (cut short, or a listing failed)
 * keeps the window pending and adds the executions it found RUNNING, so the run that finishes the
 * job re-checks them. A finished job advances each watermark to the window's end; its re-check
 * list is what the lake holds RUNNING (listed RUNNING, or re-checked and still RUNNING) and the
 * executions that failed (read again by the next run).
 */
export function nextWatermarks(
  stored: readonly StoredWatermark[],
  window: PendingWindow,
  seen: RunObservations,
  summary: ExportSummary,
  meta: { runId: string | undefined; updatedAt: string },
): { records: Watermark[]; stillRunning: number; advanced: boolean } {
  const running = new Set([...window.running, ...seen.listedRunning]);
  const finished = summary.complete !== false && summary.functionsFailed === 0;
  if (!finished) {
    const pending = { ...window, running: [...running].sort() };
    return {
      records: stored.map((s) => ({ ...recordOf(s, window), pending, ...meta })),
      stillRunning: running.size + seen.stillRunning.size,
      advanced: false,
    };
  }
  const failed = summary.failures
    .filter((f) => !f.listing && f.inputLine === undefined)
    .map((f) => f.subject);
  const recheck = [...new Set([...running, ...seen.stillRunning, ...failed])].sort();
  return {
    records: stored.map((s) => {
      const record = recordOf(s, window);
      return {
        kind: record.kind,
        format: record.format,
        function: record.function,
        startedAfter: window.startedBefore,
        recheck: stored.length === 1 ? recheck : recheck.filter((arn) => ofFunction(arn, record.function)),
        ...meta,
      };
    }),
    stillRunning: running.size + seen.stillRunning.size,
    advanced: true,
  };
}

/** The stored record (written as pending before the export, so it is there). */
function recordOf(stored: StoredWatermark, window: PendingWindow): Watermark {
  return (
    stored.record ?? {
      kind: 'durable-export/watermark',
      format: 1,
      function: '',
      startedAfter: window.startedAfter,
      recheck: [],
      updatedAt: '',
    }
  );
}

/** True when the execution ARN (`...:function:NAME:QUALIFIER/durable-execution/...`) is of `fn`. */
function ofFunction(executionArn: string, fn: string): boolean {
  const name = /:function:([^:/]+)/.exec(executionArn)?.[1];
  const given = fn.includes('function:') ? fn.split('function:')[1]?.split(':')[0] : fn.split(':')[0];
  return name === undefined || name === given;
}
