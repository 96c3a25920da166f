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
