import { type IncomingMessage, request, type ServerResponse } from 'node:http';

/** Passes a request through to `upstream` unchanged (method, headers, body) and streams the answer back. */
export function forwardRequest(upstream: URL, req: IncomingMessage, res: ServerResponse): void {
  const proxied = request(
    new URL(req.url ?? '/', upstream),
    { method: req.method, headers: req.headers },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  proxied.on('error', (error) => res.destroy(error));
  req.pipe(proxied);
}
