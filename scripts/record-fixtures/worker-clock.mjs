/**
 * Preloaded (`node --import`) into every thread of the fixture recorder; acts only in worker threads,
 * where the durable testing library runs its checkpoint server. Plain JavaScript: a TypeScript preload
 * (through tsx) stalls the worker thread.
 *
 * The checkpoint server stamps one checkpoint with several `new Date()` calls: the operation's
 * StartTimestamp in one, the history event's EventTimestamp in the next, the EndTimestamp in a third.
 * Microseconds apart, they can straddle a millisecond boundary, so the recorded operation and its event
 * would differ by 1 ms for no reason but the emulator's code layout. The Lambda service stamps a
 * checkpoint once. This clock gives that: it reads the real time once per synchronous turn (the first
 * call) and returns the same millisecond until the turn ends (a microtask clears it). Time still
 * advances between turns exactly as the real clock does; only `Date` is changed, no timer.
 */
import { isMainThread } from 'node:worker_threads';

if (!isMainThread) {
  const RealDate = Date;
  /** @type {number | undefined} */
  let frozen;

  const now = () => {
    if (frozen === undefined) {
      frozen = RealDate.now();
      queueMicrotask(() => {
        frozen = undefined;
      });
    }
    return frozen;
  };

  class TurnDate extends RealDate {
    /** @param {...unknown} args the real Date constructor's arguments */
    constructor(...args) {
      if (args.length === 0) super(now());
      else super(...args);
    }

    static now() {
      return now();
    }
  }

  globalThis.Date = TurnDate;
}
