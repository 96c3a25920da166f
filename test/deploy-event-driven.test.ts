import { beforeAll, describe, expect, it } from 'vitest';
import { shippedRateLimits } from '../deploy/handler-environment.js';
import { rateShareOf } from '../src/aws/rate-share.js';
import { loadConfig } from '../src/config/load-config.js';
import {
  logicalIdOf,
  onlyResource,
  partitionArn,
  type SynthesizedExport,
  standInCodeDirectory,
  synthesizeExport,
} from './support/deploy-stack.js';

let events: SynthesizedExport;

beforeAll(() => {
  events = synthesizeExport(
    { functions: ['orders'], prefix: 'durable', eventDriven: { maxConcurrency: 4, maxReceiveCount: 3 } },
    standInCodeDirectory(),
  );
});

describe('DurableExport eventDriven: rule, queue, dead-letter queue, event source mapping', () => {
  it("routes the exported functions' terminal status changes to the queue", () => {
    const rule = onlyResource(events.template, 'AWS::Events::Rule');
    const orders = ':lambda:eu-west-1:123456789012:function:orders';
    expect(rule.EventPattern).toEqual({
      source: ['aws.lambda'],
      'detail-type': ['Durable Execution Status Change'],
      detail: {
        status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'STOPPED'],
        functionArn: [
          partitionArn(orders),
          { prefix: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `${orders}:`]] } },
        ],
      },
    });
    const queue = logicalIdOf(events, events.construct.statusChanges?.queue);
    expect(rule.Targets).toEqual([{ Arn: { 'Fn::GetAtt': [queue, 'Arn'] }, Id: 'Target0' }]);
  });

  it('with allFunctions, routes the status changes of every function discovery may find (the name prefix)', () => {
    const discovering = synthesizeExport(
      { allFunctions: true, functionPrefix: 'shop-', prefix: 'durable', eventDriven: true },
      standInCodeDirectory(),
    );
    const rule = onlyResource(discovering.template, 'AWS::Events::Rule') as {
      EventPattern: { detail: { functionArn: unknown } };
    };
    expect(rule.EventPattern.detail.functionArn).toEqual([
      { prefix: partitionArn(':lambda:eu-west-1:123456789012:function:shop-') },
    ]);
  });

  it('moves a message to the dead-letter queue after maxReceiveCount receives', () => {
    const queue = logicalIdOf(events, events.construct.statusChanges?.queue);
    const deadLetters = logicalIdOf(events, events.construct.statusChanges?.deadLetterQueue);
    const properties = events.template.toJSON().Resources[queue].Properties;
    expect(properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [deadLetters, 'Arn'] },
      maxReceiveCount: 3,
    });
    // Six times the events function's timeout (AWS's advice for an SQS event source).
    expect(properties.VisibilityTimeout).toBe(6 * 300);
  });

  it('feeds the events function with partial batch failures and a concurrency cap', () => {
    const fn = logicalIdOf(events, events.construct.eventsFunction);
    expect(onlyResource(events.template, 'AWS::Lambda::EventSourceMapping')).toMatchObject({
      FunctionName: { Ref: fn },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 4 },
      BatchSize: 10,
    });
  });

  it('gives each events-function instance the quota divided by the maximum concurrency', async () => {
    const fn = logicalIdOf(events, events.construct.eventsFunction);
    const variables = events.template.toJSON().Resources[fn].Properties.Environment.Variables;
    const quota = shippedRateLimits();
    expect(variables.DURABLE_EXPORT_LAMBDA_CONCURRENT_EXPORTERS).toBe('4');
    // The handler reads the variable as the CLI would, and its limiter takes a quarter of each quota.
    const config = await loadConfig({ env: variables });
    expect(rateShareOf(config.lambda).rateLimits).toEqual({
      list: quota.list / 4,
      history: quota.history / 4,
      getExecution: quota.getExecution / 4,
      state: quota.state / 4,
      listFunctions: quota.listFunctions / 4,
    });
  });

  it('alarms when a message reaches the dead-letter queue', () => {
    const deadLetters = logicalIdOf(events, events.construct.statusChanges?.deadLetterQueue);
    events.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetters, 'QueueName'] } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });
});
