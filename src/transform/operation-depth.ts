import type { Operation } from '@aws-sdk/client-lambda';

/** Depth given to an operation whose ParentId names no operation in the list. */
const UNKNOWN_PARENT_DEPTH = 1;

/**
 * The nesting depth of each operation, keyed by Id.
 *
 * - 0 for an operation without ParentId (top level; the EXECUTION operation has none either);
 * - the parent's depth + 1 otherwise;
 * - 1 when the ParentId names no operation in the list (a parent pruned from a state export, or a
 *   history read that stopped early): it is known to be nested, not how deep;
 * - for a ParentId cycle (corrupt input), the operation where the walk meets the cycle again is
 *   treated like one with an unknown parent, so the function always terminates.
 *
 * Operations without an Id are skipped. When two operations share an Id, the first one counts.
 * Iterative, with memoisation: linear in the number of operations, no recursion-depth limit.
 */
export function operationDepths(operations: readonly Operation[]): Map<string, number> {
  const parentOf = new Map<string, string | undefined>();
  for (const op of operations) {
    if (op.Id === undefined || op.Id === '' || parentOf.has(op.Id)) continue;
    parentOf.set(op.Id, op.ParentId === '' ? undefined : op.ParentId);
  }

  const depths = new Map<string, number>();
  for (const start of parentOf.keys()) {
    if (depths.has(start)) continue;

    // Walk up until a known depth, the top level, an unknown parent, or a cycle.
    const chain: string[] = [];
    const onChain = new Set<string>();
    let current: string | undefined = start;
    let base = 0; // the depth of the last (topmost) element of chain
    while (current !== undefined) {
      const known = depths.get(current);
      if (known !== undefined) {
        base = known + 1;
        break;
      }
      chain.push(current);
      onChain.add(current);
      const parent = parentOf.get(current);
      if (parent === undefined) break; // top level: depth 0
      if (!parentOf.has(parent)) {
        base = UNKNOWN_PARENT_DEPTH;
        break;
      }
      if (onChain.has(parent)) {
        base = UNKNOWN_PARENT_DEPTH; // cycle: cut it here, as if this parent were unknown
        break;
      }
      current = parent;
    }

    // chain is ordered child → ancestor; assign from the ancestor down.
    for (let i = chain.length - 1, depth = base; i >= 0; i--, depth++) {
      depths.set(chain[i] as string, depth);
    }
  }
  return depths;
}
