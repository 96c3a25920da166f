import { ParquetWriter } from 'hyparquet-writer';
import {
  type ColumnSpec,
  parquetSchemaOf,
  type RowOf,
  SCHEMA_VERSION,
  SCHEMA_VERSION_KEY,
  TABLE_KEY,
  type TableSpec,
} from '../schema/index.js';
import { type ConstantColumns, columnsOf, type RowRecord } from './column-values.js';
import { defaultCreatedBy } from './created-by.js';
import type { ObjectSink } from './object-sink.js';
import { RowBytesEstimator } from './row-bytes-estimator.js';
import { SinkByteWriter } from './sink-byte-writer.js';
import { describeCause, SinkError } from './sink-error.js';

export interface ParquetFileWriterOptions<Cols extends readonly ColumnSpec[]> {
  /** The table whose rows this file holds; its columns give the Parquet schema. */
  readonly table: TableSpec<Cols>;
  /** Where the bytes go; the writer completes or aborts it. */
  readonly sink: ObjectSink;
  /** Rows per row group (default 50,000). */
  readonly rowGroupRows?: number;
  /**
   * Also cut a row group when buffered rows reach this estimate of their memory (default 16 MiB;
   * `RowBytesEstimator`: a long string repeated in a column counts once).
   */
  readonly rowGroupBytes?: number;
  /** Footer `created_by` (default `durable-export version <v> (hyparquet-writer)`). */
  readonly createdBy?: string;
  /** Extra footer key-value metadata, added after the schema version and table name. */
  readonly kvMetadata?: Readonly<Record<string, string>>;
  /**
   * Columns whose value is the same in every row of the file, written from here whatever the row
   * objects hold (the batch's provenance: `BatchSpool` stamps without copying each row).
   */
  readonly constantColumns?: ConstantColumns;
}

/** What a completed file holds. */
export interface ParquetFileResult {
  readonly key: string;
  readonly rows: number;
  readonly bytes: number;
  readonly rowGroups: number;
}

export const DEFAULT_ROW_GROUP_ROWS = 50_000;
export const DEFAULT_ROW_GROUP_BYTES = 16 * 1024 * 1024;

type State = 'open' | 'busy' | 'closed' | 'failed' | 'aborted';

/**
 * Streams the rows of one table into one Parquet file: INT64 UTC-millisecond timestamps, UTF-8
 * strings, SNAPPY, statistics on (but for payload columns: `ColumnSpec.statistics`), dictionaries where
 * hyparquet-writer finds them worthwhile.
 *
 * Memory contract: rows are buffered up to one row group (`rowGroupRows` rows or `rowGroupBytes`
 * estimated bytes, whichever comes first), then encoded and handed to the sink, and `write` does
 * not resolve until the sink has taken the bytes. Awaiting `write` before producing more rows keeps
 * memory at about one row group plus what the sink buffers (one upload part).
 *
 * Calls must not overlap: await each `write` before the next call. Any failure aborts the sink and
 * leaves the writer failed; `close` completes the object, `abort` removes it.
 */
export class ParquetFileWriter<Cols extends readonly ColumnSpec[]> {
  readonly key: string;
  private readonly table: TableSpec<Cols>;
  private readonly sink: ObjectSink;
  private readonly bytes: SinkByteWriter;
  private readonly parquet: ParquetWriter;
  private readonly rowGroupRows: number;
  private readonly rowGroupBytes: number;
  private readonly constantColumns: ConstantColumns | undefined;
  private readonly estimator: RowBytesEstimator;
  private buffered: RowOf<Cols>[] = [];
  private bufferedEstimate = 0;
  private written = 0;
  private rowGroups = 0;
  private state: State = 'open';

