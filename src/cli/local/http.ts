/**
 * What the local endpoints (`start-lambda`, `start-api`) share of HTTP: listening on 127.0.0.1
 * (a busy port is a usage error that names `--port`), and reading a request's body with a cap
 * (a body over it is refused as soon as its Content-Length, or its bytes, say so — not after
 * the whole of it was buffered).
 */
import * as http from 'http';
import { AddressInfo } from 'net';
import { UsageError } from '../errors';

/** How long a request may take to arrive whole. */
export const REQUEST_TIMEOUT_MS = 60_000;

/** A body over the cap. */
export class BodyTooLargeError extends Error {
  constructor(public readonly limit: number) {
    super(`the request body is larger than ${limit} bytes`);
  }
}

/** The whole body of a request, at most `limit` bytes (a larger one rejects with BodyTooLargeError, as early as it can tell). */
export function readBody(req: http.IncomingMessage, limit = Infinity): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      reject(new BodyTooLargeError(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.pause();
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Listens on 127.0.0.1:`port`; resolves to the port. A port in use, or one not allowed, is the
 * user's to change: a UsageError that says which and how.
 */
export function listen(server: http.Server, port: number, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (e.code === 'EADDRINUSE') reject(new UsageError(`${what}: port ${port} on 127.0.0.1 is in use (another start-lambda or start-api?): stop that process, or pass --port with a free port (--port 0 picks one)`));
      else if (e.code === 'EACCES') reject(new UsageError(`${what}: port ${port} on 127.0.0.1 is not allowed for this user: pass --port with a port above 1023`));
      else reject(e);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    // A client that declares more body than it sends is answered 408 after a minute, not Node's five.
    server.requestTimeout = REQUEST_TIMEOUT_MS;
    server.listen(port, '127.0.0.1');
  });
}

/** Closes a server: idle keep-alive connections at once, requests in flight get 2 s to be answered. */
export function close(server: http.Server): Promise<void> {
  return new Promise(resolve => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 2000).unref();
  });
}
