import type { z } from 'zod';
import { ExportError } from '../errors.js';
import type { ObjectReader } from '../lake/object-reader.js';
import type { ObjectStore } from '../sink/object-sink.js';
import { SinkError } from '../sink/sink-error.js';

/**
 * Writes a small JSON object that must never be replaced (`If-None-Match: *` on S3, a hard link
 * locally). Resolves `'exists'` when the key is already taken, so the caller decides whether that
 * is fine (the same record written before a crash) or a conflict (another run of the job).
 */
export async function putJsonOnce(
  store: ObjectStore,
  key: string,
  value: unknown,
): Promise<'written' | 'exists'> {
  const sink = store.open(key);
  try {
    await sink.write(new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`));
    await sink.complete();
    return 'written';
  } catch (error) {
    await sink.abort(error);
    if (error instanceof SinkError && error.errorType === 'already_exists') return 'exists';
    throw error;
  }
}

/** Reads and checks a JSON record; `undefined` when there is no object under `key`. */
export async function readJsonRecord<T>(
  reader: ObjectReader,
  key: string,
  schema: z.ZodType<T>,
): Promise<T | undefined> {
  const bytes = await reader.read(key);
  if (bytes === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new ExportError(
      `${reader.describe(key)} is not valid JSON: ${(error as Error).message}`,
      { stage: 'commit', key },
      { cause: error },
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ExportError(
      `${reader.describe(key)} is not a valid durable-export record: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
      { stage: 'commit', key },
      { cause: parsed.error },
    );
  }
  return parsed.data;
}
