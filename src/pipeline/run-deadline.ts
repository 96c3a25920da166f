/**
 * An abort signal that fires at `stopTakingNewAt` (ms since the epoch; never without one), and how
 * to cancel its timer: the time budget of `exportExecutions`.
 */
export function deadlineOf(
  stopTakingNewAt: number | undefined,
  now: () => number,
): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  if (stopTakingNewAt === undefined) return { signal: controller.signal, clear: () => {} };
  const at = new Date(stopTakingNewAt).toISOString();
  const stop = () =>
    controller.abort(new Error(`stopped taking new executions at ${at}; the next run of the job goes on`));
  const timer = setTimeout(stop, Math.max(0, stopTakingNewAt - now()));
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}
