import { beforeAll, describe, expect, it } from 'vitest';
import { ratesPerInstance, shippedRateLimits } from '../deploy/handler-environment.js';
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
    expect(JSON.parse(variables.DURABLE_EXPORT_LAMBDA_RATE_LIMITS)).toEqual({
      list: quota.list / 4,
      history: quota.history / 4,
      getExecution: quota.getExecution / 4,
      state: quota.state / 4,
    });
    // The handler reads the variable as the CLI would.
    const config = await loadConfig({ env: variables });
    expect(config.lambda.rateLimits).toEqual(ratesPerInstance(quota, 4));
  });

  it('rounds a share down to a thousandth and never to zero', () => {
    const quota = { list: 15, history: 15, getExecution: 30, state: 10_000 };
    expect(ratesPerInstance(quota, 7)).toEqual({
      list: 2.142,
      history: 2.142,
      getExecution: 4.285,
      state: 1428.571,
    });
    expect(ratesPerInstance({ ...quota, list: 0.001 }, 1000).list).toBe(0.001);
    expect(() => ratesPerInstance(quota, 0)).toThrow(/positive integer/);
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
