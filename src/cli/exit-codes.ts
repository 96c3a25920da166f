/** Exit codes, documented in the README. */
export const EXIT = {
  /** Every execution exported. */
  ok: 0,
  /** Some executions (or function listings) failed; the rest were exported and committed. */
  partial: 1,
  /** Usage or configuration error; nothing was done. */
  usage: 2,
  /** Fatal error; nothing was committed. */
  fatal: 3,
} as const;

/**
 * Exit codes of an export stopped by a signal, after it wrote its summary (marked `interrupted`):
 * 128 + the signal's number, what a shell reports for a process the signal ended. Batches already
 * completed stay committed; the same command resumes.
 */
export const INTERRUPTED_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

/** The signals an export stops on, cleanly. */
export type InterruptSignal = keyof typeof INTERRUPTED_EXIT;
