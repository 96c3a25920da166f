import type { Operation } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { operationDepths } from '../src/transform/operation-depth.js';

const op = (Id: string | undefined, ParentId?: string): Operation =>
  ({
    Id,
    Type: 'STEP',
    Status: 'SUCCEEDED',
    StartTimestamp: new Date(0),
    ...(ParentId !== undefined ? { ParentId } : {}),
  }) as Operation;

describe('operationDepths', () => {
  it('is empty for no operations', () => {
    expect(operationDepths([])).toEqual(new Map());
  });

  it('gives 0 at top level and parent depth + 1 below, whatever the order', () => {
    const ops = [
      op('leaf', 'iter'),
      op('exec'),
      op('iter', 'map'),
      op('map'),
      op('step'),
      op('branch', 'map'),
    ];
    expect(operationDepths(ops)).toEqual(
      new Map([
        ['leaf', 2],
        ['exec', 0],
        ['iter', 1],
        ['map', 0],
        ['step', 0],
        ['branch', 1],
      ]),
    );
  });

  it('counts an unknown parent as depth 1, and its descendants from there', () => {
    const depths = operationDepths([op('orphan', 'pruned'), op('child', 'orphan'), op('top')]);
    expect(depths).toEqual(
      new Map([
        ['orphan', 1],
        ['child', 2],
        ['top', 0],
      ]),
    );
  });

  it('terminates on cycles, cutting each cycle as if the parent were unknown', () => {
    const depths = operationDepths([op('a', 'b'), op('b', 'a'), op('self', 'self'), op('hang', 'a')]);
    expect(depths).toEqual(
      new Map([
        ['b', 1],
        ['a', 2],
        ['self', 1],
        ['hang', 3],
      ]),
    );
    const ring = Array.from({ length: 50 }, (_, i) => op(`r${i}`, `r${(i + 1) % 50}`));
    const ringDepths = operationDepths(ring);
    expect(ringDepths.size).toBe(50);
    expect([...ringDepths.values()].every((d) => Number.isInteger(d) && d >= 1 && d <= 50)).toBe(true);
  });

  it('skips operations without Id, keeps the first of duplicate Ids, and treats an empty ParentId as none', () => {
    const ops = [op(undefined, 'x'), op(''), op('a'), op('a', 'zzz'), op('b', ''), op('c', 'a')];
    expect(operationDepths(ops)).toEqual(
      new Map([
        ['a', 0],
        ['b', 0],
        ['c', 1],
      ]),
    );
  });

  it('handles very deep nesting without recursion limits', () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => (i === 0 ? op('n0') : op(`n${i}`, `n${i - 1}`)));
    const depths = operationDepths(chain.reverse());
    expect(depths.get('n0')).toBe(0);
    expect(depths.get('n19999')).toBe(19_999);
  });
});
