import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Starts `server` listening on `host` and `port` (0: a free port the system picks) and answers its
 * base URL, with an IPv6 host in brackets. A port in use rejects with the listen error, so a local
 * server that cannot start says why instead of waiting.
 * @example await listenLocal(createServer(handler), '127.0.0.1') // 'http://127.0.0.1:41234'
 */
export async function listenLocal(server: Server, host: string, port = 0): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: bound } = server.address() as AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
}
