import {
  EXECUTION_ARN_FORM,
  type FunctionRef,
  isExecutionArn,
  parseFunctionArn,
  sameFunction,
} from './arn.js';
import { invalidParameter, resourceNotFound } from './errors.js';
import { arnOf, epochSecondsToMs, type StoredExecution } from './stored-execution.js';

/** A stored execution with the facts the list API filters and sorts on. */
export interface IndexedExecution {
  stored: StoredExecution;
  arn: string;
  fn: FunctionRef;
  startMs: number;
}

/** The executions the service serves, indexed by ARN and function; read-only after construction. */
export class ExecutionStore {
  private readonly byArn = new Map<string, IndexedExecution>();

  constructor(executions: readonly StoredExecution[]) {
    for (const stored of executions) {
      const arn = arnOf(stored);
      const functionArn = stored.execution.FunctionArn as string;
      const fn = parseFunctionArn(functionArn);
      if (!fn) throw new Error(`Stored execution ${arn}: FunctionArn '${functionArn}' is not a function ARN`);
      const startMs = epochSecondsToMs(stored.execution.StartTimestamp as number);
      this.byArn.set(arn, { stored, arn, fn, startMs });
    }
  }

  get size(): number {
    return this.byArn.size;
  }

  /**
   * The execution an API path names.
   *
   * @throws LocalServiceError 400 for a malformed ARN, 404 for an unknown one.
   */
  get(executionArn: string): StoredExecution {
    if (!isExecutionArn(executionArn)) {
      throw invalidParameter(`Invalid DurableExecutionArn '${executionArn}': expected ${EXECUTION_ARN_FORM}`);
    }
    const found = this.byArn.get(executionArn);
    if (!found) throw resourceNotFound(`Durable execution not found: ${executionArn}`);
    return found.stored;
  }

  /** True when the service holds `executionArn` (no validation, no error). */
  has(executionArn: string): boolean {
    return this.byArn.has(executionArn);
  }

  /** The unqualified ARN of every function with an execution here, sorted, each once. */
  functionArns(): string[] {
    const arns = new Set<string>();
    for (const e of this.byArn.values()) {
      const partition = (e.stored.execution.FunctionArn as string).split(':')[1];
      arns.add(`arn:${partition}:lambda:${e.fn.region}:${e.fn.account}:function:${e.fn.name}`);
    }
    return [...arns].sort();
  }

  /**
   * Every execution of the function `ref` names, any qualifier, in no particular order.
   *
   * @throws LocalServiceError 404 when the service knows no such function.
   */
  ofFunction(ref: FunctionRef, displayName: string): IndexedExecution[] {
    const matches = [...this.byArn.values()].filter((e) => sameFunction(ref, e.fn));
    if (matches.length === 0) throw resourceNotFound(`Function not found: ${displayName}`);
    return matches;
  }
}
