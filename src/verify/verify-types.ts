/** What `verify` found wrong with one object of the lake. */
export interface VerifyProblem {
  /**
   * missing: a manifest lists it, the lake does not have it; extra: a data file no manifest
   * lists; corrupt: it exists but differs from its manifest entry or cannot be read; duplicate: an
   * execution's rows are in two committed files of one table; manifest: a manifest is unreadable
   * or contradicts another; incomplete: executions with rows in another table but no executions row.
   */
  readonly kind: 'missing' | 'extra' | 'corrupt' | 'duplicate' | 'incomplete' | 'manifest';
  /** The object key (relative to the store root). */
  readonly key: string;
  readonly detail: string;
}

export interface VerifyReport {
  /** `s3://bucket/prefix/` or the directory. */
  readonly location: string;
  readonly manifests: number;
  readonly jobs: number;
  /** Data files the manifests list. */
  readonly filesExpected: number;
  /** Of those, files found intact (size, SHA-256, rows, readable). */
  readonly filesOk: number;
  /** Data files in the lake (`_`-prefixed paths ignored). */
  readonly filesFound: number;
  /** Committed compactions (`compact`). */
  readonly compactions: number;
  /** Files a compaction replaced that are still in the lake (delete pending, or kept by Object Lock). */
  readonly filesSuperseded: number;
  /** New files of a compaction not committed yet (an interrupted `compact`; the next one removes them). */
  readonly filesPending: number;
  /** Rows in the intact files, by table. */
  readonly rows: Record<string, number>;
  readonly bytes: number;
  /** Set when DuckDB was not used for the read check (hyparquet still decoded every file). */
  readonly duckdbSkipped?: string;
  readonly problems: VerifyProblem[];
}

/** The key relative to the lake prefix, and whether it is a data file Athena would read. */
export function classifyKey(prefix: string, key: string): { relative: string; data: boolean } {
  const relative = prefix === '' ? key : key.slice(prefix.length + 1);
  const hidden = relative.split('/').some((segment) => segment.startsWith('_') || segment.startsWith('.'));
  return { relative, data: !hidden && relative.endsWith('.parquet') };
}
