import { createHash } from 'node:crypto';
import type { RedisOptions } from 'ioredis';
import { ConfigError } from '../errors.js';
import { accountOfFunction } from './lambda-arn.js';
import type { LambdaApi } from './rate-limiter.js';

/** What a shared limiter is for: one AWS account and Region (their quotas are per account and Region). */
export interface QuotaScope {
  /** The account of the functions' ARNs; `any` when only function names were given. */
  readonly account: string;
  readonly region: string;
}

/**
 * The id of one (account, Region, API) limiter in Redis: every worker of that quota must use the
 * same one. `bottleneck` stores a limiter's settings in Redis under its id and reuses them, so the
 * id ends with a hash of the limit: workers started with another limit get a limiter of their own
 * instead of silently taking over the first one's.
 * @example sharedLimiterId({ account: '123456789012', region: 'eu-west-1' }, 'history', 15)
 *   // 'durable-export:123456789012:eu-west-1:history:5d41402a'
 */
export function sharedLimiterId(scope: QuotaScope, api: LambdaApi, limit: number): string {
  const settings = createHash('sha256').update(JSON.stringify({ limit })).digest('hex').slice(0, 8);
  return `durable-export:${scope.account}:${scope.region}:${api}:${settings}`;
}

/**
 * The account whose quota a run spends: the first function ARN's (a run reaches one account), else
 * `any`. With bare function names, workers of different accounts in one Region share one limit:
 * more cautious than needed, never over a quota.
 */
export function accountOfFunctions(functions: readonly string[] | undefined): string {
  for (const f of functions ?? []) {
    const account = accountOfFunction(f);
    if (account) return account;
  }
  return 'any';
}

/**
 * The `ioredis` options of a `lambda.limiter` URL: `redis://[[user]:password@]HOST:PORT[/db]`, or
 * `rediss://` for TLS (ElastiCache with in-transit encryption). Connecting waits at most
 * `connectTimeoutMs`; a command fails after one reconnection attempt instead of queueing for ever.
 */
export function redisOptionsOf(url: string, connectTimeoutMs: number): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new ConfigError(
      `invalid lambda.limiter ${JSON.stringify(url)}: expected redis://HOST:PORT[/db]`,
      {},
      { cause },
    );
  }
  const db = parsed.pathname.replace(/^\//, '');
  return {
    host: parsed.hostname,
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    db: db === '' ? 0 : Number(db),
    username: parsed.username === '' ? undefined : decodeURIComponent(parsed.username),
    password: parsed.password === '' ? undefined : decodeURIComponent(parsed.password),
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    connectTimeout: connectTimeoutMs,
    maxRetriesPerRequest: 1,
  };
}

/** The URL as it may be printed (logs, the summary): without a password. */
export function redactedRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'an invalid URL';
  }
}
