import type { ExportTarget } from '../src/config/target-schema.js';
import { checkedExportProps } from './checked-export-props.js';
import type { DurableExportProps } from './durable-export-props.js';

/**
 * The accounts and Regions a `DurableExport` reads (`targets`): checked as `export.targets` is (the
 * config schema owns the format, src/config/target-schema.ts), refused where the handler that
 * would run them does not, and what follows for the role: the roles it assumes, and the Regions
 * of this account it reads with its own credentials.
 */

/**
 * `props.targets` as the handlers will load them from `DURABLE_EXPORT_EXPORT_TARGETS`, or
 * undefined without targets. Refused: with `eventDriven` (the events handler reads the Region it
 * runs in) and with `fleet` and `schedule` (the scheduled fleet's `sinceLastRun` plan reads one
 * account's watermarks: src/plan/plan-since-last-run.ts). A `fleet` without schedule runs them:
 * its backfill plans (`planWork`) plan each target and the work items carry their role.
 */
export function checkedTargets(props: DurableExportProps): readonly ExportTarget[] | undefined {
  if (props.targets === undefined) return undefined;
  if (props.eventDriven) {
    throw new Error(
      'DurableExport targets cannot run with eventDriven: the events function exports the executions of its own account and Region (deploy one DurableExport with eventDriven per account and Region, or drop targets)',
    );
  }
  if (props.fleet && props.schedule) {
    throw new Error(
      'DurableExport targets cannot run with fleet and schedule: the scheduled fleet plans from the watermarks of one account and Region (use schedule without fleet, or start the fleet by hand with a window)',
    );
  }
  return checkedExportProps({ targets: props.targets }, [
    'targets',
    'targets.region',
    'targets.roleArn',
    'targets.externalId',
  ]).targets;
}

/** The role ARNs the exporter assumes (`sts:AssumeRole`), each once, in the targets' order. */
export function assumedRoleArns(targets: readonly ExportTarget[] | undefined): string[] {
  return [...new Set((targets ?? []).flatMap((t) => (t.roleArn === undefined ? [] : [t.roleArn])))];
}

/**
 * The Regions of this account the exporter reads with its own credentials: those of the targets
 * without a role, each once; undefined without targets (the stack's Region, as before targets).
 * A target with a role is read with the role's credentials, under the member account's policy.
 */
export function ownReadRegions(targets: readonly ExportTarget[] | undefined): string[] | undefined {
  if (targets === undefined) return undefined;
  return [...new Set(targets.flatMap((t) => (t.roleArn === undefined ? [t.region] : [])))];
}
