import { functionArn, functionNameOf, seconds, VERSION } from './model.js';
import type { Prng } from './prng.js';
import type { SimulatedExecution } from './simulate-execution.js';

/** Execution status of the GetDurableExecution body for the EXECUTION operation's final status. */
function executionStatus(operationStatus: string): string {
  return operationStatus === 'STARTED' ? 'RUNNING' : operationStatus;
}

/** The names and ARNs of one synthetic execution. */
export interface ExecutionIdentity {
  functionName: string;
  executionName: string;
  executionArn: string;
}

/** `arn:aws:lambda:us-east-1:123456789012:function:NAME:1/durable-execution/NAME-order-N/UUID`. */
export function executionIdentity(prng: Prng, functionName: string, index: number): ExecutionIdentity {
  const executionName = `${functionNameOf(functionName)}-order-${index}`;
  return {
    functionName,
    executionName,
    executionArn: `${functionArn(functionName)}/durable-execution/${executionName}/${prng.uuid()}`,
  };
}

/**
 * The GetDurableExecution body (wire form): Result only when SUCCEEDED, Error when FAILED, TIMED_OUT or
 * STOPPED, no EndTimestamp while RUNNING. `ExecutionDataIncluded` is added by the service per request.
 */
export function executionRecord(
  prng: Prng,
  identity: ExecutionIdentity,
  simulated: SimulatedExecution,
): Record<string, unknown> {
  const { execution } = simulated;
  const status = executionStatus(execution.status);
  const body: Record<string, unknown> = {
    DurableExecutionArn: identity.executionArn,
    DurableExecutionName: identity.executionName,
    FunctionArn: functionArn(identity.functionName),
    InputPayload: execution.inputPayload,
  };
  if (status === 'SUCCEEDED' && simulated.result !== undefined) body.Result = simulated.result;
  if (status !== 'SUCCEEDED' && simulated.error !== undefined) body.Error = simulated.error;
  body.StartTimestamp = seconds(execution.startMs);
  body.Status = status;
  if (execution.endMs !== undefined) body.EndTimestamp = seconds(execution.endMs);
  body.Version = VERSION;
  const epochHex = Math.floor(execution.startMs / 1000).toString(16);
  body.TraceHeader = { XAmznTraceId: `Root=1-${epochHex}-${prng.hex(24)};Parent=${prng.hex(16)};Sampled=1` };
  body.DurableConfig = { ExecutionTimeout: simulated.executionTimeoutSeconds, RetentionPeriodInDays: 14 };
  return body;
}
