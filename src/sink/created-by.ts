import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The `created_by` string written into every Parquet footer, in the conventional
 * `<application> version <version>` form (parquet-mr writes `parquet-mr version 1.12.3 (build …)`),
 * so a file found in a bucket can be traced back to the tool and version that wrote it.
 */

export const TOOL_NAME = 'durable-export';

let cached: string | undefined;

/**
 * Our package version, read once from the nearest `package.json` named `durable-export` above this
 * module (works from `src/` under tsx/vitest and from `dist/src/` when built); `'unknown'` if none.
 */
export function toolVersion(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === TOOL_NAME && typeof pkg.version === 'string') {
        cached = pkg.version;
        return cached;
      }
    } catch {
      // no (readable) package.json here: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  cached = 'unknown';
  return cached;
}

/** `durable-export version 0.1.0 (hyparquet-writer)`. */
export function defaultCreatedBy(): string {
  return `${TOOL_NAME} version ${toolVersion()} (hyparquet-writer)`;
}
