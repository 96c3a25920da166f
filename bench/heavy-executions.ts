/**
 * The memory bench's data set: the seeded synthetic executions (src/local/synthetic), with every
 * `HEAVY_EVERY`-th one replaced by an execution of 3,000 operations (the per-execution maximum),
 * and some payloads of 256 KB (the largest checkpoint payload) among them, until the data set
 * holds about `rows` lake rows (operations + executions + events + invocations).
 *
 * The 256 KB payloads are served whole in history (the service serves what it stores), the worst
 * case for memory: AWS history cuts payloads to 32 KiB (docs/DURABLE-API.md).
 */

import type { StoredExecution } from '../src/local/service/stored-execution.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { jsonOfSize } from '../src/local/synthetic/payloads.js';
import { createPrng } from '../src/local/synthetic/prng.js';

export const HEAVY_OPERATIONS = 3_000;
export const BIG_PAYLOAD_BYTES = 256 * 1024;
const HEAVY_EVERY = 40;
/** One step result in this many of a heavy execution is a 256 KB payload. */
const BIG_PAYLOAD_EVERY = 600;

/** About `rows` lake rows of executions, deterministic, with heavy executions among them. */
export function heavyDataSet(rows: number, seed = 1): { executions: StoredExecution[]; rows: number } {
  // About 130 rows per ordinary execution and 9,000 per heavy one: generate enough, then cut.
  const count = Math.max(4, Math.ceil(rows / 330));
  const synthetic = generateSyntheticExecutions({ count, seed, functionNames: ['orders', 'payments'] });
  const prng = createPrng(seed);
  const big = jsonOfSize(prng, BIG_PAYLOAD_BYTES);
  const executions: StoredExecution[] = [];
  let total = 0;
  for (const [index, e] of synthetic.entries()) {
    if (total >= rows) break;
    const stored =
      index % HEAVY_EVERY === 1 ? heavyExecution(e, big) : { execution: e.execution, events: e.events };
    executions.push(stored);
    total += rowsOf(stored);
  }
  return { executions, rows: total };
}

/** Lake rows an execution gives: one operation per distinct Id, one event per event, one execution row, invocations. */
function rowsOf(stored: StoredExecution): number {
  const ids = new Set(stored.events.map((e) => e.Id).filter((id) => id !== undefined));
  const invocations = stored.events.filter((e) => e.EventType === 'InvocationCompleted').length;
  return ids.size + stored.events.length + 1 + invocations;
}

/** The same execution (ARN, times, status) with 2,999 steps under it: 3,000 operations. */
function heavyExecution(base: { execution: Record<string, unknown> }, big: string): StoredExecution {
  const execution: Record<string, unknown> = {
    ...base.execution,
    Status: 'SUCCEEDED',
    InputPayload: big,
    Result: '"ok"',
  };
  delete execution.Error;
  const start = execution.StartTimestamp as number;
  const end = start + 600;
  execution.EndTimestamp = end;
  const events: Record<string, unknown>[] = [];
  const at = (i: number) => Math.round((start + (i * 600) / (2 * HEAVY_OPERATIONS)) * 1000) / 1000;
  const push = (event: Record<string, unknown>) =>
    events.push({ ...event, EventId: events.length + 1, EventTimestamp: at(events.length) });
  const executionId = 'heavy-execution';
  push({
    EventType: 'ExecutionStarted',
    Id: executionId,
    ExecutionStartedDetails: { Input: { Payload: big, Truncated: false }, ExecutionTimeout: 86400 },
  });
  for (let step = 1; step < HEAVY_OPERATIONS; step++) {
    const id = `step-${step.toString(16).padStart(6, '0')}`;
    const name = `item-${step}`;
    const result = step % BIG_PAYLOAD_EVERY === 0 ? big : JSON.stringify({ item: step, ok: true });
    push({ EventType: 'StepStarted', SubType: 'Step', Id: id, Name: name, StepStartedDetails: {} });
    push({
      EventType: 'StepSucceeded',
      SubType: 'Step',
      Id: id,
      Name: name,
      StepSucceededDetails: {
        Result: { Payload: result, Truncated: false },
        RetryDetails: { CurrentAttempt: 1 },
      },
    });
  }
  push({
    EventType: 'ExecutionSucceeded',
    Id: executionId,
    ExecutionSucceededDetails: { Result: { Payload: '"ok"', Truncated: false } },
  });
  return { execution, events };
}
