import type { ErrorObject, Event, Operation } from '@aws-sdk/client-lambda';
import type { ExportError } from '../errors.js';
import type { OperationFactsById } from './operation-history-facts.js';

/** Which API the operations came from; written to the `source` column. */
export type SourceName = 'history' | 'state';

/** An execution as listed (ListDurableExecutionsByFunction's `Execution`). */
export interface ExecutionSummary {
  arn: string;
  name: string;
  functionArn: string;
  status: string;
  startTimestamp: Date;
  endTimestamp?: Date;
  kmsKeyArn?: string;
}

/**
 * The execution's own data beyond its listing: input, result and error, and the settings
 * `GetDurableExecution` or history report. Values other than the payloads are kept as the API sent
 * them (the SDK validates nothing); the transform checks their types.
 */
export interface ExecutionDetail {
  inputPayload?: string;
  result?: string;
  error?: ErrorObject;
  /** `ExecutionStartedDetails.ExecutionTimeout`, else `DurableConfig.ExecutionTimeout`, seconds. */
  executionTimeoutSeconds?: unknown;
  /** `DurableConfig.RetentionPeriodInDays`. */
  retentionDays?: unknown;
  /** `TraceHeader.XAmznTraceId`. */
  traceId?: unknown;
  /** `GetDurableExecution`'s `Version`. */
  version?: unknown;
}

/** One execution read completely: its operations in the `GetDurableExecutionState` shape. */
export interface ExportedExecution {
  kind: 'exported';
  source: SourceName;
  summary: ExecutionSummary;
  operations: Operation[];
  /** Operation ids whose payloads history marked `Truncated`. */
  truncatedOperationIds: ReadonlySet<string>;
  /** InvocationCompleted events in history; `null` where unknown (the state source). */
  invocationCount: number | null;
  /** History source only: what history says about operations beyond the `Operation` shape. */
  operationFacts?: OperationFactsById;
  /**
   * History source: every history event of the execution, in EventId order without repeats, as the
   * API returned them (payloads possibly `Truncated`). State source: none (no state API has events).
   */
  events: Event[];
  /** Execution-level input, result, error and settings. */
  detail: ExecutionDetail;
  /** Pages read for this execution (after any restart). */
  pages: number;
  /** Times the execution was re-read from its first page (expired marker). */
  restarts: number;
  warnings: string[];
  /**
   * State source only: completed contexts the replay view may have withheld children of (rule in
   * `pruned-contexts.ts`). Absent for the history source, which sees the full tree.
   */
  contextsPruned?: number;
  /** False when the rows may miss operations (the replay view pruned contexts); absent means complete. */
  complete?: boolean;
}

/** An execution (or a whole function listing) that could not be read; the run goes on. */
export interface FailedExecution {
  kind: 'failed';
  /** The execution ARN, or the function name when listing failed. */
  subject: string;
  error: ExportError;
  /** Set when the failure is a bad line of an input manifest (1-based), skipped; not an execution. */
  inputLine?: number;
  /** Set when a function's listing failed (`subject` is the function): not an execution. */
  listing?: boolean;
}

/** An execution another run already exported as it is now (the export index): not read. */
export interface SkippedExecution {
  kind: 'skipped';
  executionArn: string;
  /** The run whose rows hold it. */
  exportedBy: string;
}

export type ExecutionOutcome = ExportedExecution | FailedExecution | SkippedExecution;

/** How far the source has got in finding executions; read by progress reporting. */
export interface SourceProgress {
  /** Executions found so far (listed, or read from a manifest), those skipped as committed included. */
  listed: number;
  /** True once every execution to export is known, so an ETA can be given. */
  listingComplete: boolean;
}

/** What the pipeline asks of a source when it starts reading. */
export interface ReadExecutionsOptions {
  /**
   * Executions an earlier run of the same job already committed: a source should not read them
   * (no history or state requests) and yield nothing for them. The pipeline also drops outcomes
   * for them, so a source that ignores this only costs requests.
   */
  skip?: (executionArn: string) => boolean;
  /**
   * The export index lookup (`ExportIndex.lookup`): the run that already exported the execution
   * in its listed status, or undefined. A source that knows the status before reading asks it
   * first and yields a `skipped` outcome, without reading, when it names a run.
   */
  exportedBy?: (executionArn: string, status: string, signal?: AbortSignal) => Promise<string | undefined>;
}

/** A source yields one outcome per execution; pulling the next one is the backpressure. */
export interface ExecutionSource {
  readonly name: SourceName;
  readonly progress?: SourceProgress;
  executions(signal?: AbortSignal, options?: ReadExecutionsOptions): AsyncIterable<ExecutionOutcome>;
}
