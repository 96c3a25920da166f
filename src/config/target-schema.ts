import { z } from 'zod';

/** An IAM role ARN: `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`; the account is group 1. */
const ROLE_ARN = /^arn:aws[a-zA-Z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;

/** An AWS Region name, e.g. `eu-west-1`, `us-gov-west-1`. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * One place an export reads: a Region, and the role to assume there (another account), with the
 * external id the role's trust policy asks for. Without a role the run's own credentials read it.
 * The one owner of a target's formats: `export.targets`, `--targets-file` lines and the flags.
 */
export const exportTargetSchema = z
  .strictObject({
    region: z
      .string()
      .regex(REGION, {
        error: (issue) => `invalid region ${JSON.stringify(issue.input)}: expected e.g. eu-west-1`,
      })
      .describe('The AWS Region whose durable functions are read.'),
    roleArn: z
      .string()
      .regex(ROLE_ARN, {
        error: (issue) =>
          `invalid role ARN ${JSON.stringify(issue.input)}: expected arn:aws:iam::ACCOUNT:role/NAME`,
      })
      .optional()
      .describe("The IAM role to assume (sts:AssumeRole) for this target, in the functions' account."),
    externalId: z
      .string()
      .regex(/^[\w+=,.@:/-]{2,1224}$/, 'expected 2-1224 characters: letters, digits and +=,.@:/-')
      .optional()
      .describe("The external id the role's trust policy requires (sts:ExternalId)."),
  })
  .refine((t) => t.externalId === undefined || t.roleArn !== undefined, {
    error: 'externalId needs a roleArn: it is sent when the role is assumed',
  });

export type ExportTarget = z.infer<typeof exportTargetSchema>;

/** The account of a role ARN, or undefined when it is none. */
export function accountOfRoleArn(roleArn: string | undefined): string | undefined {
  return roleArn === undefined ? undefined : ROLE_ARN.exec(roleArn)?.[1];
}
