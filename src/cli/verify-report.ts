import type { VerifyProblem, VerifyReport } from '../verify/verify-types.js';
import { formatBytes } from './summary-report.js';

const LABEL = {
  missing: 'MISSING',
  extra: 'EXTRA',
  corrupt: 'CORRUPT',
  duplicate: 'DUPLICATE',
  incomplete: 'INCOMPLETE',
  manifest: 'MANIFEST',
} as const satisfies Record<VerifyProblem['kind'], string>;

/** The human report of `durable-export verify`: counts, then one line per problem, then the verdict. */
export function formatVerifyReport(report: VerifyReport): string {
  const count = (kind: keyof typeof LABEL) => report.problems.filter((p) => p.kind === kind).length;
  const rows = Object.entries(report.rows)
    .map(([table, n]) => `${table} ${n}`)
    .join(', ');
  const lines = [
    `durable-export verify ${report.location}`,
    `  manifests             ${report.manifests} (${report.jobs} job${report.jobs === 1 ? '' : 's'})`,
    `  files committed       ${report.filesExpected} (${report.filesFound} data files in the lake)`,
    `  files intact          ${report.filesOk} (${formatBytes(report.bytes)}${rows ? `; rows: ${rows}` : ''})`,
    `  read check            hyparquet${report.duckdbSkipped ? ` (DuckDB skipped: ${report.duckdbSkipped})` : ' and DuckDB'}`,
  ];
  if (report.compactions > 0 || report.filesPending > 0) {
    lines.push(
      `  compactions           ${report.compactions} (skipped: ${report.filesSuperseded} superseded files still in the lake, ${report.filesPending} new files not committed yet)`,
    );
  }
  for (const problem of report.problems) {
    lines.push(`  ${LABEL[problem.kind].padEnd(9)} ${problem.key}: ${problem.detail}`);
  }
  const kinds = (Object.keys(LABEL) as (keyof typeof LABEL)[])
    .filter((k) => count(k) > 0)
    .map((k) => `${count(k)} ${k}`);
  lines.push(
    report.problems.length === 0
      ? 'verify: OK, the lake matches its manifests'
      : `verify: FAILED (${kinds.join(', ')})`,
  );
  return `${lines.join('\n')}\n`;
}
