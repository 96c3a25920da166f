/**
 * Turns what the local test runner reported into a fixture record of the local service's data format,
 * `{ execution, events, sdkOperations }`, in wire form (epoch-second timestamps, no undefined members).
 *
 * Only three things are changed, each the same way in the events and in the operations, so they stay
 * comparable field for field:
 * - Time: every timestamp of an execution moves by one whole-millisecond offset, so the execution
 *   starts at a fixed instant (the recording's wall-clock day would otherwise decide the `dt` partition).
 * - Random ids: the emulator's UUIDs (EXECUTION operation id, invocation request ids) and callback ids
 *   are replaced by deterministic ones derived from the execution name.
 * - Paths: the repository path in any string becomes `/var/task`.
 * And one addition: a CONTEXT the SDK finished with `ReplayChildren: true` gets the local service's
 * `ReplayChildren` extension on its stored terminal event (see REPLAY_CHILDREN_MEMBER), so the local
 * state view keeps its children as the SDK asked; the service strips it from history responses.
 */
import { createHash } from 'node:crypto';
import { REPLAY_CHILDREN_MEMBER } from '../../src/local/service/stored-execution.js';
import type { RecordedExecution } from './record-execution.js';

type Wire = Record<string, unknown>;

export const FUNCTION_NAME = 'sdk-fixtures';
export const FUNCTION_ARN = `arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION_NAME}:1`;
/** The first execution starts at this instant, the next ones 15 minutes apart. */
const FIRST_START_MS = Date.UTC(2026, 2, 2, 9, 0, 0);
const SPACING_MS = 15 * 60_000;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

export interface SdkFixture {
  execution: Wire;
  events: Wire[];
  /** The SDK's operations (`getOperationData()`), wire form; the local service ignores this member. */
  sdkOperations: Wire[];
}

/** A version-4-shaped UUID derived from `seed`. */
export function deterministicUuid(seed: string): string {
  const h = createHash('md5').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const isDate = (v: unknown): v is Date => Object.prototype.toString.call(v) === '[object Date]';

/** Wire JSON: every Date as epoch seconds moved by `deltaMs`, undefined members dropped. */
function toWire(value: unknown, deltaMs: number): unknown {
  if (isDate(value)) return (value.getTime() + deltaMs) / 1000;
  if (Array.isArray(value)) return value.map((v) => toWire(v, deltaMs));
  if (value !== null && typeof value === 'object') {
    const out: Wire = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toWire(v, deltaMs);
    return out;
  }
  return value;
}

function replaceEvery(text: string, replacements: Map<string, string>): string {
  let out = text;
  for (const [from, to] of replacements) out = out.split(from).join(to);
  return out;
}

/** Callback id → a deterministic id of the emulator's shape (base64 JSON of execution, operation, token). */
function callbackIds(events: Wire[], arnId: string, name: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const event of events) {
    const id = (event.CallbackStartedDetails as Wire | undefined)?.CallbackId;
    if (typeof id !== 'string' || map.has(id)) continue;
    const token = deterministicUuid(`${name}/callback/${String(event.Id)}`);
    const data = { executionId: arnId, operationId: event.Id, token };
    map.set(id, Buffer.from(JSON.stringify(data)).toString('base64'));
  }
  return map;
}

function executionBody(recorded: RecordedExecution, arn: string, events: Wire[]): Wire {
  const started = events[0] as Wire;
  const terminal = events.findLast(
    (e) => String(e.EventType).startsWith('Execution') && e.EventType !== 'ExecutionStarted',
  );
  const status = String(terminal?.EventType ?? 'Running')
    .replace(/^Execution/, '')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toUpperCase();
  if (status !== recorded.status) {
    throw new Error(`${recorded.name}: history ends ${status}, the runner reports ${recorded.status}`);
  }
  const detailsOf = (e: Wire | undefined, key: string) => (e?.[key] ?? {}) as Wire;
  return toWire(
    {
      DurableExecutionArn: arn,
      DurableExecutionName: recorded.name,
      FunctionArn: FUNCTION_ARN,
      Status: status,
      StartTimestamp: started.EventTimestamp,
      EndTimestamp: terminal?.EventTimestamp,
      InputPayload: (detailsOf(started, 'ExecutionStartedDetails').Input as Wire | undefined)?.Payload,
      Result: (detailsOf(terminal, 'ExecutionSucceededDetails').Result as Wire | undefined)?.Payload,
      Error: (detailsOf(terminal, `${String(terminal?.EventType)}Details`).Error as Wire | undefined)
        ?.Payload,
      Version: '1',
    },
    0,
  ) as Wire;
}

/** Adds the local `ReplayChildren` extension to the terminal event of each context the SDK flagged. */
function markReplayChildren(events: Wire[], operations: Wire[]): void {
  for (const op of operations) {
    if ((op.ContextDetails as Wire | undefined)?.ReplayChildren !== true) continue;
    const end = events.findLast(
      (e) => e.Id === op.Id && /^Context(Succeeded|Failed)$/.test(String(e.EventType)),
    );
    const details = end?.[`${String(end.EventType)}Details`] as Wire | undefined;
    if (details) details[REPLAY_CHILDREN_MEMBER] = true;
  }
}

/** The fixture record of the `index`-th recorded execution. */
export function toFixture(recorded: RecordedExecution, index: number, repoRoot: string): SdkFixture {
  const startMs = recorded.events[0]?.EventTimestamp?.getTime();
  if (startMs === undefined) throw new Error(`${recorded.name}: ExecutionStarted has no EventTimestamp`);
  const delta = FIRST_START_MS + index * SPACING_MS - startMs;
  const arnId = deterministicUuid(`${recorded.name}/arn`);
  const arn = `${FUNCTION_ARN}/durable-execution/${recorded.name}/${arnId}`;

  const rawEvents = toWire(recorded.events, delta) as Wire[];
  const rawOps = toWire(recorded.operations, delta) as Wire[];
  const replacements = callbackIds(rawEvents, arnId, recorded.name);
  replacements.set(repoRoot, '/var/task');
  // The first UUID is the EXECUTION operation's Id (ExecutionStarted comes first), then request ids.
  const uuids = [JSON.stringify(rawEvents), JSON.stringify(rawOps)].join('').match(UUID) ?? [];
  let n = 0;
  for (const uuid of uuids) {
    if (replacements.has(uuid)) continue;
    const seed = n === 0 ? 'execution' : `uuid-${n}`;
    replacements.set(uuid, deterministicUuid(`${recorded.name}/${seed}`));
    n++;
  }
  const events = JSON.parse(replaceEvery(JSON.stringify(rawEvents), replacements)) as Wire[];
  const sdkOperations = JSON.parse(replaceEvery(JSON.stringify(rawOps), replacements)) as Wire[];
  const execution = executionBody(recorded, arn, events);
  markReplayChildren(events, sdkOperations);
  return { execution, events, sdkOperations };
}
