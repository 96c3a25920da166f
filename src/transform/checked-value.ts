import { ExportError } from '../errors.js';

/**
 * The SDK validates nothing in responses (an `Attempt` may arrive as "3", a timestamp may be
 * missing). These checks turn a value into its column type or raise an error naming the field.
 * `undefined` and `null` become `null`.
 *
 * The field is named by `fieldOf(name)` (e.g. `operation 3 of <arn>: StepDetails.Attempt`), called
 * only when the value is wrong: building the name for every value of every row costs an allocation
 * per value.
 */

/** The full name of field `name` of one operation, event or execution, for an error message. */
export type FieldOf = (name: string) => string;

function wrongType(field: string, expected: string, value: unknown): ExportError {
  return new ExportError(`${field} should be ${expected} but is ${typeof value}`, { stage: 'transform' });
}

export function checkedString(value: unknown, fieldOf: FieldOf, name: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw wrongType(fieldOf(name), 'a string', value);
  return value;
}

export function checkedInt(value: unknown, fieldOf: FieldOf, name: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw wrongType(fieldOf(name), 'an integer', value);
  }
  return value;
}

/** An integer that fits the Parquet INT32 (Athena `int`) column it goes to. */
export function checkedInt32(value: unknown, fieldOf: FieldOf, name: string): number | null {
  const n = checkedInt(value, fieldOf, name);
  if (n !== null && (n < -2_147_483_648 || n > 2_147_483_647)) {
    throw new ExportError(`${fieldOf(name)} is ${n}, outside the 32-bit range of its column`, {
      stage: 'transform',
    });
  }
  return n;
}

export function checkedBoolean(value: unknown, fieldOf: FieldOf, name: string): boolean | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'boolean') throw wrongType(fieldOf(name), 'a boolean', value);
  return value;
}

export function checkedDate(value: unknown, fieldOf: FieldOf, name: string): Date | null {
  if (value === undefined || value === null) return null;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw wrongType(fieldOf(name), 'a timestamp', value);
  }
  return value;
}
