import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets its old generation grow past what the last full collection kept, in percent.
 *
 * By default V8 picks the factor itself (up to 4x when collections are fast), so an export whose
 * live data is 40-60 MiB ran with a heap of 150-200 MiB, mostly garbage waiting for a collection.
 * Fixed at 50%, the same export at 100k rows peaks at about 230 instead of 340 MiB of RSS for
 * about 5% more CPU; at 20% it saved 10 MiB more for 20% more CPU (docs/PERFORMANCE.md,
 * "Memory"). Lambda bills memory, and the pipeline's pace is set by the API quotas, not the CPU.
 */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Sets V8's heap growing factor for this process (`--heap-growing-percent`). V8 reads it whenever
 * it sets the next collection's limit, so it takes effect when set after start-up, unlike the
 * heap's size limits. Called once by the entry points that run exports (the CLI and the Lambda
 * handlers), not by the library: a program that imports the library keeps its own settings. A
 * value given to Node (`node --heap-growing-percent=N`; 0 is V8's own choice) is left as it is.
 */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): void {
  if (execArgv.some((flag) => /^--heap[-_]growing[-_]percent\b/.test(flag))) return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
