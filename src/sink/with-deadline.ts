/** How long a step may take, and the run's signal (SIGINT/SIGTERM) that stops it sooner. */
export interface Deadline {
  /** Milliseconds the step may take. */
  readonly timeoutMs: number;
  /** The run's abort signal: when it fires, the step rejects at once with its reason. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs `step` with a signal that fires when `deadline.timeoutMs` passes or the run's signal fires,
 * and settles no later than that: with the step's own result, with `timedOut()` after the
 * timeout, or with the run signal's reason. The step should hand the signal to what it waits for
 * (`client.send(command, { abortSignal })`) so that nothing is left running; a step that cannot be
 * cancelled (a hung file system call) is left behind rather than waited for.
 */
export function withDeadline<T>(
  deadline: Deadline,
  timedOut: () => Error,
  step: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const timer = new AbortController();
  const signal = deadline.signal ? AbortSignal.any([deadline.signal, timer.signal]) : timer.signal;
  return new Promise<T>((resolve, reject) => {
    const stop = (): void => reject(signal.reason);
    if (signal.aborted) return stop();
    const timeout = setTimeout(() => timer.abort(timedOut()), deadline.timeoutMs);
    signal.addEventListener('abort', stop, { once: true });
    step(signal)
      .then(resolve, (error: unknown) => reject(signal.aborted ? signal.reason : error))
      .finally(() => {
        clearTimeout(timeout);
        signal.removeEventListener('abort', stop);
      });
  });
}
