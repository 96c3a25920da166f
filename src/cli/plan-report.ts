import type { ExportPlan } from '../pipeline/plan-export.js';
import { printable } from '../safe-error-text.js';
import type { TargetPlan } from '../targets/plan-targets.js';
import { targetLabel } from '../targets/target-list.js';
import { formatDuration } from './progress-line.js';
import { countLines } from './summary-report.js';

/** What `--dry-run` prints: one line per execution it would read, then totals and the estimate. */
export function formatPlan(plan: ExportPlan): string {
  const lines = plan.executions.map((e) => `${e.startTimestamp ?? '-'}\t${e.status}\t${e.arn}`);
  const byStatus = new Map<string, number>();
  for (const e of plan.executions) byStatus.set(e.status, (byStatus.get(e.status) ?? 0) + 1);
  if (plan.functionsDiscovered) {
    lines.push('', `functions found (--all-functions): ${plan.functionsDiscovered.length}`);
    for (const f of plan.functionsDiscovered) lines.push(`  ${f.name}\t${f.arn}`);
  }
  lines.push(
    '',
    `durable-export: dry run (${plan.source} source), nothing was read beyond the listing and the job's state, and nothing was written`,
    `  executions            ${plan.executions.length}${byStatus.size ? ` (${[...byStatus].map(([s, n]) => `${n} ${s}`).join(', ')})` : ''}`,
    ...countLines(plan),
    `  would write to        ${plan.out}`,
    `  requests, at least    ${plan.estimatedRequests}${perApi(plan)}`,
    `  time, at least        ${formatDuration(plan.estimatedSeconds)} ${boundBy(plan)}`,
  );
  for (const p of plan.problems) lines.push(`  problem: ${p.subject}: ${p.message}`);
  return `${lines.join('\n')}\n`;
}

/** `--dry-run` with targets: each target named, then its plan or why it would fail. */
export function formatTargetPlans(plans: readonly TargetPlan[]): string {
  const parts = plans.map((p) => {
    const head = `target ${targetLabel(p)}`;
    if (p.plan) return `${head}\n${formatPlan(p.plan)}`;
    if (p.error === undefined) return `${head}\n  no function with durable execution enabled\n`;
    return `${head}\n  target failed: ${printable(p.error)}\n`;
  });
  const failed = plans.filter((p) => p.error !== undefined).length;
  return `${parts.join('\n')}\ntargets               ${plans.length}${failed ? ` (${failed} failed)` : ''}\n`;
}

/** ` (list 1 at 15/s, history 9 at 15/s)`: each API's requests and limit. */
function perApi(plan: ExportPlan): string {
  if (plan.apis.length === 0) return '';
  return ` (${plan.apis.map((a) => `${a.api} ${a.requests} at ${a.limit}/s`).join(', ')})`;
}

/** What sets the pace: the overall cap when it is slower than every API's limit, else the slowest API. */
function boundBy(plan: ExportPlan): string {
  const cap = plan.requestsPerSecond;
  const slowest = [...plan.apis].sort((a, b) => b.requests / b.limit - a.requests / a.limit)[0];
  if (cap !== undefined && (!slowest || plan.estimatedRequests / cap >= slowest.requests / slowest.limit)) {
    return `at ${cap} requests/s (lambda.requestsPerSecond, every API together)`;
  }
  return slowest ? `at ${slowest.limit} requests/s (${slowest.api}, the slowest API)` : '';
}
