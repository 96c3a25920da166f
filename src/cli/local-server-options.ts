import { InvalidArgumentError } from 'commander';

/** What the local servers (`local-service`, `local-s3`) share: their option parsing and their lifetime. */

/** Parses a non-negative integer option (`--port`, `--seed`, ...). */
export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer.');
  return n;
}

/**
 * Resolves on the first SIGINT (Ctrl-C) or SIGTERM: a local server runs until then. It keeps the
 * process alive meanwhile (the local S3 is a child process that does not).
 */
export function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const alive = setInterval(() => {}, 2 ** 30);
    const stop = (signal: NodeJS.Signals) => {
      clearInterval(alive);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
