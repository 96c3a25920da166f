import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * Creates `dir` and any missing parents, like `mkdir -p`, with at most two `mkdir` calls per path
 * level, so it always ends. Node's own `mkdir(dir, { recursive: true })` does not on some file
 * systems: under `/proc` (where mkdir answers ENOENT although the parent exists) it retries forever
 * in a worker thread at 100% CPU, and neither SIGINT nor SIGTERM can stop the wait. Here a level
 * that cannot be created even though its parent exists fails with the system error, naming it.
 */
export async function makeDirectory(dir: string): Promise<void> {
  const missing: string[] = [];
  let current = resolve(dir);
  // Walk up to the first level that exists (or is created), remembering those that were missing.
  for (;;) {
    const outcome = await mkdirOnce(current);
    if (outcome === 'created') break;
    if (outcome === 'exists') {
      await assertDirectory(current);
      break;
    }
    const parent = dirname(current);
    if (parent === current) throw outcome;
    missing.push(current);
    current = parent;
  }
  // Then create the missing levels downwards, each once; ENOENT now means the parent refuses entries.
  for (const level of missing.reverse()) {
    const outcome = await mkdirOnce(level);
    if (outcome === 'exists') await assertDirectory(level);
    else if (outcome !== 'created') {
      throw new Error(
        `cannot create ${level}: its parent ${dirname(level)} exists but does not accept new entries (${outcome.message})`,
        { cause: outcome },
      );
    }
  }
}

/** One non-recursive mkdir: created, already there, or the ENOENT error (a parent is missing). */
async function mkdirOnce(path: string): Promise<'created' | 'exists' | NodeJS.ErrnoException> {
  try {
    await mkdir(path);
    return 'created';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return 'exists';
    if (code === 'ENOENT') return error as NodeJS.ErrnoException;
    throw error;
  }
}

/** A level that exists as a file fails as `mkdir(2)` (and Node's recursive mkdir) report it: EEXIST. */
async function assertDirectory(path: string): Promise<void> {
  if (!(await stat(path)).isDirectory()) {
    throw Object.assign(new Error(`EEXIST: file already exists, mkdir '${path}'`), {
      code: 'EEXIST',
      syscall: 'mkdir',
      path,
    });
  }
}
