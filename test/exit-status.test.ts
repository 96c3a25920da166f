import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '../src/cli/exit-status.js';

describe('exit code of a finished run', () => {
  it('is 0 when nothing failed, 1 when some part was done, 3 when everything asked for failed', () => {
    expect(exitCodeOf({ executionsExported: 5, executionsFailed: 0 })).toBe(0);
    expect(exitCodeOf({ executionsExported: 0, executionsFailed: 0 })).toBe(0);
    expect(exitCodeOf({ executionsExported: 4, executionsFailed: 1 })).toBe(1);
    expect(exitCodeOf({ executionsExported: 0, executionsSkipped: 3, executionsFailed: 1 })).toBe(1);
    expect(exitCodeOf({ executionsExported: 0, executionsFailed: 2 })).toBe(3);
  });
});
