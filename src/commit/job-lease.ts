import { hostname } from 'node:os';
import { z } from 'zod';
import { describeError, ExportError } from '../errors.js';
import type { ConditionalObjects } from '../lake/conditional-objects.js';
import { toolVersion } from '../sink/created-by.js';
import { withDeadline } from '../sink/with-deadline.js';
import { leaseKey } from './state-keys.js';

const leaseRecordSchema = z.object({
  kind: z.literal('durable-export/lease'),
  format: z.literal(1),
  jobId: z.string(),
  runId: z.string(),
  host: z.string(),
  pid: z.int(),
  acquiredAt: z.iso.datetime(),
  renewedAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  toolVersion: z.string(),
});

export type LeaseRecord = z.infer<typeof leaseRecordSchema>;

export interface AcquireLeaseOptions {
  readonly objects: ConditionalObjects;
  readonly prefix: string;
  readonly jobId: string;
  readonly runId: string;
  /** `sink.leaseDurationMs`: the lease expires this long after its last renewal. */
  readonly durationMs: number;
  /** SIGINT/SIGTERM: stops acquiring at once. */
  readonly signal?: AbortSignal | undefined;
  /** Called once if the lease is lost while the run goes on (another run took it over). */
  readonly onLost: (error: ExportError) => void;
}

/** Writes that raced another run for the lease before giving up. */
const ACQUIRE_ATTEMPTS = 3;

/**
 * The lease of one export job: `PREFIX/_state/<jobId>/lease.json`, taken before a run reads
 * anything, renewed every third of `durationMs` while the run lives, deleted at its end. A second
 * run of the job that finds a live lease stops at once (exit 3) naming the owner and the expiry,
 * instead of reading the executions the first run is reading. A lease whose `expiresAt` has
 * passed, or whose owner on this host is no longer a live process, belonged to a run that
 * crashed: it is taken over. docs/RELIABILITY.md §2.7.
 */
export class JobLease {
  private record: LeaseRecord;
  private readonly timer: NodeJS.Timeout;
  private renewing: Promise<void> = Promise.resolve();
  private lost = false;

  private constructor(
    private readonly options: AcquireLeaseOptions,
    private readonly key: string,
    record: LeaseRecord,
  ) {
    this.record = record;
    this.timer = setInterval(() => {
      this.renewing = this.renewing.then(() => this.renew());
    }, options.durationMs / 3);
    this.timer.unref();
  }

  /** Takes the job's lease, or throws an `ExportError` naming the run that holds it. */
  static async acquire(options: AcquireLeaseOptions): Promise<JobLease> {
    const { objects, jobId, runId, durationMs, signal } = options;
    const key = leaseKey(options.prefix, jobId);
    const deadline = { timeoutMs: durationMs, signal };
    const timedOut = () => leaseError(`taking the lease ${objects.describe(key)} timed out`, key);
    return withDeadline(deadline, timedOut, async (stop) => {
      for (let attempt = 0; attempt < ACQUIRE_ATTEMPTS; attempt++) {
        const current = await objects.read(key, stop);
        const holder = current && parseLease(current.bytes, objects.describe(key), key);
        if (holder && isLive(holder)) throw heldError(holder, objects.describe(key), key);
        const mine = leaseRecord(jobId, runId, new Date(), durationMs);
        const bytes = encode(mine);
        const written = current
          ? await objects.replace(key, bytes, current.version, stop)
          : await objects.create(key, bytes, stop);
        if (!written) continue;
        // Read back: a server that ignores the conditions lets the last writer win.
        const back = await objects.read(key, stop);
        if (back && parseLease(back.bytes, objects.describe(key), key).runId === runId) {
          return new JobLease(options, key, mine);
        }
      }
      const holder = await objects.read(key, stop);
      if (holder)
        throw heldError(parseLease(holder.bytes, objects.describe(key), key), objects.describe(key), key);
      throw leaseError(
        `could not take the lease ${objects.describe(key)}: other runs kept racing for it`,
        key,
      );
    }).catch((error: unknown) => {
      if (error instanceof ExportError || signal?.aborted) throw error;
      throw leaseError(
        `taking the lease ${objects.describe(key)} failed: ${describeError(error)}`,
        key,
        error,
      );
    });
  }

