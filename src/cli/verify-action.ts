import { writeFile } from 'node:fs/promises';
import { awsConnectionOf } from '../aws/aws-connection.js';
import { openLake } from '../lake/open-lake.js';
import { parseOutputLocation } from '../sink/output-location.js';
import { verifyLake } from '../verify/verify-lake.js';
import { EXIT } from './exit-codes.js';
import type { VerifyFlags } from './verify-command.js';
import { formatVerifyReport } from './verify-report.js';

/** `durable-export verify`: checks the lake against its manifests; resolves to the exit code. */
export async function verifyAction(flags: VerifyFlags): Promise<number> {
  const lake = openLake(parseOutputLocation(flags.out), awsConnectionOf(flags));
  try {
    const report = await verifyLake(lake, { duckdb: flags.duckdb });
    process.stdout.write(formatVerifyReport(report));
    if (flags.json) await writeFile(flags.json, `${JSON.stringify(report, null, 2)}\n`);
    return report.problems.length === 0 ? EXIT.ok : EXIT.partial;
  } finally {
    lake.close();
  }
}
