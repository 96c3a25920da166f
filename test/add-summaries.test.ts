import { describe, expect, it } from 'vitest';
import { addSummaries } from '../src/pipeline/add-summaries.js';
import { type ExportSummary, emptySummary } from '../src/pipeline/export-summary.js';

function summary(fields: Partial<ExportSummary>): ExportSummary {
  return { ...emptySummary('history', undefined), ...fields };
}

describe('the summary of several runs (work items, the functions of an --all-functions incremental run)', () => {
  it('adds up counts and skip reasons, and keeps the listed = exported + skipped + failed rule', () => {
    const total = addSummaries([
      summary({
        executionsListed: 5,
        executionsExported: 3,
        executionsSkipped: 2,
        skipped: [{ reason: 'already exported by run R1', runId: 'R1', executions: 2 }],
      }),
      summary({
        executionsListed: 4,
        executionsExported: 1,
        executionsFailed: 1,
        executionsSkipped: 2,
        skipped: [
          { reason: 'already exported by run R1', runId: 'R1', executions: 1 },
          { reason: 'committed by an earlier run of this job', executions: 1 },
        ],
      }),
    ]);
    expect(total).toMatchObject({ executionsListed: 9, executionsExported: 4, executionsFailed: 1 });
    expect(total.executionsSkipped).toBe(4);
    expect(total.skipped).toEqual([
      { reason: 'already exported by run R1', runId: 'R1', executions: 3 },
      { reason: 'committed by an earlier run of this job', executions: 1 },
    ]);
    expect(total.executionsListed).toBe(
      total.executionsExported + total.executionsSkipped + total.executionsFailed,
    );
  });

  it('is not complete when one run stopped at its time budget, and adds the incremental counts', () => {
    const total = addSummaries([
      summary({ complete: true, executionsRemaining: 0, incremental: inc(2, 1, 1, 0) }),
      summary({ complete: false, executionsRemaining: 7, incremental: inc(3, 0, 0, 2) }),
    ]);
    expect(total).toMatchObject({ complete: false, executionsRemaining: 7 });
    expect(total.incremental).toEqual(inc(5, 1, 1, 2));
    expect(addSummaries([summary({})]).complete).toBeUndefined();
  });
});

function inc(fresh: number, rechecked: number, reexported: number, stillRunning: number) {
  return { new: fresh, rechecked, reexported, stillRunning };
}
