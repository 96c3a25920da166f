/**
 * Where an export's time goes, from cheap wall-clock counters in the pipeline's one consumer loop
 * (`--summary-json` `timings`). The stages run one after the other in that loop, so they add up to
 * about the run's duration; the source's own work (list, read history, fold) overlaps with the
 * others through its executions in flight, and `sourceMs` is only the time spent waiting for it.
 */
export interface StageTimings {
  /** Waiting for the next execution from the source: list + read history + fold, not overlapped. */
  sourceMs: number;
  /** Making the rows of each table from each execution (`executionRows`). */
  transformMs: number;
  /** Encoding rows into Parquet (a committing sink: into its batch spool). */
  encodeMs: number;
  /** Committing: batch records, data file uploads and the manifest (a plain sink: its close). */
  uploadMs: number;
}

/** What a sink can say about its own share: encoding and uploading (`RowSink.timings`). */
export type SinkTimings = Pick<StageTimings, 'encodeMs' | 'uploadMs'>;

/** Counts wall-clock milliseconds per stage. */
export class StageClock {
  readonly timings: StageTimings = { sourceMs: 0, transformMs: 0, encodeMs: 0, uploadMs: 0 };
  private readonly now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.now = now;
  }

  /** Adds the time `work` takes to `stage`. */
  async time<T>(stage: keyof StageTimings, work: () => Promise<T>): Promise<T> {
    const started = this.now();
    try {
      return await work();
    } finally {
      this.add(stage, this.now() - started);
    }
  }

  /** Adds the time `work` takes to `stage` (synchronous work). */
  timeSync<T>(stage: keyof StageTimings, work: () => T): T {
    const started = this.now();
    try {
      return work();
    } finally {
      this.add(stage, this.now() - started);
    }
  }

  add(stage: keyof StageTimings, ms: number): void {
    this.timings[stage] += ms;
  }

  /** Rounded to whole milliseconds for the summary. */
  rounded(): StageTimings {
    const { sourceMs, transformMs, encodeMs, uploadMs } = this.timings;
    return {
      sourceMs: Math.round(sourceMs),
      transformMs: Math.round(transformMs),
      encodeMs: Math.round(encodeMs),
      uploadMs: Math.round(uploadMs),
    };
  }
}
