import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { describe, expect, it } from 'vitest';
import { callerOfCredentials } from '../src/local/sts/issued-credentials.js';
import { useTestServers } from './support/test-servers.js';

const ROLE = 'arn:aws:iam::222222222222:role/durable-export-reader';
const OPEN_ROLE = 'arn:aws:iam::333333333333:role/reader';
const BASE = { accessKeyId: 'base', secretAccessKey: 'base' };

describe('the local STS stand-in answers the SDK STS client', () => {
  const servers = useTestServers('local-sts-');

  const provider = (url: string, roleArn: string, externalId?: string) =>
    fromTemporaryCredentials({
      params: { RoleArn: roleArn, ExternalId: externalId, RoleSessionName: 'test', DurationSeconds: 900 },
      masterCredentials: BASE,
      clientConfig: { region: 'eu-west-1', endpoint: url },
    });

  it('issues credentials in the role account, for the right external id only', async () => {
    const sts = await servers.localSts({ roles: { [ROLE]: { externalId: 'ext-1' }, [OPEN_ROLE]: {} } });
    const issued = await provider(sts.url, ROLE, 'ext-1')();
    expect(callerOfCredentials(issued.accessKeyId, issued.sessionToken)).toEqual({
      account: '222222222222',
      expiresAtMs: issued.expiration?.getTime(),
    });
    expect((issued.expiration?.getTime() ?? 0) - Date.now()).toBeGreaterThan(800_000);
    const open = await provider(sts.url, OPEN_ROLE)();
    expect(callerOfCredentials(open.accessKeyId)?.account).toBe('333333333333');

    await expect(provider(sts.url, ROLE, 'wrong')()).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(provider(sts.url, ROLE)()).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(provider(sts.url, 'arn:aws:iam::444444444444:role/none')()).rejects.toThrow(
      /not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::444444444444:role\/none/,
    );
    expect(sts.assumeRoleCalls(ROLE)).toBe(3);
    expect(sts.assumeRoleCalls(OPEN_ROLE)).toBe(1);
  });

  it('issues credentials of the configured lifetime', async () => {
    const sts = await servers.localSts({ roles: { [OPEN_ROLE]: {} }, credentialLifetimeMs: 2_000 });
    const issued = await provider(sts.url, OPEN_ROLE)();
    const left = (issued.expiration?.getTime() ?? 0) - Date.now();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(2_000);
  });

  it('keeps keys it did not issue out of any account', () => {
    expect(callerOfCredentials('AKIAIOSFODNN7EXAMPLE')).toBeUndefined();
    expect(callerOfCredentials('S3RVER')).toBeUndefined();
  });
});
