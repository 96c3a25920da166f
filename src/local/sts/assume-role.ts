import { issueCredentials } from './issued-credentials.js';

/** A role the stand-in lets callers assume; `externalId`, when set, must be sent as `ExternalId`. */
export interface KnownRole {
  externalId?: string;
}

/** An STS error as the query protocol answers it (`ErrorResponse`). */
export class StsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** `Sender` for the caller's faults, `Receiver` for the service's. */
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

const ROLE_ARN = /^arn:aws[a-zA-Z-]*:iam::(\d{12}):role\/[\w+=,.@/-]+$/;

export interface AssumeRoleContext {
  roles: ReadonlyMap<string, KnownRole>;
  /** How long issued credentials are valid; default: the request's `DurationSeconds`, else 3600 s. */
  credentialLifetimeMs?: number;
  /** Counts AssumeRole calls per role ARN, the refused ones included. */
  calls: Map<string, number>;
  now: () => number;
  serial: () => number;
}

/**
 * `Action=AssumeRole`: checks the role and the external id (an unknown role or a wrong or missing
 * external id is `AccessDenied`, 403, as STS answers both) and returns the `AssumeRoleResponse`
 * XML with credentials in the role's account.
 */
export function assumeRole(form: URLSearchParams, context: AssumeRoleContext, requestId: string): string {
  const roleArn = form.get('RoleArn') ?? '';
  const sessionName = form.get('RoleSessionName') ?? '';
  context.calls.set(roleArn, (context.calls.get(roleArn) ?? 0) + 1);
  const account = ROLE_ARN.exec(roleArn)?.[1];
  if (account === undefined || sessionName === '') {
    throw new StsError(
      400,
      'ValidationError',
      `invalid RoleArn ${JSON.stringify(roleArn)} or RoleSessionName`,
    );
  }
  const role = context.roles.get(roleArn);
  const externalId = form.get('ExternalId') ?? undefined;
  if (role === undefined || role.externalId !== externalId) {
    throw new StsError(
      403,
      'AccessDenied',
      `User: arn:aws:iam::000000000000:user/local is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    );
  }
  const duration = Number(form.get('DurationSeconds') ?? 3600);
  const lifetimeMs = context.credentialLifetimeMs ?? duration * 1000;
  const issued = issueCredentials(account, context.now() + lifetimeMs, context.serial());
  const roleName = roleArn.slice(roleArn.indexOf(':role/') + ':role/'.length);
  return `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>${issued.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${issued.secretAccessKey}</SecretAccessKey>
      <SessionToken>${issued.sessionToken}</SessionToken>
      <Expiration>${new Date(issued.expiresAtMs).toISOString()}</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <AssumedRoleId>AROA${account}:${escapeXml(sessionName)}</AssumedRoleId>
      <Arn>arn:aws:sts::${account}:assumed-role/${escapeXml(roleName)}/${escapeXml(sessionName)}</Arn>
    </AssumedRoleUser>
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>${requestId}</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>
`;
}

/** The `ErrorResponse` XML of an STS error. */
export function errorResponse(error: StsError, requestId: string): string {
  return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>${error.type}</Type>
    <Code>${error.code}</Code>
    <Message>${escapeXml(error.message)}</Message>
  </Error>
  <RequestId>${requestId}</RequestId>
</ErrorResponse>
`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
