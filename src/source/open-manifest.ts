import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type AwsConnection, clientOptionsOf } from '../aws/aws-connection.js';
import { createS3Client } from '../aws/s3-client.js';
import { ConfigError, describeError, ExportError } from '../errors.js';

/** An opened manifest: its lines, streamed (a manifest of any size is never held in memory). */
export interface OpenedManifest {
  /** The manifest as given, for reports. */
  name: string;
  lines: AsyncIterable<string>;
}

const S3_URL = /^s3:\/\/([^/]+)\/(.+)$/;

/**
 * Opens a manifest, a local path or `s3://bucket/key` (read with `GetObject` through `s3()`), and
 * streams its lines. Opening is eager, so a missing file, a wrong key or a denied read is
 * a `ConfigError` before any export work; a failure later, mid-stream, surfaces from the iteration.
 * `signal` (SIGINT, SIGTERM) aborts the S3 read, and the open rejects with its reason.
 */
export async function openManifest(
  location: string,
  s3: () => S3Client,
  signal?: AbortSignal,
  /** What the file is, for messages: `manifest`, `work items`. */
  what = 'manifest',
): Promise<OpenedManifest> {
  const url = S3_URL.exec(location);
  if (location.startsWith('s3://') && !url) {
    throw new ConfigError(`invalid ${what} location ${JSON.stringify(location)}: expected s3://BUCKET/KEY`, {
      file: location,
    });
  }
  let stream: NodeJS.ReadableStream;
  try {
    if (url) {
      const object = await s3().send(new GetObjectCommand({ Bucket: url[1], Key: url[2] }), {
        abortSignal: signal,
      });
      if (!(object.Body instanceof Readable)) throw new Error('GetObject returned no readable body');
      stream = object.Body;
    } else {
      await (await open(location, 'r')).close(); // fails now, clearly, if the file cannot be read
      stream = createReadStream(location);
    }
  } catch (cause) {
    signal?.throwIfAborted();
    throw new ConfigError(
      `cannot read ${what} ${location}: ${describeError(cause)}`,
      { file: location },
      { cause },
    );
  }
  return { name: location, lines: linesOf(stream, location, what) };
}

/**
 * Reads a file of lines (a plan, a targets file), a path or `s3://BUCKET/KEY`, with `read`, through
 * an S3 client of `connection` made only for an `s3://` location and released after.
 */
export async function readLinesFile<T>(
  location: string,
  connection: AwsConnection,
  what: string,
  read: (lines: AsyncIterable<string>) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  let s3: S3Client | undefined;
  try {
    const s3Client = () => {
      s3 ??= createS3Client(clientOptionsOf(connection, 's3'));
      return s3;
    };
    return await read((await openManifest(location, s3Client, signal, what)).lines);
  } finally {
    s3?.destroy();
  }
}

/**
 * The lines of a stream (LF or CRLF; a last line without LF counts), read only when iterated: the
 * stream stays paused until the run pulls the first line, so nothing is lost while it prepares.
 * (`readline.createInterface` starts the stream flowing at once and drops lines emitted before its
 * iterator exists.)
 */
async function* linesOf(
  stream: NodeJS.ReadableStream,
  location: string,
  what: string,
): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let lines = 0;
  try {
    for await (const chunk of stream) {
      const parts = (rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk))).split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) {
        lines++;
        yield line.endsWith('\r') ? line.slice(0, -1) : line;
      }
    }
  } catch (cause) {
    throw new ExportError(
      `reading the ${what} ${location} failed after line ${lines}: ${describeError(cause)}`,
      { stage: 'source', file: location },
      { cause },
    );
  }
  rest += decoder.end();
  if (rest !== '') yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}
