import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { listenLocal } from '../listen-local.js';
import {
  type AssumeRoleContext,
  assumeRole,
  errorResponse,
  type KnownRole,
  StsError,
} from './assume-role.js';

export interface LocalStsOptions {
  /** The roles callers may assume, by role ARN (`arn:aws:iam::ACCOUNT:role/NAME`). */
  roles: Record<string, KnownRole>;
  /** How long issued credentials are valid; default: each request's `DurationSeconds`. */
  credentialLifetimeMs?: number;
  host?: string; // default 127.0.0.1
  port?: number; // default 0 = a free port
}

export interface RunningLocalSts {
  url: string;
  /** AssumeRole calls so far for `roleArn` (refused ones included). */
  assumeRoleCalls(roleArn: string): number;
  close(): Promise<void>;
}

/**
 * A local stand-in for AWS STS: answers `AssumeRole` in the query protocol the SDK's STS client
 * speaks (a form-encoded POST, an XML `AssumeRoleResponse` or `ErrorResponse`), so
 * `fromTemporaryCredentials` works against it unmodified. The credentials it issues name the role's
 * account (`issued-credentials.ts`), which the local durable service's caller routing reads back.
 * Requests are not authenticated.
 */
export async function startLocalSts(options: LocalStsOptions): Promise<RunningLocalSts> {
  const host = options.host ?? '127.0.0.1';
  let serial = 0;
  const context: AssumeRoleContext = {
    roles: new Map(Object.entries(options.roles)),
    credentialLifetimeMs: options.credentialLifetimeMs,
    calls: new Map(),
    now: Date.now,
    serial: () => serial++,
  };
  const server = createServer((req, res) => {
    const requestId = randomUUID();
    readBody(req)
      .then((body) => {
        const form = new URLSearchParams(body);
        if (req.method !== 'POST') throw new StsError(405, 'InvalidAction', 'STS takes POST requests');
        const action = form.get('Action');
        if (action !== 'AssumeRole') {
          throw new StsError(400, 'InvalidAction', `the local STS answers AssumeRole only, not ${action}`);
        }
        return { status: 200, xml: assumeRole(form, context, requestId) };
      })
      .catch((error: unknown) => {
        const known =
          error instanceof StsError ? error : new StsError(500, 'InternalFailure', String(error), 'Receiver');
        return { status: known.status, xml: errorResponse(known, requestId) };
      })
      .then(({ status, xml }) => {
        res.writeHead(status, {
          'content-type': 'text/xml',
          'content-length': String(Buffer.byteLength(xml)),
          'x-amzn-RequestId': requestId,
        });
        res.end(xml);
      });
  });
  const url = await listenLocal(server, host, options.port);
  return {
    url,
    assumeRoleCalls: (roleArn) => context.calls.get(roleArn) ?? 0,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
