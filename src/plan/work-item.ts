import { z } from 'zod';
import { ConfigError } from '../errors.js';

/**
 * One item of a plan of work (`durable-export plan`): the executions of one function started in
 * the half-open window [startedAfter, startedBefore), in one account and Region. A null bound is
 * open. `executions` is the estimate the plan listed. `roleArn` (and `externalId`) name the role
 * the item is read with, in another account (`export.targets`); null for the run's own credentials.
 * The external id travels with the item because an item runs on its own (`--work-item`, the
 * work-item Lambda handler): it is a guard against a confused deputy, not a secret (IAM User Guide).
 */
export interface WorkItem {
  item: number;
  account: string | null;
  region: string | null;
  roleArn: string | null;
  /** Sent when the role is assumed; absent when the role needs none. */
  externalId?: string | null;
  function: string;
  startedAfter: string | null;
  startedBefore: string | null;
  executions: number;
}

const isoTime = z.iso.datetime({ offset: true });

const workItemSchema = z.strictObject({
  item: z.int().min(0),
  account: z
    .string()
    .regex(/^\d{12}$/)
    .nullable(),
  region: z.string().min(1).nullable(),
  roleArn: z.string().min(1).nullable(),
  externalId: z.string().min(1).nullable().optional(),
  function: z.string().min(1),
  startedAfter: isoTime.nullable(),
  startedBefore: isoTime.nullable(),
  executions: z.int().min(0),
});

/** The JSON Lines line of an item, members in a fixed order. */
export function workItemLine(item: WorkItem): string {
  return JSON.stringify({
    item: item.item,
    account: item.account,
    region: item.region,
    roleArn: item.roleArn,
    // Only when set, so plans without one keep their lines.
    externalId: item.externalId ?? undefined,
    function: item.function,
    startedAfter: item.startedAfter,
    startedBefore: item.startedBefore,
    executions: item.executions,
  });
}

/**
 * The items of a plan's lines (blank lines skipped). A line that is not JSON, not an item, or
 * repeats an item number is a `ConfigError` naming `location` and the line number.
 */
export async function parseWorkItems(lines: AsyncIterable<string>, location: string): Promise<WorkItem[]> {
  const items: WorkItem[] = [];
  const seen = new Set<number>();
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line.trim() === '') continue;
    const at = `work items ${location} line ${number}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (cause) {
      throw new ConfigError(`${at}: not JSON: ${(cause as Error).message}`, { file: location }, { cause });
    }
    const parsed = workItemSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ConfigError(
        `${at}: not a work item: ${issue?.path.join('.') || 'the line'}: ${issue?.message}`,
        { file: location },
      );
    }
    if (seen.has(parsed.data.item))
      throw new ConfigError(`${at}: item ${parsed.data.item} appears twice`, { file: location });
    seen.add(parsed.data.item);
    items.push(parsed.data);
  }
  return items;
}
