// Child-process entry of test/support/local-s3.ts: runs s3rver 3.7.1 on 127.0.0.1 and prints
// `{"port":N}` on stdout once it listens. Plain ESM JavaScript so it needs no compilation.
//
// Usage: node --openssl-legacy-provider test/support/s3rver-entry.mjs --directory DIR [--port N]
// (ListObjectsV2 pagination in s3rver uses DES, which needs OpenSSL's legacy provider.)
//
// It stops on SIGTERM/SIGINT, and also when its stdin closes, so it never outlives a parent
// that died without stopping it.
import { parseArgs } from 'node:util';
import S3rver from 's3rver';

const { values } = parseArgs({
  options: { directory: { type: 'string' }, port: { type: 'string', default: '0' } },
});
if (!values.directory) {
  process.stderr.write('s3rver-entry: --directory is required\n');
  process.exit(2);
}

const server = new S3rver({
  address: '127.0.0.1',
  port: Number(values.port),
  directory: values.directory,
  silent: true,
});

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  server.close(() => process.exit(code));
  setTimeout(() => process.exit(code), 2000).unref();
}

process.on('SIGTERM', () => stop(0));
process.on('SIGINT', () => stop(0));
process.stdin.on('end', () => stop(0));
process.stdin.on('error', () => stop(0));
process.stdin.resume();

try {
  const address = await server.run();
  process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
} catch (error) {
  process.stderr.write(`s3rver-entry: could not start s3rver: ${error?.stack ?? error}\n`);
  process.exit(1);
}
