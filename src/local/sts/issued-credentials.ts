import { randomBytes } from 'node:crypto';

/**
 * The one owner of how the local STS stand-in's credentials name their account and lifetime, read
 * back by the local durable service (its caller routing). An issued access key is
 * `ASIA` + the 12-digit account + 4 characters, 20 in all like AWS's; the session token is
 * `local-sts.<account>.<expiresAtMs>.<random hex>`. Real AWS does not put the account in a key;
 * this is the local services' private convention, so they need no shared state.
 */
const ISSUED_KEY = /^ASIA(\d{12})[0-9A-Z]{4}$/;
const ISSUED_TOKEN = /^local-sts\.(\d{12})\.(\d+)\.[0-9a-f]+$/;

/** Temporary credentials as the stand-in issues them. */
export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiresAtMs: number;
}

/** New temporary credentials in `account`, valid until `expiresAtMs`; `serial` makes keys distinct. */
export function issueCredentials(account: string, expiresAtMs: number, serial: number): IssuedCredentials {
  const suffix = (serial % 36 ** 4).toString(36).toUpperCase().padStart(4, '0');
  return {
    accessKeyId: `ASIA${account}${suffix}`,
    secretAccessKey: randomBytes(20).toString('hex'),
    sessionToken: `local-sts.${account}.${expiresAtMs}.${randomBytes(8).toString('hex')}`,
    expiresAtMs,
  };
}

/** Who signed a request with these credentials, when the stand-in issued them. */
export interface IssuedCaller {
  account: string;
  /** When the credentials expire (ms since the epoch); unknown without the session token. */
  expiresAtMs?: number;
}

/**
 * The account of an access key the stand-in issued (and the expiry its session token carries), or
 * undefined for any other key.
 */
export function callerOfCredentials(accessKeyId: string, sessionToken?: string): IssuedCaller | undefined {
  const account = ISSUED_KEY.exec(accessKeyId)?.[1];
  if (account === undefined) return undefined;
  const token = sessionToken === undefined ? null : ISSUED_TOKEN.exec(sessionToken);
  return { account, expiresAtMs: token?.[1] === account ? Number(token[2]) : undefined };
}
