import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AwsConnection } from '../aws/aws-connection.js';
import { ConfigError, describeError, ExportError } from '../errors.js';
import { openLake } from '../lake/open-lake.js';
import { LAKE_TABLES } from '../schema/index.js';
import { parseOutputLocation } from '../sink/output-location.js';
import { type FetchProgress, fetchCompactionRecords, fetchQueryFiles } from './fetch-query-files.js';
import { DEFAULT_MAX_DOWNLOAD_MB } from './max-download.js';
import { parseLakeQueryScope, type QueryScope } from './query-scope.js';

/** The connection (`region`, `endpointUrlS3`, ...) reaches an `s3://` lake. */
export interface LocalLakeOptions extends AwsConnection {
  /** Parent of the temporary copy of an S3 lake (default the OS temp dir). */
  readonly tempDir?: string;
  /** S3 lake: refuse (exit 2) a query whose files add up to more (default 1024 MB). */
  readonly maxDownloadMb?: number;
  /** S3 lake: called after the listing and after each file copied. */
  readonly onProgress?: (progress: FetchProgress) => void;
}

/** A lake readable on this machine; `dispose` removes a temporary copy. */
export interface LocalLake {
  readonly dir: string;
  /** Objects downloaded (0 for a local lake). */
  readonly downloaded: number;
  dispose(): Promise<void>;
}

/**
 * The lake at `out` as a local directory, for the query `sql`: a local `--out` as it is (it must
 * exist); for `s3://BUCKET/PREFIX`, a temporary copy of only the data files the query reads (the
 * tables it names, the `dt` partitions its WHERE selects: `query-scope.ts`), since DuckDB's httpfs
 * extension is not bundled and cannot be installed offline. Without `sql`, every table's files.
 */
export async function localLakeOf(
  out: string,
  sql: string | undefined,
  options: LocalLakeOptions = {},
): Promise<LocalLake> {
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
  const names = LAKE_TABLES.map((t) => t.name);
  const scope: QueryScope =
    sql === undefined ? new Map(names.map((n) => [n, 'all'])) : await parseLakeQueryScope(sql);
  const dir = await mkdtemp(join(options.tempDir ?? tmpdir(), 'durable-export-query-'));
  const lake = openLake(location, options);
  const dispose = async (): Promise<void> => {
    lake.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const fetched = await fetchQueryFiles(lake.reader, lake.prefix, scope, dir, {
      maxBytes: (options.maxDownloadMb ?? DEFAULT_MAX_DOWNLOAD_MB) * 1024 * 1024,
      onProgress: options.onProgress,
    });
    await fetchCompactionRecords(lake.reader, lake.prefix, dir);
    return { dir, downloaded: fetched.files, dispose };
  } catch (error) {
    await dispose();
    if (error instanceof ConfigError) throw error;
    throw new ExportError(
      `reading the lake ${lake.label} failed: ${describeError(error)}`,
      { stage: 'sink' },
      { cause: error },
    );
  }
}
