/** What the local endpoints (`start-lambda`, `start-api`) share of HTTP: reading a request's body. */
import * as http from 'http';

/** The whole body of a request. */
export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