  /** Stops renewing and deletes the lease if it is still this run's; never throws. */
  async release(): Promise<void> {
    clearInterval(this.timer);
    await this.renewing;
    if (this.lost) return;
    const { objects } = this.options;
    const deadline = { timeoutMs: this.options.durationMs / 3 };
    await withDeadline(
      deadline,
      () => new Error('releasing the lease timed out'),
      async (signal) => {
        const current = await objects.read(this.key, signal);
        if (
          current &&
          parseLease(current.bytes, objects.describe(this.key), this.key).runId === this.record.runId
        ) {
          await objects.remove(this.key, signal);
        }
      },
    ).catch(() => {
      // It expires by itself; the next run takes it over then.
    });
  }

  /** Extends the lease if it is still this run's (`If-Match` its version); reports a lost lease. */
  private async renew(): Promise<void> {
    if (this.lost) return;
    const { objects, durationMs } = this.options;
    const where = objects.describe(this.key);
    const renewed = { ...this.record, ...expiryFrom(new Date(), durationMs) };
    try {
      await withDeadline(
        { timeoutMs: durationMs / 3 },
        () => new Error('renewal timed out'),
        async (signal) => {
          const current = await objects.read(this.key, signal);
          const holder = current && parseLease(current.bytes, where, this.key);
          if (!current || holder?.runId !== this.record.runId) {
            return this.lose(
              holder
                ? `run ${holder.runId} (host ${holder.host}, pid ${holder.pid}) took over the lease ${where}`
                : `the lease ${where} was deleted`,
            );
          }
          if (!(await objects.replace(this.key, encode(renewed), current.version, signal))) {
            return this.lose(`the lease ${where} changed while it was renewed`);
          }
          this.record = renewed;
        },
      );
    } catch (error) {
      // A failed renewal is tried again at the next tick, unless the lease has expired meanwhile.
      if (Date.now() >= Date.parse(this.record.expiresAt)) {
        this.lose(`the lease ${where} expired: it could not be renewed (${describeError(error)})`);
      }
    }
  }

  private lose(reason: string): void {
    if (this.lost) return;
    this.lost = true;
    clearInterval(this.timer);
    this.options.onLost(
      leaseError(
        `run ${this.record.runId} lost its lease on job ${this.record.jobId}: ${reason}; it stops ` +
          'without committing more (completed batches are kept; the same command resumes the job)',
        this.key,
      ),
    );
  }
}

function leaseRecord(jobId: string, runId: string, now: Date, durationMs: number): LeaseRecord {
  return {
    kind: 'durable-export/lease',
    format: 1,
    jobId,
    runId,
    host: hostname(),
    pid: process.pid,
    acquiredAt: now.toISOString(),
    ...expiryFrom(now, durationMs),
    toolVersion: toolVersion(),
  };
}

function expiryFrom(now: Date, durationMs: number): { renewedAt: string; expiresAt: string } {
  return { renewedAt: now.toISOString(), expiresAt: new Date(now.getTime() + durationMs).toISOString() };
}

/**
 * A lease is live until it expires, unless its owner ran on this host and is gone (a crashed run:
 * `kill -9`, out of memory), which a re-run on the same host can tell at once.
 */
function isLive(lease: LeaseRecord, now = Date.now()): boolean {
  if (now >= Date.parse(lease.expiresAt)) return false;
  if (lease.host !== hostname()) return true;
  try {
    process.kill(lease.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function parseLease(bytes: Uint8Array, where: string, key: string): LeaseRecord {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    json = undefined;
  }
  const parsed = leaseRecordSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw leaseError(
    `${where} is not a durable-export lease; delete it if no export of this job is running`,
    key,
    parsed.error,
  );
}

function heldError(lease: LeaseRecord, where: string, key: string): ExportError {
  return leaseError(
    `job ${lease.jobId} is being exported by another run: its lease ${where} is held by run ` +
      `${lease.runId} (host ${lease.host}, pid ${lease.pid}) until ${lease.expiresAt}; nothing was ` +
      'read. Wait for that run to end, or, if it crashed, run the same command again after the lease expires.',
    key,
  );
}

function leaseError(message: string, key: string, cause?: unknown): ExportError {
  return new ExportError(message, { stage: 'commit', key }, cause === undefined ? undefined : { cause });
}

function encode(record: LeaseRecord): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(record, null, 2)}\n`);
}
