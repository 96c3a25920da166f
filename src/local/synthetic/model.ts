import { createHash } from 'node:crypto';

/** An `ErrorObject` as the wire carries it. */
export interface ErrorObject {
  ErrorType?: string;
  ErrorMessage?: string;
  ErrorData?: string;
  StackTrace?: string[];
}

export type OperationType = 'EXECUTION' | 'CONTEXT' | 'STEP' | 'WAIT' | 'CALLBACK' | 'CHAINED_INVOKE';

/**
 * The generator's own record of one operation, kept as the simulation runs (not derived from events).
 * Times are epoch milliseconds; `expected-operations.ts` turns it into the wire `Operation`.
 */
export interface ModelOperation {
  id: string;
  parentId?: string;
  name?: string;
  type: OperationType;
  subType?: string;
  status: string;
  startMs: number;
  endMs?: number;
  /** EXECUTION: the input payload. */
  inputPayload?: string;
  /** CONTEXT: children kept in the replay view. */
  replayChildren?: boolean;
  /** STEP: the number of the latest attempt (1-based). */
  attempt?: number;
  /** STEP: when the latest scheduled retry or poll was due. */
  nextAttemptMs?: number;
  /** WAIT: when the wait ends. */
  scheduledEndMs?: number;
  /** CALLBACK: the id handed to the external system. */
  callbackId?: string;
  /** STEP, CONTEXT, CALLBACK, CHAINED_INVOKE: the serialized result of the latest outcome. */
  result?: string;
  /** STEP, CONTEXT, CALLBACK, CHAINED_INVOKE: the error of the latest outcome; WAIT: of its cancellation. */
  error?: ErrorObject;
  /** CHAINED_INVOKE: the execution it started, the function it named, the version that ran, the tenant. */
  childExecutionArn?: string;
  childFunctionName?: string;
  childVersion?: string;
  tenantId?: string;
  /** CALLBACK: its timeout and heartbeat timeout, seconds. */
  callbackTimeoutSeconds?: number;
  callbackHeartbeatTimeoutSeconds?: number;
  /** WAIT: its duration, seconds. */
  waitSeconds?: number;
}

/** `Id = md5(stepPath).hex[0:16]`, as the JS durable SDK hashes step paths ("1", "2", "3-1", ...). */
export function operationId(stepPath: string): string {
  return createHash('md5').update(stepPath).digest('hex').slice(0, 16);
}

/** History stores payloads longer than this many characters cut to this length, with `Truncated: true`. */
export const HISTORY_PAYLOAD_LIMIT = 32 * 1024;

/** The account, region and version every synthetic ARN uses. */
export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const VERSION = '1';

/**
 * `arn:aws:lambda:us-east-1:123456789012:function:NAME:1` (pass `qualifier: null` for no qualifier).
 * `name` may also be an unqualified function ARN, which puts the function in that ARN's account and
 * Region (a fleet of several accounts and Regions: `SyntheticOptions.functionNames`).
 */
export function functionArn(name: string, qualifier: string | null = VERSION): string {
  const base = name.startsWith('arn:') ? name : `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
  return `${base}${qualifier === null ? '' : `:${qualifier}`}`;
}

/** The function's name, of a name or an unqualified function ARN. */
export function functionNameOf(nameOrArn: string): string {
  return nameOrArn.slice(nameOrArn.lastIndexOf(':') + 1);
}

/** Epoch milliseconds as the wire's epoch seconds (millisecond precision). */
export function seconds(ms: number): number {
  return ms / 1000;
}
