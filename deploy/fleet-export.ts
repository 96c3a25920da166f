import { ArnFormat, Names, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { DefinitionBody, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { fleetStateMachineDefinition } from './fleet-state-machine.js';

/**
 * The Step Functions state machine that plans and runs work items (deploy/fleet-state-machine.ts
 * writes its ASL) with the permissions it needs: invoke the plan and work-item functions, read the
 * plan, write the results (ResultWriter uses multipart uploads), and start, describe and stop its
 * own child executions (the Distributed Map's).
 */

export interface FleetExportProps {
  /** Writes the plan (src/lambda/plan-handler.ts). */
  readonly planFunction: IFunction;
  readonly workItemFunction: IFunction;
  readonly bucket: IBucket;
  /** Key prefix of the plans the state machine may read, ending with `/`. */
  readonly planPrefix: string;
  /** Key prefix of the map runs' results, without trailing `/`. */
  readonly resultsPrefix: string;
  readonly maxConcurrency: number;
  readonly maxItemsPerBatch: number;
  readonly toleratedFailurePercentage: number;
}

export class FleetExport extends Construct {
  readonly stateMachine: StateMachine;
  /** The ASL, as tests validate it (tokens in it resolve at deploy time). */
  readonly definition: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: FleetExportProps) {
    super(scope, id);
    // A fixed name lets the role name the state machine without referring to it (a cycle otherwise).
    const stateMachineName = Names.uniqueResourceName(this, { maxLength: 80 });
    this.definition = fleetStateMachineDefinition({
      planFunctionArn: props.planFunction.functionArn,
      workItemFunctionArn: props.workItemFunction.functionArn,
      bucket: props.bucket.bucketName,
      resultsPrefix: props.resultsPrefix,
      maxConcurrency: props.maxConcurrency,
      maxItemsPerBatch: props.maxItemsPerBatch,
      toleratedFailurePercentage: props.toleratedFailurePercentage,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName,
      definitionBody: DefinitionBody.fromString(JSON.stringify(this.definition)),
      comment: 'durable-export: plan the work items, then run them with a Distributed Map',
    });
    const stack = Stack.of(this);
    const arnOf = (resource: string, resourceName: string) =>
      stack.formatArn({
        service: 'states',
        resource,
        resourceName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    props.planFunction.grantInvoke(this.stateMachine);
    props.workItemFunction.grantInvoke(this.stateMachine);
    for (const statement of [
      new PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [props.bucket.arnForObjects(`${props.planPrefix}*`)],
      }),
      new PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        resources: [props.bucket.arnForObjects(`${props.resultsPrefix}/*`)],
      }),
      new PolicyStatement({
        actions: ['states:StartExecution'],
        resources: [arnOf('stateMachine', stateMachineName)],
      }),
      new PolicyStatement({
        actions: ['states:DescribeExecution', 'states:StopExecution'],
        resources: [arnOf('execution', `${stateMachineName}/*`)],
      }),
    ]) {
      this.stateMachine.addToRolePolicy(statement);
    }
  }
}
