import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { ConfigError } from '../src/errors.js';
import { planSinceLastRun } from '../src/plan/plan-since-last-run.js';
import { readTargetsFile, targetsOfFlags } from '../src/targets/target-list.js';

const ROLE_A = 'arn:aws:iam::222222222222:role/reader';
const ROLE_B = 'arn:aws:iam::333333333333:role/reader';

describe('targets from flags, a targets file and the config', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'target-list-'));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('one Region without a role is no target list (the single-target run); Regions x roles otherwise', () => {
    expect(targetsOfFlags({ regions: ['eu-west-1'] })).toBeUndefined();
    expect(targetsOfFlags({})).toBeUndefined();
    expect(targetsOfFlags({ regions: ['eu-west-1', 'us-east-1'] })).toEqual([
      { region: 'eu-west-1' },
      { region: 'us-east-1' },
    ]);
    expect(
      targetsOfFlags({
        regions: ['eu-west-1', 'us-east-1'],
        roleArns: [ROLE_A, ROLE_B],
        externalId: 'ext-1',
      }),
    ).toEqual([
      { region: 'eu-west-1', roleArn: ROLE_A, externalId: 'ext-1' },
      { region: 'eu-west-1', roleArn: ROLE_B, externalId: 'ext-1' },
      { region: 'us-east-1', roleArn: ROLE_A, externalId: 'ext-1' },
      { region: 'us-east-1', roleArn: ROLE_B, externalId: 'ext-1' },
    ]);
    // A role without --region reads the Region in effect.
    expect(targetsOfFlags({ roleArns: [ROLE_A] }, 'ap-south-1')).toEqual([
      { region: 'ap-south-1', roleArn: ROLE_A },
    ]);
  });

  it('refuses an external id without a role, a role without a Region, and a malformed role ARN', () => {
    expect(() => targetsOfFlags({ regions: ['eu-west-1'], externalId: 'x1' })).toThrow(
      /--external-id .* give --role-arn too/,
    );
    expect(() => targetsOfFlags({ roleArns: [ROLE_A] })).toThrow(/--role-arn needs a Region/);
    expect(() => targetsOfFlags({ regions: ['eu-west-1'], roleArns: ['arn:aws:iam::12:role/x'] })).toThrow(
      ConfigError,
    );
    expect(() => targetsOfFlags({ regions: ['eu-west-1'], roleArns: ['arn:aws:iam::12:role/x'] })).toThrow(
      /invalid role ARN "arn:aws:iam::12:role\/x": expected arn:aws:iam::ACCOUNT:role\/NAME/,
    );
  });

  it('reads a targets file, naming the line of a bad target', async () => {
    const good = join(work, 'good.jsonl');
    await writeFile(
      good,
      `{"region":"eu-west-1"}\n\n{"region":"us-east-1","roleArn":"${ROLE_A}","externalId":"e-1"}\n`,
    );
    expect(await readTargetsFile(good, {})).toEqual([
      { region: 'eu-west-1' },
      { region: 'us-east-1', roleArn: ROLE_A, externalId: 'e-1' },
    ]);
    const bad = join(work, 'bad.jsonl');
    await writeFile(bad, '{"region":"eu-west-1"}\n{"region":"eu-west-1","externalId":"e-1"}\n');
    await expect(readTargetsFile(bad, {})).rejects.toThrow(
      /targets file .*bad.jsonl line 2: not a target: .*externalId needs a roleArn/,
    );
    const unknownKey = join(work, 'unknown.jsonl');
    await writeFile(unknownKey, '{"region":"eu-west-1","account":"1"}\n');
    await expect(readTargetsFile(unknownKey, {})).rejects.toThrow(/line 1: not a target/);
  });

  it('takes export.targets from the environment, strictly', async () => {
    const targets = [{ region: 'eu-west-1', roleArn: ROLE_A, externalId: 'e-1' }];
    const config = await loadConfig({
      env: { DURABLE_EXPORT_EXPORT_TARGETS: JSON.stringify(targets), HOME: work },
    });
    expect(config.export?.targets).toEqual(targets);
    await expect(
      loadConfig({
        env: { DURABLE_EXPORT_EXPORT_TARGETS: '[{"region":"eu-west-1","role":"x"}]', HOME: work },
      }),
    ).rejects.toThrow(ConfigError);
  });

  it('a scheduled fleet plan refuses targets instead of planning them from the watermarks of one Region', async () => {
    const config = await loadConfig({
      env: {},
      flags: {
        export: { out: join(work, 'lake'), functions: ['orders'], targets: [{ region: 'eu-west-1' }] },
      },
    });
    await expect(planSinceLastRun(config)).rejects.toThrow(ConfigError);
    await expect(planSinceLastRun(config)).rejects.toThrow(/--since-last-run plan.*export\.targets/);
  });
});
