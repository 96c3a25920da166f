import type { ExportSummary } from '../pipeline/run-export.js';

/** The human summary printed at the end of a run. */
export function formatSummary(s: ExportSummary): string {
  const lines = [
    '',
    `durable-export: ${s.executionsFailed === 0 ? 'export complete' : 'export finished with failures'}`,
    `  executions exported   ${s.executionsExported}`,
    `  executions failed     ${s.executionsFailed}`,
    `  operations (rows)     ${s.operations}`,
    `  history pages read    ${s.pages}${s.restarts ? ` (${s.restarts} re-read after an expired marker)` : ''}`,
    `  requests              ${s.requests.requests} (throttled ${s.requests.throttled}, failed attempts ${s.requests.failedAttempts})`,
    `  files written         ${s.files.length} (${formatBytes(s.bytesWritten)})`,
    `  fold warnings         ${s.warnings}`,
    `  duration              ${(s.durationMs / 1000).toFixed(1)} s`,
  ];
  if (s.failures.length > 0) {
    lines.push('  failures:');
    for (const f of s.failures.slice(0, 20)) lines.push(`    ${f.subject}: ${f.message}`);
    if (s.failures.length > 20) lines.push(`    ... and ${s.failures.length - 20} more (see --summary-json)`);
  }
  return `${lines.join('\n')}\n`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
