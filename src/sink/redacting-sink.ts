import type { RowSink } from '../pipeline/row-sink.js';
import type { ExecutionRows } from '../transform/execution-rows.js';
import type { Redaction } from '../transform/redaction.js';

/**
 * `sink`, with `redaction` applied to every row of both tables before the sink sees it, so no
 * redacted value is ever encoded, hashed into a manifest or uploaded. Every other member of the sink
 * (close, abort, resume checks...) is the sink's own.
 *
 * @example
 * const sink = withRedaction(await openCommitter(...), Redaction.of(config.redaction));
 */
export function withRedaction<S extends RowSink>(sink: S, redaction: Redaction | undefined): S {
  if (!redaction) return sink;
  const write = (rows: ExecutionRows): Promise<void> =>
    sink.write({
      ...rows,
      tables: {
        operations: rows.tables.operations.map((row) => redaction.apply(row)),
        executions: rows.tables.executions.map((row) => redaction.apply(row)),
      },
    });
  return new Proxy(sink, {
    get(target, property) {
      if (property === 'write') return write;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
