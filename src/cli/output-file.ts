import { constants } from 'node:fs';
import { access, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../errors.js';

/** The file name that means standard output, as in most Unix tools. */
export const STANDARD_OUTPUT = '-';

/**
 * Checks, before a command reads or writes anything, that it will be able to write `path` at the
 * end: an existing file it may overwrite, or a new file in an existing, writable directory. `-` is
 * standard output and always passes. A problem is a `ConfigError` naming `flag` and the path (exit
 * code 2, nothing done), rather than a failure after the export was committed.
 */
export async function checkOutputFile(path: string, flag: string): Promise<void> {
  if (path === STANDARD_OUTPUT) return;
  const problem = await outputProblem(path);
  if (problem) throw new ConfigError(`${flag} ${path}: ${problem}`, { file: path });
}

/** Writes `text` to `path`, or to standard output for `-`. */
export async function writeOutputFile(path: string, text: string): Promise<void> {
  if (path === STANDARD_OUTPUT) process.stdout.write(text);
  else await writeFile(path, text);
}

async function outputProblem(path: string): Promise<string | undefined> {
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) return 'is a directory';
  if (existing) return (await writable(path)) ? undefined : 'the file exists and cannot be written';
  const dir = dirname(resolve(path));
  const parent = await stat(dir).catch(() => undefined);
  if (!parent) return `the directory ${dir} does not exist`;
  if (!parent.isDirectory()) return `${dir} is not a directory`;
  return (await writable(dir)) ? undefined : `the directory ${dir} cannot be written`;
}

async function writable(path: string): Promise<boolean> {
  return access(path, constants.W_OK).then(
    () => true,
    () => false,
  );
}
