/**
 * The execution statuses `ListDurableExecutionsByFunction` filters by; also the CLI's `--status`
 * choices. Apart from the config schema so that the CLI's help does not load zod.
 */
export const EXECUTION_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'STOPPED'] as const;
