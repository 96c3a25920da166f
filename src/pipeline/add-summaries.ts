import { LAMBDA_APIS, type RequestStats } from '../aws/rate-limiter.js';
import type { ExportSummary, IncrementalCounts } from './export-summary.js';
import { mergeSkipGroups } from './skip-groups.js';

const COUNTS = [
  'executionsListed',
  'executionsExported',
  'executionsFailed',
  'executionsUnfinished',
  'functionsFailed',
  'operations',
  'pages',
  'restarts',
  'warnings',
  'inputLinesSkipped',
  'executionsIncomplete',
  'contextsPruned',
  'bytesWritten',
  'durationMs',
] as const satisfies readonly (keyof ExportSummary)[];

/**
 * The summary of several runs made one after the other (work items, the functions of an
 * incremental `--all-functions` run): the counts, skips, failures and files of all, `interrupted`
 * if any was, `complete: false` if any stopped at its time budget, the last run's `commit`.
 */
export function addSummaries(summaries: readonly ExportSummary[]): ExportSummary {
  const total = { source: summaries[0]?.source ?? 'history' } as ExportSummary;
  for (const key of COUNTS) total[key] = summaries.reduce((n, s) => n + s[key], 0);
  total.executionsSkipped = summaries.reduce((n, s) => n + s.executionsSkipped, 0);
  total.skipped = mergeSkipGroups(summaries.flatMap((s) => s.skipped));
  const budgeted = summaries.filter((s) => s.complete !== undefined);
  return {
    ...total,
    listingComplete: summaries.every((s) => s.listingComplete),
    interrupted: summaries.some((s) => s.interrupted),
    complete: budgeted.length > 0 ? budgeted.every((s) => s.complete) : undefined,
    executionsRemaining:
      budgeted.length > 0 ? budgeted.reduce((n, s) => n + (s.executionsRemaining ?? 0), 0) : undefined,
    incremental: addIncremental(summaries.flatMap((s) => (s.incremental ? [s.incremental] : []))),
    incompleteExecutions: summaries.flatMap((s) => s.incompleteExecutions),
    failures: summaries.flatMap((s) => s.failures),
    files: summaries.flatMap((s) => s.files),
    commit: summaries.at(-1)?.commit,
    requests: addRequestStats(summaries.map((s) => s.requests)),
  };
}

function addIncremental(all: readonly IncrementalCounts[]): IncrementalCounts | undefined {
  if (all.length === 0) return undefined;
  const sum = (f: (c: IncrementalCounts) => number) => all.reduce((n, c) => n + f(c), 0);
  return {
    new: sum((c) => c.new),
    rechecked: sum((c) => c.rechecked),
    reexported: sum((c) => c.reexported),
    stillRunning: sum((c) => c.stillRunning),
  };
}

/**
 * Each run had its own limiter: their attempts add up; each API's rate and limit are the last's,
 * and the shared limiter's state (a fallback in any run wins).
 */
export function addRequestStats(all: readonly RequestStats[]): RequestStats {
  const sum = (f: (r: RequestStats) => number | undefined) => all.reduce((n, r) => n + (f(r) ?? 0), 0);
  const last = all.at(-1);
  const apis = last?.apis
    ? Object.fromEntries(
        LAMBDA_APIS.map((api) => [
          api,
          {
            ...last.apis?.[api],
            requests: sum((r) => r.apis?.[api].requests),
            throttled: sum((r) => r.apis?.[api].throttled),
            slowdowns: sum((r) => r.apis?.[api].slowdowns),
          },
        ]),
      )
    : undefined;
  return {
    requests: sum((r) => r.requests),
    throttled: sum((r) => r.throttled),
    failedAttempts: sum((r) => r.failedAttempts),
    retries: sum((r) => r.retries),
    permanentErrors: sum((r) => r.permanentErrors),
    apis: apis as RequestStats['apis'],
    // A shared limiter that fell back in any run is reported as fallen back (the log warns).
    sharedLimiter:
      all.find((r) => r.sharedLimiter?.mode === 'fallback')?.sharedLimiter ?? last?.sharedLimiter,
  };
}
