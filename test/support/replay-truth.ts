import { manifestLine as formatManifestLine } from '../../src/source/token-manifest.js';

/**
 * What a state export must contain, computed from the synthetic generator's ground truth (the full
 * tree, wire form), independently of src/source and of the local service's state view (only the
 * manifest line format is src/source/token-manifest.ts's).
 */
type Wire = Record<string, unknown>;

const OPEN = ['STARTED', 'PENDING', 'READY'];

const replayChildren = (op: Wire | undefined): boolean =>
  (op?.ContextDetails as Wire | undefined)?.ReplayChildren === true;

/** The operations `GetDurableExecutionState` shows: no descendants of a completed context without ReplayChildren. */
export function replayVisible(ops: Wire[]): Wire[] {
  const byId = new Map(ops.map((op) => [op.Id, op]));
  const visible = (op: Wire): boolean => {
    const parent = op.ParentId === undefined ? undefined : byId.get(op.ParentId);
    if (!parent) return true;
    const open = OPEN.includes(parent.Status as string);
    return visible(parent) && (open || replayChildren(parent));
  };
  return ops.filter(visible);
}

/** Completed contexts without ReplayChildren that the view shows: those the exporter must count as pruned. */
export function expectedPrunedContexts(ops: Wire[]): Wire[] {
  return replayVisible(ops).filter(
    (op) => op.Type === 'CONTEXT' && !OPEN.includes(op.Status as string) && !replayChildren(op),
  );
}

/** Of those, the ones that really lost children (they have some in the full tree). */
export function contextsThatLostChildren(ops: Wire[]): Wire[] {
  const parents = new Set<unknown>(ops.map((op) => op.ParentId).filter((p) => p !== undefined));
  return expectedPrunedContexts(ops).filter((op) => parents.has(op.Id));
}

/** One manifest line (src/source/token-manifest.ts owns the format). */
export function manifestLine(executionArn: string, checkpointToken: string): string {
  return formatManifestLine({ executionArn, checkpointToken });
}

/** Rows keyed `arn|operation_id`, failing on a doubled key (a duplicated row). */
export function byOperationKey(rows: Record<string, unknown>[]): Map<string, Record<string, unknown>> {
  const map = new Map<string, Record<string, unknown>>();
  for (const row of rows) {
    const key = `${row.execution_arn}|${row.operation_id}`;
    if (map.has(key)) throw new Error(`row ${key} appears twice`);
    map.set(key, row);
  }
  return map;
}
