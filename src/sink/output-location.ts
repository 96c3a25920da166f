import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.js';

/** Where an export goes: an S3 bucket and key prefix, or a local directory with the same layout. */
export type OutputLocation =
  | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string }
  | { readonly kind: 'local'; readonly dir: string };

// S3 general purpose bucket names: 3-63 chars of lower-case letters, digits, dots and hyphens,
// starting and ending with a letter or digit.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;

/** A bad `--out` is a usage error (ConfigError: the CLI exits with code 2). */
function invalid(out: string, reason: string): ConfigError {
  return new ConfigError(`invalid --out ${JSON.stringify(out)}: ${reason}`);
}

/**
 * Parses `--out`: `s3://bucket[/prefix]` or a local directory (relative to `cwd`, or a `file://`
 * URL). The S3 prefix comes back without leading or trailing `/` and may be empty.
 *
 * Rejected, with a message saying why: an empty value, an S3 URL without a bucket, an invalid
 * bucket name, `s3a://`/`s3n://`/other schemes, a prefix starting with `/` (`s3://b//x`), empty,
 * `.` or `..` prefix segments, and a query string or fragment.
 *
 * @example
 * parseOutputLocation('s3://my-bucket/lake/durable'); // { kind: 's3', bucket: 'my-bucket', prefix: 'lake/durable' }
 * parseOutputLocation('./out', '/home/me');           // { kind: 'local', dir: '/home/me/out' }
 */
export function parseOutputLocation(out: string, cwd: string = process.cwd()): OutputLocation {
  if (out.trim() === '') throw invalid(out, 'it is empty; give s3://bucket/prefix or a directory');
  const scheme = SCHEME.exec(out)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'local', dir: isAbsolute(out) ? resolve(out) : resolve(cwd, out) };
  if (scheme === 'file') return { kind: 'local', dir: fileURLToPath(out) };
  if (scheme !== 's3') {
    throw invalid(
      out,
      `unsupported scheme ${scheme}://; use s3://bucket/prefix (Athena needs s3://) or a local path`,
    );
  }
  const rest = out.slice('s3://'.length);
  if (/[?#]/.test(rest)) throw invalid(out, 'an S3 location takes no query string or fragment');
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  if (bucket === '') throw invalid(out, 'the S3 URL has no bucket; expected s3://bucket/prefix');
  if (!BUCKET.test(bucket) || bucket.includes('..')) {
    throw invalid(
      out,
      `${JSON.stringify(bucket)} is not a valid S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)`,
    );
  }
  const rawPrefix = slash === -1 ? '' : rest.slice(slash + 1);
  if (rawPrefix.startsWith('/')) {
    throw invalid(
      out,
      'the prefix starts with "/" (s3://bucket//...); S3 would create an empty path segment',
    );
  }
  const prefix = rawPrefix.replace(/\/+$/, '');
  if (prefix === '') return { kind: 's3', bucket, prefix };
  for (const segment of prefix.split('/')) {
    if (segment === '') throw invalid(out, 'the prefix contains "//"; Athena locations must not');
    if (segment === '.' || segment === '..') {
      throw invalid(
        out,
        `the prefix contains a "${segment}" segment; S3 keys are not paths, spell the prefix out`,
      );
    }
  }
  return { kind: 's3', bucket, prefix };
}

/** The location as a URL-ish string for logs and summaries: `s3://bucket/prefix/` or a path. */
export function formatOutputLocation(location: OutputLocation): string {
  if (location.kind === 'local') return location.dir;
  return `s3://${location.bucket}/${location.prefix === '' ? '' : `${location.prefix}/`}`;
}
