import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AwsConnection, clientOptionsOf } from '../aws/aws-connection.js';
import { createS3Client } from '../aws/s3-client.js';
import { ConfigError, describeError, ExportError } from '../errors.js';
import { downloadLake } from '../lake/download-lake.js';
import { LAKE_TABLES } from '../schema/index.js';
import { formatOutputLocation, parseOutputLocation } from '../sink/output-location.js';

/** The connection (`region`, `endpointUrlS3`, ...) reaches an `s3://` lake. */
export interface LocalLakeOptions extends AwsConnection {
  /** Parent of the temporary copy of an S3 lake (default the OS temp dir). */
  readonly tempDir?: string;
}

/** A lake readable on this machine; `dispose` removes a temporary copy. */
export interface LocalLake {
  readonly dir: string;
  /** Objects downloaded (0 for a local lake). */
  readonly downloaded: number;
  dispose(): Promise<void>;
}

/**
 * The lake at `out` as a local directory: a local `--out` as it is (it must exist); for
 * `s3://BUCKET/PREFIX`, a temporary copy of the table folders, since DuckDB's httpfs extension
 * cannot be installed offline. Only `<table>/` folders are copied, not manifests beside them.
 */
export async function localLakeOf(out: string, options: LocalLakeOptions = {}): Promise<LocalLake> {
  const location = parseOutputLocation(out);
  if (location.kind === 'local') {
    const found = await stat(location.dir).catch(() => undefined);
    if (!found?.isDirectory()) {
      throw new ConfigError(
        `no lake at ${location.dir}: it is not a directory (give the --out of an export)`,
      );
    }
    return { dir: location.dir, downloaded: 0, dispose: async () => {} };
  }
  const dir = await mkdtemp(join(options.tempDir ?? tmpdir(), 'durable-export-query-'));
  const s3 = createS3Client(clientOptionsOf(options, 's3'));
  const dispose = async (): Promise<void> => {
    s3.destroy();
    await rm(dir, { recursive: true, force: true });
  };
  let downloaded = 0;
  try {
    const under = (folder: string): string =>
      location.prefix === '' ? folder : `${location.prefix}/${folder}`;
    for (const table of LAKE_TABLES) {
      downloaded += (await downloadLake(s3, location.bucket, under(table.name), join(dir, table.name)))
        .length;
    }
    // The manifests and compaction intents tell which files a compaction superseded (src/compact/).
    await downloadLake(s3, location.bucket, under('_manifests'), join(dir, '_manifests'));
    await downloadLake(s3, location.bucket, under('_state'), join(dir, '_state'), (key) =>
      key.startsWith('compact-'),
    );
  } catch (error) {
    await dispose();
    throw new ExportError(
      `reading the lake ${formatOutputLocation(location)} failed: ${describeError(error)}`,
      { stage: 'sink' },
      { cause: error },
    );
  }
  return { dir, downloaded, dispose };
}
