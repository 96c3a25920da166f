/** A half-open time window [after, before) in epoch milliseconds; an undefined bound is open. */
export interface TimeSlice {
  after?: number;
  before?: number;
  /** The executions listed in it. */
  executions: number;
}

/**
 * Cuts the window [after, before) into slices of about `target` executions each, at execution
 * boundaries: `starts` are the listed executions' start times (ms, any order, all inside the
 * window). Each cut is the start time of the first execution of the next slice, so the slices
 * partition the window exactly (half-open, no gap, no overlap) and an execution on a cut belongs to
 * the later slice. Executions that started in the same millisecond stay together, so a slice may
 * hold more than `target` when many share one. No executions: the whole window, one slice.
 */
export function sliceWindow(
  starts: readonly number[],
  window: { after?: number; before?: number },
  target: number,
): TimeSlice[] {
  if (!(Number.isInteger(target) && target >= 1)) throw new RangeError(`target must be >= 1, got ${target}`);
  const sorted = [...starts].sort((a, b) => a - b);
  const n = sorted.length;
  const parts = Math.max(1, Math.ceil(n / target));
  const cuts: number[] = [];
  for (let i = 1; i < parts; i++) {
    const cut = sorted[Math.round((i * n) / parts)] as number;
    // Strictly increasing and above the first start: no slice is empty of time.
    if (cut > (cuts.at(-1) ?? (sorted[0] as number))) cuts.push(cut);
  }
  const bounds: (number | undefined)[] = [window.after, ...cuts, window.before];
  const slices: TimeSlice[] = [];
  let next = 0;
  for (let i = 0; i + 1 < bounds.length; i++) {
    const before = bounds[i + 1];
    const first = next;
    while (next < n && (before === undefined || (sorted[next] as number) < before)) next++;
    slices.push({ after: bounds[i], before, executions: next - first });
  }
  return slices;
}
