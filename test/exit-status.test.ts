import { describe, expect, it } from 'vitest';
import { exitCodeOf, type OutcomeCounts } from '../src/cli/exit-status.js';

const run = (counts: Partial<OutcomeCounts>): OutcomeCounts => ({
  executionsExported: 0,
  executionsFailed: 0,
  executionsSkipped: 0,
  functionsFailed: 0,
  inputLinesSkipped: 0,
  ...counts,
});

describe('exit code of a finished run', () => {
  it('is 0 when nothing failed, 1 when some part was done, 3 when everything asked for failed', () => {
    expect(exitCodeOf(run({ executionsExported: 5 }))).toBe(0);
    expect(exitCodeOf(run({}))).toBe(0);
    expect(exitCodeOf(run({ executionsExported: 4, executionsFailed: 1 }))).toBe(1);
    expect(exitCodeOf(run({ executionsSkipped: 3, executionsFailed: 1 }))).toBe(1);
    expect(exitCodeOf(run({ executionsFailed: 2 }))).toBe(3);
  });

  it('is 1 for skipped input lines, executions a resumed batch lost, or a failed --register-glue', () => {
    expect(exitCodeOf(run({ executionsExported: 5, inputLinesSkipped: 1 }))).toBe(1);
    const lost = { executionsNotFound: ['arn:x'], executionsPartial: [] };
    expect(exitCodeOf(run({ executionsExported: 5, commit: lost }))).toBe(1);
    expect(exitCodeOf(run({ executionsExported: 5 }), 'failed')).toBe(1);
    expect(exitCodeOf(run({ executionsExported: 5 }), 'registered')).toBe(0);
  });

  it('counts failed function listings on their own: 1 beside exported executions, 3 alone', () => {
    expect(exitCodeOf(run({ executionsExported: 5, functionsFailed: 1 }))).toBe(1);
    expect(exitCodeOf(run({ executionsSkipped: 5, functionsFailed: 1 }))).toBe(1);
    expect(exitCodeOf(run({ functionsFailed: 2 }))).toBe(3);
  });

  it('is 130 after SIGINT and 143 after SIGTERM, whatever the counts; 3 for an abort without a signal', () => {
    const stopped = run({ executionsExported: 5, executionsFailed: 1, interrupted: true });
    expect(exitCodeOf(stopped, undefined, 'SIGINT')).toBe(130);
    expect(exitCodeOf(stopped, undefined, 'SIGTERM')).toBe(143);
    expect(exitCodeOf(stopped)).toBe(3);
    expect(exitCodeOf(run({ executionsExported: 5 }), undefined, 'SIGTERM')).toBe(0);
  });
});
