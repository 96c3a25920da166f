import { parseFunctionReference } from './arn.js';
import { invalidParameter } from './errors.js';
import type { IndexedExecution } from './execution-store.js';
import { cutPage } from './pagination.js';
import type { ApiHandler } from './routes.js';
import { EXECUTION_STATUSES } from './stored-execution.js';

/** The members of an `Execution` summary, in wire order. */
const SUMMARY_MEMBERS = [
  'DurableExecutionArn',
  'DurableExecutionName',
  'FunctionArn',
  'Status',
  'StartTimestamp',
  'EndTimestamp',
  'KMSKeyArn',
] as const;

function summary(e: IndexedExecution): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of SUMMARY_MEMBERS)
    if (e.stored.execution[key] !== undefined) out[key] = e.stored.execution[key];
  return out;
}

/**
 * ListDurableExecutionsByFunction. Choices where the AWS docs disagree (docs/DURABLE-API.md §1.5):
 * - Order: newest first by StartTimestamp (ties by ARN); `ReverseOrder=true` gives oldest first
 *   (the 3.1164 model doc: "Set to true to return results in chronological order (oldest first)").
 * - No `Qualifier`: executions of every version. A qualified FunctionName acts as the Qualifier.
 * - `DurableExecutionName`: exact match.
 * - Time window is half-open: StartedAfter <= StartTimestamp < StartedBefore, so adjacent windows
 *   neither overlap nor leave gaps.
 */
export const listDurableExecutionsByFunction: ApiHandler<{ functionName: string }> = (
  { functionName },
  query,
  context,
) => {
  const ref = parseFunctionReference(functionName);
  if (!ref) {
    throw invalidParameter(
      `Invalid FunctionName '${functionName}': expected a function name, a partial ARN (ACCOUNT:function:NAME) or a function ARN`,
    );
  }
  const qualifierParam = query.string('Qualifier');
  if (qualifierParam !== undefined && ref.qualifier !== undefined && qualifierParam !== ref.qualifier) {
    throw invalidParameter(
      `The qualifier in FunctionName '${functionName}' differs from Qualifier '${qualifierParam}'`,
    );
  }
  const qualifier = qualifierParam ?? ref.qualifier;
  const name = query.string('DurableExecutionName');
  const statuses = query.list('Statuses');
  for (const status of statuses) {
    if (!(EXECUTION_STATUSES as readonly string[]).includes(status)) {
      throw invalidParameter(
        `Invalid Statuses value '${status}': expected one of ${EXECUTION_STATUSES.join(', ')}`,
      );
    }
  }
  const after = query.timestampMs('StartedAfter');
  const before = query.timestampMs('StartedBefore');
  if (after !== undefined && before !== undefined && after > before) {
    throw invalidParameter(
      `StartedAfter (${new Date(after).toISOString()}) is later than StartedBefore (${new Date(before).toISOString()})`,
    );
  }
  const reverse = query.boolean('ReverseOrder', false);
  const maxItems = query.maxItems();

  const selected = context.store
    .ofFunction(ref, functionName)
    .filter(
      (e) =>
        (qualifier === undefined || e.fn.qualifier === qualifier) &&
        (name === undefined || e.stored.execution.DurableExecutionName === name) &&
        (statuses.length === 0 || statuses.includes(e.stored.execution.Status as string)) &&
        (after === undefined || e.startMs >= after) &&
        (before === undefined || e.startMs < before),
    )
    .sort((a, b) => a.startMs - b.startMs || (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  if (!reverse) selected.reverse();

  const scope = JSON.stringify([
    'list',
    ref.name,
    ref.account,
    ref.region,
    qualifier,
    name,
    statuses,
    after,
    before,
    reverse,
  ]);
  const start = context.markers.read(query.string('Marker'), scope, selected.length);
  const page = cutPage(selected.map(summary), start, maxItems, context.maxPageBytes);
  return {
    DurableExecutions: page.items,
    NextMarker: page.nextPosition === undefined ? undefined : context.markers.issue(scope, page.nextPosition),
  };
};
