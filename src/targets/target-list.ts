import type { AwsConnection } from '../aws/aws-connection.js';
import { regionSetting } from '../aws/connection-settings.js';
import type { Config } from '../config/config-schema.js';
import { type ExportTarget, exportTargetSchema } from '../config/target-schema.js';
import { ConfigError } from '../errors.js';
import { readLinesFile } from '../source/open-manifest.js';

/** The target flags of `export` and `plan`: `--region` (repeatable), `--role-arn` (repeatable), `--external-id`. */
export interface TargetFlags {
  regions?: readonly string[];
  roleArns?: readonly string[];
  externalId?: string;
  /** `--targets-file`: the targets, instead of the cross product of regions and roles. */
  targetsFile?: string;
}

/**
 * The targets a command's flags give (`--targets-file`, else `targetsOfFlags`), or undefined for
 * the single target of one Region without a role; over `export.targets` of the config.
 */
export async function targetsOfCommand(
  flags: TargetFlags,
  connection: AwsConnection,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ExportTarget[] | undefined> {
  if (flags.targetsFile === undefined) return targetsOfFlags(flags, regionSetting(undefined, env)?.value);
  if ((flags.regions?.length ?? 0) > 1 || flags.roleArns?.length || flags.externalId !== undefined) {
    throw new ConfigError(
      "--targets-file names the targets: not with --role-arn, --external-id or several --region (one --region sets the lake's)",
    );
  }
  return readTargetsFile(flags.targetsFile, connection);
}

/**
 * A run of one target (`runExportJob`, `runIncrementalExport`) refuses a config with targets: they
 * would be silently ignored. `runTargets` runs each target.
 */
export function refuseTargets(config: Config, what: string): void {
  if (config.export?.targets !== undefined) {
    throw new ConfigError(`${what} reads one Region and account: run export.targets with runTargets`);
  }
}

/** The config with the targets of the flags, when they give any (`targetsOfCommand`). */
export function withTargets(config: Config, targets: ExportTarget[] | undefined): Config {
  return targets ? { ...config, export: { ...config.export, targets } } : config;
}

/**
 * The targets the flags name: every Region with every role (their cross product), the external id
 * sent with each role. Undefined for one Region (or none) without a role: the run's own connection
 * is the one target, exactly as before there were targets. A role without `--region` reads the
 * Region in effect (`AWS_REGION`, the profile), so `defaultRegion` fills it in.
 */
export function targetsOfFlags(flags: TargetFlags, defaultRegion?: string): ExportTarget[] | undefined {
  const regions = [...new Set(flags.regions ?? [])];
  const roles = [...new Set(flags.roleArns ?? [])];
  if (flags.externalId !== undefined && roles.length === 0) {
    throw new ConfigError('--external-id is sent when a role is assumed: give --role-arn too');
  }
  if (roles.length === 0 && regions.length <= 1) return undefined;
  const where = regions.length > 0 ? regions : [defaultRegion];
  if (where.includes(undefined)) {
    throw new ConfigError('--role-arn needs a Region: give --region REGION (repeatable), or set AWS_REGION');
  }
  const targets: unknown[] = where.flatMap((region) =>
    roles.length === 0
      ? [{ region }]
      : roles.map((roleArn) => ({ region, roleArn, externalId: flags.externalId })),
  );
  return targets.map((t, i) => checkedTarget(t, `target ${i + 1} of the flags`));
}

/**
 * The targets of a `--targets-file` (a path or `s3://BUCKET/KEY`): JSON Lines of
 * `{"region", "roleArn"?, "externalId"?}`, blank lines skipped. A line that is not JSON or not a
 * target is a `ConfigError` naming the file and line.
 */
export async function readTargetsFile(
  location: string,
  connection: AwsConnection,
  signal?: AbortSignal,
): Promise<ExportTarget[]> {
  const targets = await readLinesFile(
    location,
    connection,
    'targets file',
    (lines) => parseTargets(lines, location),
    signal,
  );
  if (targets.length === 0)
    throw new ConfigError(`targets file ${location} holds no target`, { file: location });
  return targets;
}

async function parseTargets(lines: AsyncIterable<string>, location: string): Promise<ExportTarget[]> {
  const targets: ExportTarget[] = [];
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line.trim() === '') continue;
    const at = `targets file ${location} line ${number}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (cause) {
      throw new ConfigError(`${at}: not JSON: ${(cause as Error).message}`, { file: location }, { cause });
    }
    targets.push(checkedTarget(value, at, location));
  }
  return targets;
}

function checkedTarget(value: unknown, at: string, file?: string): ExportTarget {
  const parsed = exportTargetSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ConfigError(`${at}: not a target: ${issue?.path.join('.') || 'the line'}: ${issue?.message}`, {
    file,
  });
}

/** How a target is named in summaries and messages: `222222222222/eu-west-1 (role arn:...)`. */
export function targetLabel(target: {
  region: string;
  account?: string | null;
  roleArn?: string | null;
}): string {
  const role = target.roleArn ? ` (role ${target.roleArn})` : '';
  return `${target.account ?? 'own account'}/${target.region}${role}`;
}