  constructor(options: ParquetFileWriterOptions<Cols>) {
    const {
      table,
      sink,
      rowGroupRows = DEFAULT_ROW_GROUP_ROWS,
      rowGroupBytes = DEFAULT_ROW_GROUP_BYTES,
    } = options;
    for (const [name, value] of Object.entries({ rowGroupRows, rowGroupBytes })) {
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new RangeError(`ParquetFileWriter ${name} must be a positive integer, got ${value}`);
      }
    }
    this.key = sink.key;
    this.table = table;
    this.sink = sink;
    this.rowGroupRows = rowGroupRows;
    this.rowGroupBytes = rowGroupBytes;
    this.constantColumns = options.constantColumns;
    this.estimator = new RowBytesEstimator(table.columns, options.constantColumns);
    this.bytes = new SinkByteWriter(sink);
    const kv = {
      [SCHEMA_VERSION_KEY]: String(SCHEMA_VERSION),
      [TABLE_KEY]: table.name,
      ...options.kvMetadata,
    };
    this.parquet = new ParquetWriter({
      writer: this.bytes,
      schema: parquetSchemaOf(table.columns),
      codec: 'SNAPPY',
      statistics: true,
      kvMetadata: Object.entries(kv).map(([key, value]) => ({ key, value })),
      createdBy: options.createdBy ?? defaultCreatedBy(),
    });
  }

  /** Rows accepted so far (written or buffered). */
  get rows(): number {
    return this.written + this.buffered.length;
  }

  /** Adds rows; resolves once every full row group among them has been taken by the sink. */
  async write(rows: Iterable<RowOf<Cols>>): Promise<void> {
    this.enter('write');
    try {
      for (const row of rows) {
        this.buffered.push(row);
        this.bufferedEstimate += this.estimator.add(row as RowRecord);
        if (this.buffered.length >= this.rowGroupRows || this.bufferedEstimate >= this.rowGroupBytes) {
          await this.writeRowGroup();
        }
      }
      this.leave('open');
    } catch (error) {
      throw await this.fail(error);
    }
  }

  /** Rows buffered for the next row group. */
  get bufferedRows(): number {
    return this.buffered.length;
  }

  /** Estimated bytes of the rows buffered for the next row group. */
  get bufferedBytes(): number {
    return this.bufferedEstimate;
  }

  /**
   * Writes the buffered rows as a row group now, before it is full: lets the owner of several
   * writers keep their buffers together within one row group's budget (`BatchSpool`).
   */
  async flushRowGroup(): Promise<void> {
    this.enter('flushRowGroup');
    try {
      if (this.buffered.length > 0) await this.writeRowGroup();
      this.leave('open');
    } catch (error) {
      throw await this.fail(error);
    }
  }

  /** Writes the last row group and the footer, then completes the object. */
  async close(): Promise<ParquetFileResult> {
    this.enter('close');
    try {
      if (this.buffered.length > 0) await this.writeRowGroup();
      await this.parquet.finish();
      const { bytes } = await this.sink.complete();
      this.leave('closed');
      return { key: this.key, rows: this.written, bytes, rowGroups: this.rowGroups };
    } catch (error) {
      throw await this.fail(error);
    }
  }

  /** Drops buffered rows and removes the object. Never rejects; a no-op once closed. */
  async abort(reason: unknown): Promise<void> {
    if (this.state === 'closed' || this.state === 'aborted') return;
    this.state = 'aborted';
    this.buffered = [];
    await this.sink.abort(reason);
  }

  private enter(operation: string): void {
    if (this.state === 'open') {
      this.state = 'busy';
      return;
    }
    const why =
      this.state === 'busy' ? 'while a previous call is still pending' : `after the writer was ${this.state}`;
    throw new SinkError(`ParquetFileWriter.${operation}() called ${why} (${this.key})`, {
      errorType: 'closed',
      key: this.key,
    });
  }

  private leave(next: 'open' | 'closed'): void {
    if (this.state !== 'busy') {
      throw new SinkError(`${this.key} was ${this.state} while being written`, {
        errorType: 'closed',
        key: this.key,
      });
    }
    this.state = next;
  }

  private async writeRowGroup(): Promise<void> {
    const rows = this.buffered;
    this.buffered = [];
    this.bufferedEstimate = 0;
    this.estimator.startRowGroup();
    const columnData = columnsOf(
      this.table.name,
      this.table.columns,
      rows as RowRecord[],
      this.key,
      this.written,
      this.constantColumns,
    );
    await this.parquet.write({ columnData, rowGroupSize: rows.length });
    this.written += rows.length;
    this.rowGroups += 1;
  }

  private async fail(error: unknown): Promise<SinkError> {
    if (this.state !== 'aborted') this.state = 'failed';
    this.buffered = [];
    const wrapped =
      error instanceof SinkError
        ? error
        : new SinkError(`encoding ${this.table.name} rows into ${this.key} failed: ${describeCause(error)}`, {
            errorType: 'write_failed',
            key: this.key,
            cause: error,
          });
    await this.sink.abort(wrapped);
    return wrapped;
  }
}
