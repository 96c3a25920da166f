import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticExecutions, loadDataFile } from '../src/local/index.js';

describe('loadDataFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'durable-export-data-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function file(name: string, content: unknown): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  }

  it('round-trips synthetic executions', async () => {
    const data = generateSyntheticExecutions({ count: 4, seed: 2 });
    const loaded = await loadDataFile(await file('ok.json', data));
    expect(loaded.map((e) => e.execution)).toEqual(data.map((e) => e.execution));
    expect(loaded[2]?.events).toEqual(data[2]?.events);
  });

  it('names the bad index and field', async () => {
    const data = JSON.parse(JSON.stringify(generateSyntheticExecutions({ count: 3, seed: 2 })));
    data[1].events[4].EventTimestamp = '2026-01-01T00:00:00Z';
    const path = await file('bad-ts.json', data);
    await expect(loadDataFile(path)).rejects.toThrow(
      `${path}: [1].events[4].EventTimestamp: expected epoch seconds as a number, got string "2026-01-01T00:00:00Z"`,
    );
    data[1].events[4].EventTimestamp = 1767225600;
    data[2].execution.Status = 'DONE';
    await expect(loadDataFile(await file('bad-status.json', data))).rejects.toThrow(
      /\[2\]\.execution\.Status: expected one of RUNNING/,
    );
    data[2].execution.Status = 'RUNNING';
    data[0].events[3].EventId = 1;
    await expect(loadDataFile(await file('bad-order.json', data))).rejects.toThrow(
      /\[0\]\.events\[3\]\.EventId: expected an integer greater than 3/,
    );
  });

  it('reports unreadable files, bad JSON and a wrong top level', async () => {
    await expect(loadDataFile(join(dir, 'missing.json'))).rejects.toThrow(/missing\.json: cannot read it/);
    await expect(loadDataFile(await file('broken.json', '[{'))).rejects.toThrow(
      /broken\.json: not valid JSON/,
    );
    await expect(loadDataFile(await file('object.json', { execution: {} }))).rejects.toThrow(
      /\(top level\): expected a JSON array/,
    );
  });
});
