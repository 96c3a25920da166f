import { FULL_PAYLOAD_MEMBER } from '../service/stored-execution.js';
import { type ErrorObject, HISTORY_PAYLOAD_LIMIT, type ModelOperation, seconds } from './model.js';
import type { Prng } from './prng.js';

type Json = Record<string, unknown>;

/**
 * The clock, the invocations and the history of one simulated execution. Events are appended in clock
 * order with sequential EventIds, so the history is EventId- and time-ascending.
 */
export class Timeline {
  /** The simulated time, epoch milliseconds. */
  now: number;
  readonly events: Json[] = [];
  /** Operations in start order (the order of their first event). */
  readonly operations: ModelOperation[] = [];
  /** Completed invocations, i.e. InvocationCompleted events written. */
  invocations = 0;
  private invocationStartMs: number;

  constructor(
    private readonly prng: Prng,
    startMs: number,
  ) {
    this.now = startMs;
    this.invocationStartMs = startMs;
  }

  /** Lets a little time pass, `min`..`max` ms. */
  tick(min = 1, max = 25): void {
    this.now += this.prng.int(min, max);
  }

  /** Moves the clock forward to `ms` (never backwards). */
  advanceTo(ms: number): void {
    this.now = Math.max(this.now, ms);
  }

  /** Registers an operation at its start; its start event must be emitted next. */
  begin(op: ModelOperation): ModelOperation {
    op.startMs = this.now;
    this.operations.push(op);
    return op;
  }

  /** Appends an event of `op` (or an Id-less event when `op` is undefined) and returns its time. */
  emit(op: ModelOperation | undefined, eventType: string, details: Json): number {
    const event: Json = { EventType: eventType };
    if (op?.subType !== undefined) event.SubType = op.subType;
    event.EventId = this.events.length + 1;
    if (op) event.Id = op.id;
    if (op?.name !== undefined) event.Name = op.name;
    event.EventTimestamp = seconds(this.now);
    if (op?.parentId !== undefined) event.ParentId = op.parentId;
    event[`${eventType}Details`] = details;
    this.events.push(event);
    return this.now;
  }

  /** The invocation ends (the SDK suspends): writes InvocationCompleted. */
  suspend(): void {
    this.tick(3, 60);
    this.emit(undefined, 'InvocationCompleted', {
      StartTimestamp: seconds(this.invocationStartMs),
      EndTimestamp: seconds(this.now),
      RequestId: this.prng.uuid(),
    });
    this.invocations++;
    this.tick(1, 5);
  }

  /** A new invocation starts and replays up to where the last one stopped. */
  resume(): void {
    this.tick(20, 400);
    this.invocationStartMs = this.now;
    this.tick(2, 30);
  }

  /**
   * `{ Payload, Truncated }`; payloads over the history limit are cut and marked truncated, and keep the
   * full text in the local `FullPayload` extension for the state view (see FULL_PAYLOAD_MEMBER).
   */
  wrap(payload: string | undefined): Json {
    if (payload === undefined) return { Truncated: false };
    if (payload.length > HISTORY_PAYLOAD_LIMIT)
      return {
        Payload: payload.slice(0, HISTORY_PAYLOAD_LIMIT),
        Truncated: true,
        [FULL_PAYLOAD_MEMBER]: payload,
      };
    return { Payload: payload, Truncated: false };
  }

  /** `EventError`: `{ Payload: ErrorObject, Truncated }`. */
  wrapError(error: ErrorObject): Json {
    return { Payload: error, Truncated: false };
  }
}
