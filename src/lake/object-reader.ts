/**
 * The read side of a lake location, shared by resume (reading `_state/`), adoption of files that a
 * crashed run completed, `verify` and `cleanup`. Keys are relative to the store root (the bucket,
 * or the output directory), `/`-separated, exactly as `ObjectStore.open` takes them.
 */

/** One stored object as a listing sees it. */
export interface ListedObject {
  readonly key: string;
  readonly bytes: number;
}

export interface ObjectReader {
  /** Every object whose key starts with `prefix` (recursively), in no particular order. */
  list(prefix: string): AsyncIterable<ListedObject>;
  /** The whole object, or `undefined` when no object has this key. */
  read(key: string): Promise<Uint8Array | undefined>;
  /** Human-readable location of `key`: `s3://bucket/key` or an absolute file path. */
  describe(key: string): string;
  /** The local file holding `key`, when objects are local files (so readers need no copy). */
  localPath?(key: string): string;
}

/** `prefix` + `/` + `rest`, for an empty or non-empty key prefix. */
export function underPrefix(prefix: string, rest: string): string {
  return prefix === '' ? rest : `${prefix}/${rest}`;
}
