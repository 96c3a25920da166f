import { Duration } from 'aws-cdk-lib';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import {
  LAKE_STATEMENTS,
  logicalIdOf,
  partitionArn,
  policyStatements,
  type SynthesizedExport,
  standInCodeDirectory,
  synthesizeExport,
} from './support/deploy-stack.js';

const code = standInCodeDirectory();
const schedule = ScheduleExpression.rate(Duration.hours(1));
const SHOP = 'arn:aws:iam::222222222222:role/durable-export-reader';
const BILLING = 'arn:aws:iam::333333333333:role/durable-export-reader';
const READ = [
  'lambda:ListDurableExecutionsByFunction',
  'lambda:GetDurableExecutionHistory',
  'lambda:GetDurableExecution',
];

/** Two Regions of this account without a role, and two member accounts' roles (one in two Regions). */
const targets = [
  { region: 'eu-west-1' },
  { region: 'us-east-1' },
  { region: 'eu-west-1', roleArn: SHOP, externalId: '7c1f-shop' },
  { region: 'us-east-1', roleArn: SHOP, externalId: '7c1f-shop' },
  { region: 'eu-west-1', roleArn: BILLING },
];

function variables(s: SynthesizedExport, fn: IConstruct | undefined): Record<string, string> {
  return s.template.toJSON().Resources[logicalIdOf(s, fn)].Properties.Environment.Variables;
}

const orders = (region: string) => partitionArn(`:lambda:${region}:123456789012:function:orders`);
const ordersAny = (region: string) => partitionArn(`:lambda:${region}:123456789012:function:orders:*`);

describe('DurableExport targets: the scheduled function reads several accounts and Regions', () => {
  const s = synthesizeExport({ functions: ['orders'], prefix: 'durable', schedule, targets }, code);

  it('reads this account in the role-less targets’ Regions, and assumes exactly the targets’ roles', () => {
    expect(policyStatements(s)).toEqual([
      {
        Effect: 'Allow',
        Action: READ,
        Resource: [orders('eu-west-1'), ordersAny('eu-west-1'), orders('us-east-1'), ordersAny('us-east-1')],
      },
      ...LAKE_STATEMENTS,
      { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: [SHOP, BILLING] },
    ]);
  });

  it('gives the scheduled function the targets, which loadConfig reads back as given', async () => {
    const env = variables(s, s.construct.scheduledFunction);
    expect(JSON.parse(env.DURABLE_EXPORT_EXPORT_TARGETS ?? '')).toEqual(targets);
    const config = await loadConfig({ env });
    expect(config.export?.targets).toEqual(targets);
    expect(config.export?.functions).toEqual(['orders']);
  });

  it('with discovery: the prefix in each role-less Region, ListFunctions; none of this account’s when every target has a role', () => {
    const discovering = synthesizeExport(
      {
        allFunctions: true,
        functionPrefix: 'shop-',
        prefix: 'durable',
        schedule,
        targets: [{ region: 'us-east-1' }, { region: 'eu-central-1', roleArn: SHOP }],
      },
      code,
    );
    expect(policyStatements(discovering)).toEqual([
      {
        Effect: 'Allow',
        Action: READ,
        Resource: partitionArn(':lambda:us-east-1:123456789012:function:shop-*'),
      },
      { Effect: 'Allow', Action: 'lambda:ListFunctions', Resource: '*' },
      ...LAKE_STATEMENTS,
      { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: SHOP },
    ]);
    const rolesOnly = synthesizeExport(
      {
        allFunctions: true,
        prefix: 'durable',
        schedule,
        targets: [{ region: 'eu-west-1', roleArn: SHOP, externalId: '7c1f-shop' }],
      },
      code,
    );
    // The member account's policy grants the reads (README "Export a fleet"): the lake and the role only.
    expect(policyStatements(rolesOnly)).toEqual([
      ...LAKE_STATEMENTS,
      { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: SHOP },
    ]);
  });

  it('without targets: no sts:AssumeRole and no targets variable', () => {
    const single = synthesizeExport({ functions: ['orders'], prefix: 'durable', schedule }, code);
    const actions = (policyStatements(single) as { Action: string | string[] }[]).flatMap((st) => st.Action);
    expect(actions.filter((a) => a.startsWith('sts:'))).toEqual([]);
    expect(variables(single, single.construct.scheduledFunction)).not.toHaveProperty(
      'DURABLE_EXPORT_EXPORT_TARGETS',
    );
  });
});

describe('DurableExport targets: a fleet started by hand', () => {
  it('gives the plan function the targets (its backfill plans each target), the work items carry their role', async () => {
    const s = synthesizeExport({ functions: ['orders'], prefix: 'durable', fleet: true, targets }, code);
    expect((await loadConfig({ env: variables(s, s.construct.planFunction) })).export?.targets).toEqual(
      targets,
    );
    expect((await loadConfig({ env: variables(s, s.construct.workItemFunction) })).export).toEqual({
      out: 's3://my-lake/durable',
    });
    expect(policyStatements(s)).toContainEqual({
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: [SHOP, BILLING],
    });
  });
});

describe('DurableExport targets: refused', () => {
  const base = { functions: ['orders'], prefix: 'durable' };

  it('refuses targets where no handler runs them, naming both props', () => {
    expect(() =>
      synthesizeExport({ ...base, schedule, eventDriven: true, targets: [{ region: 'us-east-1' }] }, code),
    ).toThrow(/DurableExport targets cannot run with eventDriven/);
    expect(() =>
      synthesizeExport({ ...base, schedule, fleet: true, targets: [{ region: 'us-east-1' }] }, code),
    ).toThrow(/DurableExport targets cannot run with fleet and schedule/);
  });

  it('checks each target as export.targets is checked', () => {
    expect(() => synthesizeExport({ ...base, schedule, targets: [{ region: 'Ireland' }] }, code)).toThrow(
      /invalid DurableExport targets region: invalid region "Ireland"/,
    );
    expect(() =>
      synthesizeExport({ ...base, schedule, targets: [{ region: 'eu-west-1', roleArn: 'reader' }] }, code),
    ).toThrow(/invalid DurableExport targets roleArn: invalid role ARN "reader"/);
    expect(() =>
      synthesizeExport({ ...base, schedule, targets: [{ region: 'eu-west-1', externalId: 'x-1' }] }, code),
    ).toThrow(/externalId needs a roleArn/);
    expect(() => synthesizeExport({ ...base, schedule, targets: [] }, code)).toThrow(
      /invalid DurableExport targets/,
    );
  });
});
