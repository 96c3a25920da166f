/** What one encoder child process reports to bench/encoders.ts (one JSON line on stdout). */
import type { RowsChecksum } from './operation-rows.js';

/** `generate-only` runs the row generator alone: the baseline for time and memory. */
export const ENCODERS = ['generate-only', 'parquetjs-lite', 'hyparquet-writer'] as const;
export type Encoder = (typeof ENCODERS)[number];

export interface EncodeResult {
  readonly encoder: Encoder;
  readonly rows: number;
  /** Wall time from the first generated row to the file closed. */
  readonly seconds: number;
  /** Peak RSS of the child (`peakRssKiB`), in MiB. */
  readonly maxRssMiB: number;
  /** What the generator produced, to compare with what DuckDB reads back. */
  readonly checksum: RowsChecksum;
}

export function isEncoder(value: string | undefined): value is Encoder {
  return (ENCODERS as readonly string[]).includes(value ?? '');
}
