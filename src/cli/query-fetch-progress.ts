import type { FetchProgress } from '../query/fetch-query-files.js';
import { RunLogger } from './run-logger.js';

const mb = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1);

/** `fetched 3/12 files, 1.2/4.5 MB of s3://...` */
function describe(progress: FetchProgress, lake: string): string {
  return `fetched ${progress.files}/${progress.totalFiles} files, ${mb(progress.bytes)}/${mb(progress.totalBytes)} MB of ${lake}`;
}

/**
 * What `query` over an `s3://` lake shows on stderr while it copies the files the query reads: on a
 * terminal one line rewritten after each file and cleared at the end; elsewhere two structured log
 * lines (`query fetching`, `query fetched`, with files and bytes), as `export` logs.
 */
export function queryFetchProgress(
  lake: string,
  stream: NodeJS.WriteStream = process.stderr,
): (progress: FetchProgress) => void {
  if (stream.isTTY === true) {
    return (progress) => {
      const done = progress.files === progress.totalFiles;
      stream.write(done ? '\r\x1b[K' : `\r\x1b[K${describe(progress, lake)}`);
    };
  }
  const logger = new RunLogger({ level: 'info', format: 'json', stream });
  return (progress) => {
    const fields = {
      lake,
      files: progress.files,
      bytes: progress.bytes,
      totalFiles: progress.totalFiles,
      totalBytes: progress.totalBytes,
    };
    if (progress.files === 0) logger.info('query fetching', fields);
    if (progress.files === progress.totalFiles) logger.info('query fetched', fields);
  };
}
