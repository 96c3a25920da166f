/**
 * Issue 16, item 11: the write probe of `--out` always ends. A directory that cannot be created
 * fails at once (exit 3, naming it) instead of spinning; an S3 endpoint that accepts requests and
 * never answers fails after `sink.probeTimeoutMs`; SIGTERM and SIGINT stop a run blocked in the
 * probe, or at startup in reading its token manifest. The built CLI runs as a child process; each run is killed if it outlives a generous guard,
 * and the test then fails: the assertions are only that it ended, and how.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endedWithin, type RunningCli, startCli, waitUntil } from './support/run-cli.js';
import { LOCAL_AWS_ENV } from './support/test-servers.js';

/** Far longer than any of these runs needs; a run still going then is a hang. */
const GUARD_MS = 25_000;

const ended = (run: RunningCli) => endedWithin(run, GUARD_MS);
const until = (condition: () => boolean, what: string) => waitUntil(condition, what, GUARD_MS);

describe('output probes end: fail fast, time out, and stop on signals', () => {
  /** An S3 endpoint that accepts every connection and request and never answers. */
  let stalled: Server;
  let stalledUrl: string;
  let requestsHeld = 0;

  beforeAll(async () => {
    stalled = createServer(() => {
      requestsHeld++;
    });
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    stalledUrl = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    stalled.closeAllConnections();
    await new Promise((resolve) => stalled.close(resolve));
  });

  /** `export` of `what` into `out`; Lambda is never reached (nothing listens on port 1). */
  const exportTo = (out: string, env: Record<string, string> = {}, what = ['-f', 'orders']) =>
    startCli(
      [
        'export',
        ...what,
        '--out',
        out,
        '--endpoint-url-lambda',
        'http://127.0.0.1:1',
        '--endpoint-url-s3',
        stalledUrl,
        '--no-progress',
      ],
      { ...LOCAL_AWS_ENV, ...env },
    );

  it.skipIf(process.platform !== 'linux')(
    '--out /proc/lake fails at once with exit 3, naming the directory',
    async () => {
      const result = await ended(exportTo('/proc/lake'));
      expect(result.hung, 'the run had to be killed').toBe(false);
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toContain('cannot write to output directory /proc/lake');
      expect(result.stderr).toContain('does not accept new entries');
    },
    GUARD_MS + 5_000,
  );

  it(
    'an S3 endpoint that never answers fails the probe after sink.probeTimeoutMs, with exit 3',
    async () => {
      const result = await ended(
        exportTo('s3://stalled-bucket/lake', { DURABLE_EXPORT_SINK_PROBE_TIMEOUT_MS: '300' }),
      );
      expect(result.hung, 'the run had to be killed').toBe(false);
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toContain('s3://stalled-bucket/lake/ can be written took longer than 300 ms');
      expect(result.stderr).toContain('sink.probeTimeoutMs');
    },
    GUARD_MS + 5_000,
  );

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s stops a run blocked in the S3 probe',
    async (signal) => {
      const before = requestsHeld;
      // The probe would wait 10 minutes: only the signal can end the run in time.
      const run = exportTo('s3://stalled-bucket/lake', { DURABLE_EXPORT_SINK_PROBE_TIMEOUT_MS: '600000' });
      await until(() => requestsHeld > before, 'the probe request');
      run.child.kill(signal);
      const result = await ended(run);
      expect(result.hung, `the run ignored ${signal}`).toBe(false);
      // The exit code of an interrupted run is the run summary's business, not the probe's.
      expect(result.code, result.stderr).not.toBe(0);
    },
    2 * GUARD_MS + 5_000,
  );

  it(
    'SIGTERM stops a run blocked at startup, opening its s3:// token manifest',
    async () => {
      const before = requestsHeld;
      const run = exportTo(join(tmpdir(), 'never-written-lake'), {}, [
        '--source',
        'state',
        '--manifest',
        's3://stalled-bucket/tokens.jsonl',
      ]);
      await until(() => requestsHeld > before, 'the manifest request');
      run.child.kill('SIGTERM');
      const result = await ended(run);
      expect(result.hung, 'the run ignored SIGTERM').toBe(false);
      expect(result.code, result.stderr).not.toBe(0);
    },
    2 * GUARD_MS + 5_000,
  );
});
