import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { exportPropsFromContext } from '../deploy/app-context.js';
import { DurableExport } from '../deploy/durable-export-construct.js';
import { standInCodeDirectory, TEST_ENV } from './support/deploy-stack.js';

const root = join(import.meta.dirname, '..');
const code = standInCodeDirectory();

function synthFromContext(context: Record<string, unknown>): Template {
  const stack = new Stack(new App({ context }), 'App', { env: TEST_ENV });
  new DurableExport(stack, 'Export', exportPropsFromContext(stack));
  return Template.fromStack(stack);
}

describe('deploy/app.ts: the DurableExport of the deploy app, from CDK context', () => {
  it('schedules hourly by default and reads eventDriven as the maximum concurrency', () => {
    const template = synthFromContext({
      functions: 'orders, payments',
      bucket: 'my-lake',
      eventDriven: '3',
      fleet: 'true',
      codeDirectory: code,
    });
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 hour)' });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ScalingConfig: { MaximumConcurrency: 3 },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          DURABLE_EXPORT_EXPORT_FUNCTIONS: 'orders,payments',
          DURABLE_EXPORT_EXPORT_OUT: 's3://my-lake/durable',
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
    });
  });

  it('reads allFunctions with its prefix and tags instead of functions, and the first start', () => {
    const template = synthFromContext({
      allFunctions: 'true',
      functionPrefix: 'shop-',
      functionTags: 'team=shop, tier=1',
      startedAfter: '2026-01-01',
      bucket: 'my-lake',
      codeDirectory: code,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          DURABLE_EXPORT_EXPORT_ALL_FUNCTIONS: 'true',
          DURABLE_EXPORT_EXPORT_FUNCTION_PREFIX: JSON.stringify('shop-'),
          DURABLE_EXPORT_EXPORT_FUNCTION_TAGS: JSON.stringify(['team=shop', 'tier=1']),
          DURABLE_EXPORT_EXPORT_STARTED_AFTER: '2026-01-01',
          DURABLE_EXPORT_EXPORT_OUT: 's3://my-lake/durable',
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
    });
  });

  it('reads targets as JSON (a string from -c, an array from cdk.json) and gives them to the scheduled function', () => {
    const targets = [
      { region: 'eu-west-1' },
      {
        region: 'us-east-1',
        roleArn: 'arn:aws:iam::222222222222:role/durable-export-reader',
        externalId: '7c1f',
      },
    ];
    for (const given of [JSON.stringify(targets), targets]) {
      const template = synthFromContext({
        functions: 'orders',
        bucket: 'my-lake',
        targets: given,
        codeDirectory: code,
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({ DURABLE_EXPORT_EXPORT_TARGETS: JSON.stringify(targets) }),
        },
      });
    }
    expect(() => synthFromContext({ functions: 'orders', bucket: 'my-lake', targets: 'eu-west-1' })).toThrow(
      /invalid targets "eu-west-1": expected a JSON array/,
    );
  });

  it('says which setting is missing, and refuses an eventDriven that is not a number', () => {
    expect(() => synthFromContext({ bucket: 'my-lake', codeDirectory: code })).toThrow(
      'the deploy app needs -c functions=... (or "functions" in cdk.json context)',
    );
    expect(() => synthFromContext({ functions: 'orders', bucket: 'b-1', eventDriven: 'yes' })).toThrow(
      /invalid eventDriven "yes"/,
    );
  });

  it('synthesizes with `cdk synth` offline: no credentials, no Region, no Docker', () => {
    const out = mkdtempSync(join(tmpdir(), 'durable-export-cdk-out-'));
    const env = { PATH: process.env.PATH, HOME: out, AWS_EC2_METADATA_DISABLED: 'true' };
    execFileSync(
      join(root, 'node_modules/.bin/cdk'),
      [
        'synth',
        '--quiet',
        '--no-notices',
        '--output',
        out,
        ...['-c', 'functions=orders', '-c', 'bucket=my-lake', '-c', 'eventDriven=true'],
        ...['-c', `codeDirectory=${code}`, '-c', 'database=durable_export'],
      ],
      { cwd: join(root, 'deploy'), env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 },
    );
    const template = JSON.parse(readFileSync(join(out, 'DurableExport.template.json'), 'utf8'));
    const types = new Set(Object.values(template.Resources).map((r) => (r as { Type: string }).Type));
    // The member roles' trust policies name it (README "Export a fleet").
    expect(template.Outputs.ExporterRoleArn.Value).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    for (const type of [
      'AWS::Lambda::Function',
      'AWS::Scheduler::Schedule',
      'AWS::SQS::Queue',
      'AWS::Glue::Table',
    ]) {
      expect(types, type).toContain(type);
    }
  }, 300_000);
});
