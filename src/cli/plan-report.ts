import type { ExportPlan } from '../pipeline/plan-export.js';
import { formatDuration } from './progress-line.js';
import { countLines } from './summary-report.js';

/** What `--dry-run` prints: one line per execution it would read, then totals and the estimate. */
export function formatPlan(plan: ExportPlan): string {
  const lines = plan.executions.map((e) => `${e.startTimestamp ?? '-'}\t${e.status}\t${e.arn}`);
  const byStatus = new Map<string, number>();
  for (const e of plan.executions) byStatus.set(e.status, (byStatus.get(e.status) ?? 0) + 1);
  lines.push(
    '',
    `durable-export: dry run (${plan.source} source), nothing was read beyond the listing and the job's state, and nothing was written`,
    `  executions            ${plan.executions.length}${byStatus.size ? ` (${[...byStatus].map(([s, n]) => `${n} ${s}`).join(', ')})` : ''}`,
    ...countLines(plan),
    `  would write to        ${plan.out}`,
    `  requests, at least    ${plan.estimatedRequests}`,
    `  time, at least        ${formatDuration(plan.estimatedSeconds)} at ${plan.requestsPerSecond} requests/s`,
  );
  for (const p of plan.problems) lines.push(`  problem: ${p.subject}: ${p.message}`);
  return `${lines.join('\n')}\n`;
}
