import { parquetMetadata, parquetRead } from 'hyparquet';
import { SCHEMA_VERSION_KEY, TABLE_KEY } from '../schema/index.js';

/** What a Parquet data file of the lake holds, read from its footer and its `execution_arn` column. */
export interface ParquetFacts {
  /** Row count from the footer. */
  readonly rows: number;
  /** Rows actually decoded (equals `rows` in a sound file). */
  readonly rowsDecoded: number;
  /** `durable_export.table` from the footer's key-value metadata, if present. */
  readonly table: string | undefined;
  /** `durable_export.schema_version` from the footer, if present. */
  readonly schemaVersion: string | undefined;
  /** Distinct values of the `execution_arn` column. */
  readonly executionArns: ReadonlySet<string>;
}

/**
 * Parses a whole Parquet file in memory with hyparquet (pure JS, no native code): the footer, then
 * the `execution_arn` column, or with `decodeAll` every column (a full readability check: each page
 * decompressed and decoded). Throws when the file is not readable Parquet.
 */
export async function parquetFacts(
  bytes: Uint8Array,
  options: { decodeAll?: boolean } = {},
): Promise<ParquetFacts> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const metadata = parquetMetadata(file);
  const kv = new Map((metadata.key_value_metadata ?? []).map((e) => [e.key, e.value]));
  const executionArns = new Set<string>();
  let rowsDecoded = 0;
  await parquetRead({
    file,
    metadata,
    columns: options.decodeAll ? undefined : ['execution_arn'],
    onChunk: (chunk) => {
      if (chunk.columnName !== 'execution_arn') return;
      rowsDecoded += chunk.columnData.length;
      for (const value of chunk.columnData) if (typeof value === 'string') executionArns.add(value);
    },
  });
  return {
    rows: Number(metadata.num_rows),
    rowsDecoded,
    table: kv.get(TABLE_KEY),
    schemaVersion: kv.get(SCHEMA_VERSION_KEY),
    executionArns,
  };
}
