import { describe, expect, it } from 'vitest';
import { partitionDateOf, partitionFolder, partObjectKey } from '../src/sink/object-key.js';
import { assertObjectKey } from '../src/sink/object-sink.js';

describe('object keys', () => {
  it('builds Hive-style part keys, with and without a prefix', () => {
    const key = { table: 'operations', dt: '2025-01-31', runId: 'run-20250131T1200Z', sequence: 7 };
    expect(partObjectKey({ ...key, prefix: 'lake/durable' })).toBe(
      'lake/durable/operations/dt=2025-01-31/part-run-20250131T1200Z-00007.parquet',
    );
    expect(partObjectKey({ ...key, prefix: '' })).toBe(
      'operations/dt=2025-01-31/part-run-20250131T1200Z-00007.parquet',
    );
    expect(partitionFolder('p', 'executions', '2024-02-29')).toBe('p/executions/dt=2024-02-29/');
  });

  it('rejects bad partition dates, run ids, sequences and prefixes', () => {
    const key = { prefix: '', table: 'operations', dt: '2025-01-31', runId: 'r', sequence: 0 };
    expect(() => partObjectKey({ ...key, dt: '2025-1-31' })).toThrow('invalid partition dt "2025-1-31"');
    expect(() => partObjectKey({ ...key, dt: '2023-02-29' })).toThrow('invalid partition dt "2023-02-29"');
    expect(() => partObjectKey({ ...key, runId: 'a/b' })).toThrow('invalid run id "a/b"');
    expect(() => partObjectKey({ ...key, runId: '.x' })).toThrow('invalid run id ".x"');
    expect(() => partObjectKey({ ...key, sequence: 100_000 })).toThrow('invalid file sequence 100000');
    expect(() => partObjectKey({ ...key, prefix: 'p/' })).toThrow('invalid key prefix "p/"');
    expect(() => partObjectKey({ ...key, table: 'Operations' })).toThrow('invalid table name "Operations"');
  });

  it('takes the UTC day of a time as the partition value', () => {
    expect(partitionDateOf(new Date('2025-01-31T23:59:59.999-01:00'))).toBe('2025-02-01');
    expect(() => partitionDateOf(new Date(Number.NaN))).toThrow('invalid partition time "Invalid Date"');
  });

  it('accepts only relative keys of plain segments in stores', () => {
    expect(() => assertObjectKey('a/b.parquet')).not.toThrow();
    for (const bad of ['', '/a', 'a//b', 'a/../b', './a', 'a/', 'a\\b']) {
      expect(() => assertObjectKey(bad), bad).toThrow(/is not a relative key/);
    }
  });
});
