/**
 * The SDK fixtures (test/fixtures/sdk-executions.json, `make fixtures`) load through `loadDataFile`, as
 * `--data FILE` does, and the local service serves them unchanged through all four read APIs to a real
 * `LambdaClient`.
 */
import {
  GetDurableExecutionCommand,
  LambdaClient,
  paginateGetDurableExecutionHistory,
  paginateGetDurableExecutionState,
  paginateListDurableExecutionsByFunction,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningLocalService, startLocalService } from '../src/local/service/local-service.js';
import { REPLAY_CHILDREN_MEMBER } from '../src/local/service/stored-execution.js';
import { endLeftUnset, loadSdkFixtures, type SdkFixture } from './support/sdk-fixture-rows.js';

type Wire = Record<string, unknown>;

/** The SDK's parsed output back in wire form (Date → epoch seconds), without `$metadata`. */
function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k, v]) => k !== '$metadata' && v !== undefined)
        .map(([k, v]) => [k, toWire(v)]),
    );
  }
  return value;
}

/**
 * A stored event as a `LambdaClient` parses it: without the local ReplayChildren extension (the service
 * strips it), and without `CallbackStartedDetails.Input`. The emulator writes that member (as `{}`: it
 * copies the START update's absent Payload), but the 3.1164 model's CallbackStartedDetails has only
 * CallbackId, HeartbeatTimeout and Timeout, and the SDK drops members it does not model (docs/DURABLE-API.md
 * §1.1). The fixture keeps the emulator's event as it is; only the comparison leaves the member out.
 */
function asParsed(event: Wire): Wire {
  return Object.fromEntries(
    Object.entries(event).map(([k, v]) => {
      if (!k.endsWith('Details') || v === null || typeof v !== 'object') return [k, v];
      const { [REPLAY_CHILDREN_MEMBER]: _local, ...details } = v as Wire;
      if (k === 'CallbackStartedDetails') delete details.Input;
      return [k, details];
    }),
  );
}

describe('SDK fixtures served by the local service (--data FILE)', () => {
  let service: RunningLocalService;
  let fixtures: SdkFixture[];
  let client: LambdaClient;

  beforeAll(async () => {
    fixtures = await loadSdkFixtures();
    service = await startLocalService({ executions: fixtures, maxPageBytes: 4 * 1024 });
    client = new LambdaClient({
      region: 'us-east-1',
      endpoint: service.url,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
  });

  afterAll(async () => {
    client?.destroy();
    await service?.close();
  });

  it('lists every execution with the fields of its GetDurableExecution body', async () => {
    const listed: Wire[] = [];
    const pages = paginateListDurableExecutionsByFunction(
      { client, pageSize: 5 },
      { FunctionName: 'sdk-fixtures' },
    );
    for await (const page of pages) listed.push(...(toWire(page.DurableExecutions ?? []) as Wire[]));
    const byArn = new Map(listed.map((e) => [e.DurableExecutionArn, e]));
    expect(byArn.size).toBe(fixtures.length);
    for (const { execution } of fixtures) {
      const { DurableExecutionArn, DurableExecutionName, FunctionArn, Status, StartTimestamp, EndTimestamp } =
        execution;
      expect(byArn.get(DurableExecutionArn)).toEqual({
        DurableExecutionArn,
        DurableExecutionName,
        FunctionArn,
        Status,
        StartTimestamp,
        EndTimestamp,
      });
    }
  });

  it('returns each GetDurableExecution body as recorded', async () => {
    for (const { execution } of fixtures) {
      const arn = String(execution.DurableExecutionArn);
      const got = await client.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
      expect(toWire(got)).toEqual({ ...execution, ExecutionDataIncluded: true });
    }
  });

  it('returns each history exactly as recorded, page after page', async () => {
    for (const { execution, events } of fixtures) {
      const arn = String(execution.DurableExecutionArn);
      const served: Wire[] = [];
      const pages = paginateGetDurableExecutionHistory(
        { client, pageSize: 4 },
        { DurableExecutionArn: arn, IncludeExecutionData: true },
      );
      for await (const page of pages) served.push(...(toWire(page.Events) as Wire[]));
      expect(served).toEqual(events.map(asParsed));
    }
  });

  it('serves GetDurableExecutionState: the replay view of the SDK operations', async () => {
    for (const { execution, sdkOperations } of fixtures) {
      const arn = String(execution.DurableExecutionArn);
      const served: Wire[] = [];
      const pages = paginateGetDurableExecutionState(
        { client, pageSize: 3 },
        { DurableExecutionArn: arn, CheckpointToken: service.checkpointToken(arn) },
      );
      for await (const page of pages) served.push(...(toWire(page.Operations) as Wire[]));
      const expected = replayView(sdkOperations);
      expect(served.map((o) => o.Id)).toEqual(expected.map((o) => o.Id));
      for (const [i, op] of expected.entries()) {
        const got = comparable(served[i] as Wire);
        // The emulator leaves EndTimestamp unset on these (see EXCEPTIONS.endNotStampedByEmulator).
        if (endLeftUnset(op)) delete got.EndTimestamp;
        expect(got, `${String(execution.DurableExecutionName)}/${String(op.Id)}`).toEqual(comparable(op));
      }
    }
  });
});

/** An operation without empty details members (the SDK writes `{}` where the service omits them). */
function comparable(op: Wire): Wire {
  const out: Wire = {};
  for (const [key, value] of Object.entries(op)) {
    if (!key.endsWith('Details') || Object.keys(value as Wire).length > 0) out[key] = value;
  }
  return out;
}

/** The operations the emulator's `getState()` keeps: children of a finished CONTEXT only with ReplayChildren. */
function replayView(operations: Wire[]): Wire[] {
  const byId = new Map(operations.map((o) => [o.Id, o]));
  const hidden = new Set<unknown>();
  for (const op of operations) {
    const parent = byId.get(op.ParentId);
    if (!parent) continue;
    const finished = parent.Status === 'SUCCEEDED' || parent.Status === 'FAILED';
    const replay = (parent.ContextDetails as Wire | undefined)?.ReplayChildren === true;
    if (hidden.has(parent.Id) || (parent.Type === 'CONTEXT' && finished && !replay)) hidden.add(op.Id);
  }
  return operations.filter((o) => !hidden.has(o.Id));
}
