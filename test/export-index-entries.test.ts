/**
 * The export index's entries in a local lake (docs/RELIABILITY.md 2.8): one key per execution and
 * terminal status, written once; an entry skips only exports it covers; a narrower entry is
 * replaced by a wider export; runs recording the same execution at once keep one entry.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IndexEntry, indexEntryKey, openExportIndex } from '../src/commit/export-index.js';
import { LocalConditionalObjects } from '../src/lake/conditional-objects.js';
import { COMPLETE_ROWS_SINCE_VERSION, SCHEMA_VERSION, TABLE_NAMES } from '../src/schema/index.js';
import { arn } from './support/commit-fixtures.js';

const ALL = { tables: [...TABLE_NAMES], redaction: null };

function entry(i: number, overrides: Partial<IndexEntry> = {}): IndexEntry {
  return {
    kind: 'durable-export/index-entry',
    format: 1,
    executionArn: arn(i),
    status: 'SUCCEEDED',
    runId: 'run-a',
    jobId: 'job-a',
    exportedAt: '2026-11-30T00:00:00.000Z',
    endedAt: null,
    tables: [...TABLE_NAMES],
    schemaVersion: SCHEMA_VERSION,
    redaction: null,
    ...overrides,
  };
}

describe('export index entries', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'export-index-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const lakeIn = (name: string) => ({
    conditional: new LocalConditionalObjects(join(dir, name)),
    prefix: 'p',
  });

  it('keys an entry by execution and status under _index/, outside _state/', () => {
    const key = indexEntryKey('p', arn(1), 'FAILED');
    expect(key).toMatch(/^p\/_index\/[0-9a-f]{2}\/[0-9a-f]{32}\.FAILED\.json$/);
    expect(key.split('/')[2]).toBe(key.split('/')[3]?.slice(0, 2));
    expect(indexEntryKey('p', arn(1), 'SUCCEEDED')).not.toBe(key);
  });

  it('finds a recorded terminal export in its status only, and records nothing for RUNNING', async () => {
    const index = openExportIndex(lakeIn('basic'), ALL);
    expect(await index.record([entry(1), entry(2, { status: 'RUNNING' })])).toBe(1);
    expect(await index.lookup(arn(1), 'SUCCEEDED')).toMatchObject({ runId: 'run-a', jobId: 'job-a' });
    expect(await index.lookup(arn(1), 'FAILED')).toBeUndefined();
    expect(await index.lookup(arn(2), 'RUNNING')).toBeUndefined();
    expect(await index.lookup(arn(3), 'SUCCEEDED')).toBeUndefined();
  });

  it('skips only exports the entry covers: tables, redaction rules, schema version', async () => {
    const lake = lakeIn('covers');
    await openExportIndex(lake, ALL).record([
      entry(1, { tables: ['executions', 'operations'] }),
      entry(2, { redaction: '[["result","hash"]]' }),
      entry(3, { schemaVersion: COMPLETE_ROWS_SINCE_VERSION - 1 }),
      // Versions since only added columns derived from others: an upgrade does not re-export.
      entry(4, { schemaVersion: COMPLETE_ROWS_SINCE_VERSION }),
    ]);
    const narrow = openExportIndex(lake, { tables: ['executions'], redaction: null });
    const all = openExportIndex(lake, ALL);
    expect(await narrow.lookup(arn(1), 'SUCCEEDED')).toBeDefined();
    expect(await all.lookup(arn(1), 'SUCCEEDED')).toBeUndefined();
    expect(await all.lookup(arn(2), 'SUCCEEDED')).toBeUndefined();
    expect(await all.lookup(arn(3), 'SUCCEEDED')).toBeUndefined();
    expect(await all.lookup(arn(4), 'SUCCEEDED')).toBeDefined();
  });

  it('keeps the first covering entry, replaces a narrower one, and two runs at once leave one entry', async () => {
    const lake = lakeIn('races');
    const index = openExportIndex(lake, ALL);
    expect(await index.record([entry(1, { tables: ['executions'] })])).toBe(1);
    expect(await index.record([entry(1, { runId: 'run-b' })])).toBe(1); // wider: replaces
    expect(await index.record([entry(1, { runId: 'run-c' })])).toBe(0); // covered: kept
    expect((await index.lookup(arn(1), 'SUCCEEDED'))?.runId).toBe('run-b');

    const results = await Promise.all(
      ['run-x', 'run-y', 'run-z'].map((runId) => index.record([entry(7, { runId })])),
    );
    expect(results.reduce((a, b) => a + b, 0)).toBe(1);
    expect(['run-x', 'run-y', 'run-z']).toContain((await index.lookup(arn(7), 'SUCCEEDED'))?.runId);
  });
});
