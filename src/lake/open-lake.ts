import type { S3Client } from '@aws-sdk/client-s3';
import { type AwsConnection, clientOptionsOf } from '../aws/aws-connection.js';
import { createS3Client } from '../aws/s3-client.js';
import { LocalObjectStore } from '../sink/local-object-store.js';
import type { ObjectStore } from '../sink/object-sink.js';
import { formatOutputLocation, type OutputLocation } from '../sink/output-location.js';
import { S3ObjectStore } from '../sink/s3-object-store.js';
import { type ConditionalObjects, LocalConditionalObjects } from './conditional-objects.js';
import { LocalObjectReader } from './local-object-reader.js';
import type { ObjectReader } from './object-reader.js';
import { S3ConditionalObjects } from './s3-conditional-objects.js';
import { S3ObjectReader } from './s3-object-reader.js';

/** Where the lake's S3 is (`region`, `endpointUrlS3`, `credentials`), and how to write. */
export interface OpenLakeOptions extends AwsConnection {
  /** Multipart part size for writes (S3 only). */
  partSizeBytes?: number;
}

/** A lake location opened for reading and writing: the same keys on S3 and in a local directory. */
export interface Lake {
  readonly location: OutputLocation;
  /** Key prefix of the lake inside the store ('' for a local directory or a bucket root). */
  readonly prefix: string;
  readonly store: ObjectStore;
  readonly reader: ObjectReader;
  /** Small objects written under a condition with a version: the job's lease. */
  readonly conditional: ConditionalObjects;
  /** The S3 client and bucket, when the lake is on S3 (cleanup lists multipart uploads with it). */
  readonly s3?: { readonly client: S3Client; readonly bucket: string };
  /** `s3://bucket/prefix/` or the directory, for reports. */
  readonly label: string;
  /** Releases the S3 client's sockets. */
  close(): void;
}

/** Opens `--out` for the export, verify and cleanup commands: one S3 client, or a directory. */
export function openLake(location: OutputLocation, options: OpenLakeOptions = {}): Lake {
  const label = formatOutputLocation(location);
  if (location.kind === 'local') {
    return {
      location,
      prefix: '',
      store: new LocalObjectStore(location.dir),
      reader: new LocalObjectReader(location.dir),
      conditional: new LocalConditionalObjects(location.dir),
      label,
      close: () => {},
    };
  }
  const client = createS3Client(clientOptionsOf(options, 's3'));
  return {
    location,
    prefix: location.prefix,
    store: new S3ObjectStore({
      client,
      bucket: location.bucket,
      partSizeBytes: options.partSizeBytes,
    }),
    reader: new S3ObjectReader(client, location.bucket),
    conditional: new S3ConditionalObjects(client, location.bucket),
    s3: { client, bucket: location.bucket },
    label,
    close: () => client.destroy(),
  };
}
