import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { accountOfRoleArn, type ExportTarget } from '../config/target-schema.js';
import type { AwsConnection, LambdaTarget } from './aws-connection.js';
import { awsClientConfig } from './client-config.js';

/** Temporary credentials as `fromTemporaryCredentials` gives them. */
type AwsCredentialIdentity = Awaited<ReturnType<ReturnType<typeof fromTemporaryCredentials>>>;

/** The session name of every assumed role: CloudTrail in the target account shows who read. */
export const ROLE_SESSION_NAME = 'durable-export';

/**
 * How long an assumed role's credentials are asked for (one hour, the role's default maximum). The
 * SDK's clients refresh them before they expire (they take new ones once fewer than five minutes
 * are left), so a run may last longer than this.
 */
export const ROLE_DURATION_SECONDS = 3600;

/**
 * The connection of one target: the base connection (a resolved one: its credentials are the base
 * chain's provider), whose Lambda client reads the target's Region with, when the target names a
 * role, that role's temporary credentials (`fromTemporaryCredentials`: AssumeRole through STS at
 * `endpointUrlSts` or `AWS_ENDPOINT_URL_STS`, in the target's Region, signed with the base
 * credentials). S3 and Glue keep the base connection: the lake is the central account's.
 */
export function targetConnection(base: AwsConnection, target: ExportTarget): AwsConnection {
  const lambdaTarget: LambdaTarget = {
    region: target.region,
    credentials: target.roleArn
      ? refreshedBeforeExpiry(
          fromTemporaryCredentials({
            params: {
              RoleArn: target.roleArn,
              ExternalId: target.externalId,
              RoleSessionName: ROLE_SESSION_NAME,
              DurationSeconds: ROLE_DURATION_SECONDS,
            },
            masterCredentials: base.credentials,
            clientConfig: awsClientConfig('sts', { region: target.region, endpoint: base.endpointUrlSts }),
          }),
        )
      : undefined,
    account: accountOfRoleArn(target.roleArn),
    roleArn: target.roleArn,
  };
  return { ...base, lambdaTarget };
}

/**
 * How long before their expiry assumed credentials are replaced: the SDK clients' own rule (they
 * ask their provider again once fewer than five minutes are left).
 */
export const REFRESH_BEFORE_EXPIRY_MS = 300_000;

/**
 * One set of a role's credentials for every client of a target (discovery, the source, each job),
 * assumed again only when fewer than `REFRESH_BEFORE_EXPIRY_MS` are left: without it each client
 * would assume the role on its own. Concurrent callers share one AssumeRole call; a failed call is
 * not kept, so the next caller tries again.
 */
export function refreshedBeforeExpiry(
  provider: () => Promise<AwsCredentialIdentity>,
  now: () => number = Date.now,
): () => Promise<AwsCredentialIdentity> {
  let current: Promise<AwsCredentialIdentity> | undefined;
  let expiresAtMs = 0;
  return () => {
    if (current === undefined || expiresAtMs - now() < REFRESH_BEFORE_EXPIRY_MS) {
      const next = provider().then((credentials) => {
        expiresAtMs = credentials.expiration?.getTime() ?? Number.POSITIVE_INFINITY;
        return credentials;
      });
      next.catch(() => {
        if (current === next) current = undefined;
      });
      expiresAtMs = Number.POSITIVE_INFINITY; // callers meanwhile share this call
      current = next;
    }
    return current;
  };
}
