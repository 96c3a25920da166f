import { ByteWriter } from 'hyparquet-writer';
import type { ObjectSink } from './object-sink.js';

/** Initial (and post-flush) buffer size; the buffer doubles while a row group is encoded. */
const INITIAL_BUFFER_BYTES = 1 << 16;

/**
 * A hyparquet `Writer` whose bytes go to an async {@link ObjectSink} instead of memory.
 *
 * hyparquet-writer calls `flush()` after each row group and `finish()` after the footer. Both hand
 * the bytes written since the last flush to the sink and return its promise; `ParquetWriter`
 * returns that promise from `write`/`finish`, so the caller awaits the sink before encoding more.
 * Between flushes the bytes of one encoded row group live in `buffer`.
 *
 * On flush the filled buffer itself is handed over (no copy) and a small fresh one is started, so
 * an idle writer (e.g. one of many open partitions) holds 64 KiB, not its largest row group: a
 * batch spool keeps a dozen writers open.
 */
export class SinkByteWriter extends ByteWriter {
  /** Bytes handed to the sink so far. */
  flushedBytes = 0;
  private readonly sink: ObjectSink;

  constructor(sink: ObjectSink) {
    super(INITIAL_BUFFER_BYTES);
    this.sink = sink;
  }

  /** Hands the buffered bytes to the sink; resolves when the sink can take more. */
  flush(): Promise<void> {
    if (this.index === 0) return Promise.resolve();
    const chunk = new Uint8Array(this.buffer, 0, this.index);
    this.flushedBytes += this.index;
    this.buffer = new ArrayBuffer(INITIAL_BUFFER_BYTES);
    this.view = new DataView(this.buffer);
    this.index = 0;
    return this.sink.write(chunk);
  }

  /** Called by `ParquetWriter.finish()` after the footer: flush the rest. */
  override finish(): Promise<void> {
    return this.flush();
  }

  override getBuffer(): ArrayBuffer {
    throw new Error('SinkByteWriter streams to its sink; getBuffer() is not available');
  }

  override getBytes(): Uint8Array<ArrayBuffer> {
    throw new Error('SinkByteWriter streams to its sink; getBytes() is not available');
  }
}
