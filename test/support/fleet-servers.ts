import { generateSyntheticExecutions, type SyntheticExecution } from '../../src/local/index.js';
import type { RunningLocalService } from '../../src/local/service/local-service.js';
import type { LatencyOptions } from '../../src/local/service/service-latency.js';
import type { KnownRole } from '../../src/local/sts/assume-role.js';
import type { RunningLocalSts } from '../../src/local/sts/local-sts.js';
import type { TestServers } from './test-servers.js';

/** The account of callers the STS stand-in did not issue keys to (the "central" account). */
export const CENTRAL_ACCOUNT = '111111111111';
/** A second account, reached through a role. */
export const MEMBER_ACCOUNT = '222222222222';
export const FLEET_REGIONS = ['eu-west-1', 'us-east-2'] as const;
export const MEMBER_ROLE = `arn:aws:iam::${MEMBER_ACCOUNT}:role/durable-export-reader`;
export const MEMBER_EXTERNAL_ID = 'fleet-ext-1';

/** An unqualified function ARN in `account` and `region`. */
export function fleetFunction(account: string, region: string, name: string): string {
  return `arn:aws:lambda:${region}:${account}:function:${name}`;
}

/** Synthetic executions of `functions` (names or unqualified ARNs), deterministic for `seed`. */
export function fleetExecutions(count: number, seed: number, functions: string[]): SyntheticExecution[] {
  return generateSyntheticExecutions({ count, seed, functionNames: functions });
}

export interface Fleet {
  service: RunningLocalService;
  sts: RunningLocalSts;
}

/**
 * The local durable service with caller routing (callers without a role are in `CENTRAL_ACCOUNT`)
 * and the local STS stand-in knowing `roles` (default: `MEMBER_ROLE` with `MEMBER_EXTERNAL_ID`).
 */
export async function startFleet(
  servers: TestServers,
  options: {
    executions: SyntheticExecution[];
    roles?: Record<string, KnownRole>;
    credentialLifetimeMs?: number;
    latency?: LatencyOptions;
  },
): Promise<Fleet> {
  const service = await servers.localService({
    executions: options.executions,
    callerRouting: { defaultAccount: CENTRAL_ACCOUNT },
    latency: options.latency,
  });
  const sts = await servers.localSts({
    roles: options.roles ?? { [MEMBER_ROLE]: { externalId: MEMBER_EXTERNAL_ID } },
    credentialLifetimeMs: options.credentialLifetimeMs,
  });
  return { service, sts };
}
