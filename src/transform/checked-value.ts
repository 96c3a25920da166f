import { ExportError } from '../errors.js';

/**
 * The SDK validates nothing in responses (an `Attempt` may arrive as "3", a timestamp may be
 * missing). These checks turn a value into its column type or raise an error naming the field.
 * `undefined` and `null` become `null`.
 */

function wrongType(field: string, expected: string, value: unknown): ExportError {
  return new ExportError(`${field} should be ${expected} but is ${typeof value}`, { stage: 'transform' });
}

export function checkedString(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw wrongType(field, 'a string', value);
  return value;
}

export function checkedInt(value: unknown, field: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw wrongType(field, 'an integer', value);
  return value;
}

/** An integer that fits the Parquet INT32 (Athena `int`) column it goes to. */
export function checkedInt32(value: unknown, field: string): number | null {
  const n = checkedInt(value, field);
  if (n !== null && (n < -2_147_483_648 || n > 2_147_483_647)) {
    throw new ExportError(`${field} is ${n}, outside the 32-bit range of its column`, { stage: 'transform' });
  }
  return n;
}

export function checkedBoolean(value: unknown, field: string): boolean | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'boolean') throw wrongType(field, 'a boolean', value);
  return value;
}

export function checkedDate(value: unknown, field: string): Date | null {
  if (value === undefined || value === null) return null;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw wrongType(field, 'a timestamp', value);
  return value;
}
