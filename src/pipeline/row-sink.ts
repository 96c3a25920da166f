import type { ExecutionRow, OperationRow } from '../schema/index.js';

/** A file the sink has committed. */
export interface WrittenFile {
  key: string;
  table: string;
  dt: string;
  rows: number;
  bytes: number;
}

/**
 * Where rows go. `write` resolves when the rows are accepted (encoded or buffered within the
 * sink's bound); the pipeline awaits it before it pulls the next execution.
 */
export interface RowSink {
  write(table: 'operations', dt: string, rows: readonly OperationRow[]): Promise<void>;
  write(table: 'executions', dt: string, rows: readonly ExecutionRow[]): Promise<void>;
  /** Finishes every open file and returns what was written. */
  close(): Promise<{ files: WrittenFile[] }>;
  /** Abandons open files (uploads aborted, temporary files removed). */
  abort(reason: unknown): Promise<void>;
}
