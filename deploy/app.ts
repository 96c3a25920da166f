import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import { exportPropsFromContext } from './app-context.js';
import { DurableExport } from './durable-export-construct.js';

/**
 * The deploy app: one stack with one `DurableExport`, configured from CDK context
 * (deploy/app-context.ts lists the settings). `npm run cdk -- deploy -c functions=orders
 * -c bucket=my-lake` after `npm run bundle`; `cdk synth` needs no AWS access.
 */
const app = new App();
const stack = new Stack(app, app.node.tryGetContext('stackName') ?? 'DurableExport', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  description: 'durable-export: Lambda durable executions exported into a Parquet lake on S3',
});
const exporter = new DurableExport(stack, 'Export', exportPropsFromContext(stack));
// The principal of the member accounts' roles' trust policies, with `targets` (README "Export a fleet").
new CfnOutput(stack, 'ExporterRoleArn', {
  value: exporter.role.roleArn,
  description: 'The exporter role: the principal a member account role (targets roleArn) trusts',
});
app.synth();
