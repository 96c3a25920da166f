import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { formatOutputLocation, parseOutputLocation } from '../src/sink/output-location.js';

describe('parseOutputLocation', () => {
  it('parses s3 URLs into bucket and a prefix without surrounding slashes', () => {
    expect(parseOutputLocation('s3://my-lake/durable/prod/')).toEqual({
      kind: 's3',
      bucket: 'my-lake',
      prefix: 'durable/prod',
    });
    expect(parseOutputLocation('s3://my-lake')).toEqual({ kind: 's3', bucket: 'my-lake', prefix: '' });
    expect(parseOutputLocation('s3://my-lake/')).toEqual({ kind: 's3', bucket: 'my-lake', prefix: '' });
    expect(parseOutputLocation('S3://my.lake-1/a')).toEqual({ kind: 's3', bucket: 'my.lake-1', prefix: 'a' });
  });

  it('resolves local paths against cwd and accepts file URLs', () => {
    expect(parseOutputLocation('./lake', '/home/me')).toEqual({ kind: 'local', dir: '/home/me/lake' });
    expect(parseOutputLocation('../lake', '/home/me')).toEqual({ kind: 'local', dir: '/home/lake' });
    expect(parseOutputLocation('/data/lake/')).toEqual({ kind: 'local', dir: '/data/lake' });
    expect(parseOutputLocation('file:///data/lake')).toEqual({ kind: 'local', dir: '/data/lake' });
  });

  it.each([
    ['', 'invalid --out "": it is empty; give s3://bucket/prefix or a directory'],
    ['s3://', 'invalid --out "s3://": the S3 URL has no bucket; expected s3://bucket/prefix'],
    ['s3:///prefix', 'invalid --out "s3:///prefix": the S3 URL has no bucket; expected s3://bucket/prefix'],
    [
      's3://My_Bucket/x',
      'invalid --out "s3://My_Bucket/x": "My_Bucket" is not a valid S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)',
    ],
    [
      's3://lake//x',
      'invalid --out "s3://lake//x": the prefix starts with "/" (s3://bucket//...); S3 would create an empty path segment',
    ],
    ['s3://lake/a//b', 'invalid --out "s3://lake/a//b": the prefix contains "//"; Athena locations must not'],
    [
      's3://lake/a/../b',
      'invalid --out "s3://lake/a/../b": the prefix contains a ".." segment; S3 keys are not paths, spell the prefix out',
    ],
    [
      's3://lake/./b',
      'invalid --out "s3://lake/./b": the prefix contains a "." segment; S3 keys are not paths, spell the prefix out',
    ],
    [
      's3a://lake/x',
      'invalid --out "s3a://lake/x": unsupported scheme s3a://; use s3://bucket/prefix (Athena needs s3://) or a local path',
    ],
    [
      's3://lake/x?versionId=1',
      'invalid --out "s3://lake/x?versionId=1": an S3 location takes no query string or fragment',
    ],
  ])('rejects %j with a clear message', (out, message) => {
    let error: unknown;
    try {
      parseOutputLocation(out);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(message);
  });

  it('formats a location for summaries', () => {
    expect(formatOutputLocation({ kind: 's3', bucket: 'b', prefix: 'p/q' })).toBe('s3://b/p/q/');
    expect(formatOutputLocation({ kind: 's3', bucket: 'b', prefix: '' })).toBe('s3://b/');
    expect(formatOutputLocation({ kind: 'local', dir: '/x' })).toBe('/x');
  });
});
