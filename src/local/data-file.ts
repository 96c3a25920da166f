import { readFile } from 'node:fs/promises';
import type { StoredExecution } from './service/stored-execution.js';
import { assertStoredExecutions } from './service/stored-execution-shape.js';

/** Thrown when a data file cannot be read or is not JSON; shape problems throw `StoredExecutionShapeError`. */
export class DataFileError extends Error {
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`Data file ${path}: ${message}`, options);
    this.name = 'DataFileError';
  }
}

/**
 * Reads the executions the local service serves from a JSON file: an array of `{ execution, events }`
 * in wire form (epoch-second timestamps), e.g. `JSON.stringify(generateSyntheticExecutions(...))`.
 * Extra members (such as a synthetic execution's `expectedOperations`) are kept and ignored by the service.
 *
 * @throws DataFileError when the file is unreadable or not JSON.
 * @throws StoredExecutionShapeError naming the bad index and field, e.g. `[3].events[5].EventTimestamp`.
 */
export async function loadDataFile(path: string): Promise<StoredExecution[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new DataFileError(path, `cannot read it: ${(error as Error).message}`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DataFileError(path, `not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return assertStoredExecutions(value, path);
}
