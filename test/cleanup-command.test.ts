import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { type LocalS3, localS3Client } from '../src/local/local-s3.js';
import { type MultipartUploadsProxy, startMultipartUploadsProxy } from './support/multipart-uploads-proxy.js';
import { runCli } from './support/run-cli.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

const AWS_ENV = LOCAL_AWS_ENV;
const BUCKET = 'cleanup-lake';

describe('durable-export cleanup', () => {
  const servers = useTestServers('cleanup-');
  let s3: LocalS3;
  let proxy: MultipartUploadsProxy;

  beforeAll(async () => {
    s3 = await servers.localS3(BUCKET);
    proxy = servers.own(await startMultipartUploadsProxy(s3.endpoint, s3.directory));
  });

  it('lists (--dry-run), then aborts a stray multipart upload under the prefix and no other', async () => {
    const client = localS3Client(proxy.endpoint);
    const start = async (key: string) => {
      const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
      await client.send(
        new UploadPartCommand({
          Bucket: BUCKET,
          Key: key,
          UploadId,
          PartNumber: 1,
          Body: Buffer.alloc(1024, 1),
        }),
      );
      return UploadId as string;
    };
    const stray = await start('lake/operations/dt=2026-01-01/part-0123.parquet');
    const elsewhere = await start('other/data.bin');
    const uploads = async () =>
      ((await client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }))).Uploads ?? []).map(
        (u) => u.UploadId,
      );
    expect((await uploads()).sort()).toEqual([stray, elsewhere].sort());

    const args = ['cleanup', '--out', `s3://${BUCKET}/lake`, '--endpoint-url-s3', proxy.endpoint];
    const dry = await runCli([...args, '--dry-run'], AWS_ENV);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(
      `would remove multipart-upload s3://${BUCKET}/lake/operations/dt=2026-01-01/part-0123.parquet (upload ${stray}`,
    );
    expect(dry.stdout).not.toContain(elsewhere);
    expect((await uploads()).sort()).toEqual([stray, elsewhere].sort());

    const real = await runCli(args, AWS_ENV);
    expect(real.code).toBe(0);
    expect(real.stdout).toContain(
      `removed multipart-upload s3://${BUCKET}/lake/operations/dt=2026-01-01/part-0123.parquet`,
    );
    expect(real.stdout).toContain('removed 1 stray upload(s)');
    expect(await uploads()).toEqual([elsewhere]);

    const again = await runCli(args, AWS_ENV);
    expect(again.stdout).toContain('no stray uploads');
    client.destroy();
  });

  it('leaves uploads younger than --older-than-minutes alone', async () => {
    const client = localS3Client(proxy.endpoint);
    await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'young/x.parquet' }));
    const result = await runCli(
      [
        'cleanup',
        '--out',
        `s3://${BUCKET}/young`,
        '--endpoint-url-s3',
        proxy.endpoint,
        '--older-than-minutes',
        '30',
      ],
      AWS_ENV,
    );
    expect(result.stdout).toContain('no stray uploads');
    client.destroy();
  });

  it('names the S3 operation a server lacks: s3rver has no ListMultipartUploads', async () => {
    const result = await runCli(
      ['cleanup', '--out', `s3://${BUCKET}/lake`, '--endpoint-url-s3', s3.endpoint],
      AWS_ENV,
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      `listing multipart uploads under s3://${BUCKET}/lake/ failed: this S3 server does not implement ListMultipartUploads (NotImplemented:`,
    );
    expect(result.stderr).toContain('cleanup needs it, and AWS S3 has it');
  });

  it('removes the temporary files a killed run left in a local lake, and nothing else', async () => {
    const lake = join(servers.work, 'lake');
    const folder = join(lake, 'operations', 'dt=2026-01-01');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, '_part-abc.parquet.0badc0de.tmp'), 'partial');
    await writeFile(join(folder, 'part-abc.parquet'), 'committed');
    const result = await runCli(['cleanup', '--out', lake], AWS_ENV);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('removed temp-file');
    expect(await readdir(folder)).toEqual(['part-abc.parquet']);
  });
});
