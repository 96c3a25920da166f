import { createHash, type Hash } from 'node:crypto';
import type { ObjectSink } from '../sink/object-sink.js';

/**
 * An `ObjectSink` that computes the SHA-256 of the bytes it passes on, so a file's checksum comes
 * for free while it streams (no second read). The hash covers exactly the bytes given to the
 * inner sink, in order; `sha256()` is valid once `complete` resolved.
 */
export class HashingObjectSink implements ObjectSink {
  readonly key: string;
  private readonly inner: ObjectSink;
  private readonly hash: Hash = createHash('sha256');
  private digest: string | undefined;

  constructor(inner: ObjectSink) {
    this.inner = inner;
    this.key = inner.key;
  }

  write(chunk: Uint8Array): Promise<void> {
    // Hash before handing over: the chunk belongs to the inner sink afterwards.
    this.hash.update(chunk);
    return this.inner.write(chunk);
  }

  async complete(): Promise<{ bytes: number }> {
    const result = await this.inner.complete();
    this.digest = this.hash.digest('hex');
    return result;
  }

  abort(reason: unknown): Promise<void> {
    return this.inner.abort(reason);
  }

  /** Hex SHA-256 of the completed object. */
  sha256(): string {
    if (this.digest === undefined) throw new Error(`sha256() of ${this.key} before it completed`);
    return this.digest;
  }
}
