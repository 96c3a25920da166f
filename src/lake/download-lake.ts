import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { makeDirectory } from '../sink/make-directory.js';

/**
 * Copies every object under `s3://bucket/prefix/` to `dir`, keeping the layout, and returns the
 * keys. DuckDB's httpfs extension cannot be installed offline, so local reads of an S3 lake
 * (the demo, the tests) go through a local copy. `only` picks the keys (relative to the prefix) to copy.
 */
export async function downloadLake(
  s3: S3Client,
  bucket: string,
  prefix: string,
  dir: string,
  only: (relativeKey: string) => boolean = () => true,
): Promise<string[]> {
  const keys: string[] = [];
  const listPrefix = prefix === '' ? '' : `${prefix}/`;
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: listPrefix })) {
    for (const object of page.Contents ?? []) {
      if (!object.Key || !only(object.Key.slice(listPrefix.length))) continue;
      const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
      if (!response.Body) throw new Error(`s3://${bucket}/${object.Key} has no body`);
      const target = join(dir, ...object.Key.slice(listPrefix.length).split('/'));
      await makeDirectory(dirname(target));
      await writeFile(target, await response.Body.transformToByteArray());
      keys.push(object.Key);
    }
  }
  return keys;
}
