import { ConfigError } from '../errors.js';
import { parseOutputLocation } from '../sink/output-location.js';

/** An exported lake on S3: the bucket and key prefix that `export --out s3://BUCKET/PREFIX` wrote. */
export interface S3Lake {
  readonly bucket: string;
  /** Without leading or trailing `/`; may be empty. */
  readonly prefix: string;
}

/**
 * Parses `--out` for a command that needs the lake on S3 (`ddl`, `--register-glue`): Athena reads
 * tables from S3 only, so a local directory is a usage error that says so.
 *
 * @param what the command or flag, for the message, e.g. `ddl`
 */
export function s3LakeOf(out: string, what: string): S3Lake {
  const location = parseOutputLocation(out);
  if (location.kind === 'local') {
    throw new ConfigError(
      `${what} needs --out s3://BUCKET/PREFIX: Athena reads tables from S3, not from the local directory ${location.dir}`,
    );
  }
  return { bucket: location.bucket, prefix: location.prefix };
}

/** `s3://BUCKET/PREFIX/<folder>/`: a table's LOCATION (a folder, trailing `/`, no `//`). */
export function tableLocation(lake: S3Lake, folder: string): string {
  return `${lakeUrl(lake)}${folder}/`;
}

/** `s3://BUCKET/PREFIX/`: the lake root, for messages and headers. */
export function lakeUrl(lake: S3Lake): string {
  return `s3://${lake.bucket}/${lake.prefix === '' ? '' : `${lake.prefix}/`}`;
}
