import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../errors.js';

/**
 * s3rver 3.7.1, the local S3 of `durable-export local-s3`, the demo and the tests, is a
 * devDependency: the published package does not install it, and nothing in src/ imports it. The
 * launcher (`local-s3.ts`) finds it here and a child process loads it with a dynamic `import()`
 * (the one optional import test/package.test.ts allows), so only `local-s3` needs it.
 */

/** What the child process is told: where s3rver is, where it keeps its data, what to listen on. */
export interface S3rverChildInput {
  /** `file:` URL of s3rver's entry module. */
  readonly s3rver: string;
  readonly directory: string;
  /** 0 = a free port. */
  readonly port: number;
  /** Buckets s3rver creates before it listens (its `configureBuckets`). */
  readonly buckets: readonly string[];
}

/**
 * The `file:` URL of s3rver, resolved from this package (a clone, or a project that installed
 * both), else from the working directory (`npx durable-export` where `npm install s3rver` ran).
 *
 * @throws ConfigError saying how to install it when neither has it.
 */
export function resolveS3rver(cwd: string = process.cwd()): string {
  for (const from of [import.meta.filename, join(cwd, 'package.json')]) {
    try {
      return pathToFileURL(createRequire(from).resolve('s3rver')).href;
    } catch {
      // not installed there; try the next place
    }
  }
  throw new ConfigError(
    'the local S3 needs s3rver, which is a development dependency and not installed with durable-export: ' +
      'run `npm install s3rver` (in this directory or next to durable-export), or use a clone of the repository',
  );
}

/**
 * The child's program (an ES module run with `node --eval`): starts s3rver on 127.0.0.1 with the
 * buckets of its input (JSON in argv[1]) and prints `{"port":N}` once it listens. It stops on
 * SIGTERM/SIGINT, and when its stdin closes, so it never outlives a parent that died without
 * stopping it. It is run with `--openssl-legacy-provider`: s3rver's ListObjectsV2 pagination uses DES.
 */
export const S3RVER_CHILD_PROGRAM = `
const input = JSON.parse(process.argv[1]);
const { default: S3rver } = await import(input.s3rver);
const server = new S3rver({
  address: '127.0.0.1',
  port: input.port,
  directory: input.directory,
  configureBuckets: input.buckets.map((name) => ({ name })),
  silent: true,
});
let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
try {
  const address = await server.run();
  process.stdout.write(JSON.stringify({ port: address.port }) + '\\n');
} catch (error) {
  process.stderr.write('could not start s3rver: ' + (error?.message ?? error) + '\\n');
  process.exit(1);
}
`;

/** The `node` arguments that run the child for `input`. */
export function s3rverChildArgs(input: S3rverChildInput): string[] {
  return [
    '--openssl-legacy-provider',
    '--input-type=module',
    '--eval',
    S3RVER_CHILD_PROGRAM,
    JSON.stringify(input),
  ];
}
