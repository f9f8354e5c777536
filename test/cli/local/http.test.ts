import * as http from 'http';
import { AddressInfo } from 'net';
import { UsageError } from '../../../src/cli/errors';
import { BodyTooLargeError, close, listen, readBody, REQUEST_TIMEOUT_MS } from '../../../src/cli/local/http';

test('readBody reads the whole body of a request, however it is chunked', async () => {
  const server = http.createServer(async (req, res) => res.end(String((await readBody(req)).length)));
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const big = Buffer.alloc(3 * 1024 * 1024 + 7, 'x');
    expect(await (await fetch(url, { method: 'POST', body: big })).text()).toBe(String(big.length));
    expect(await (await fetch(url)).text()).toBe('0');
  } finally {
    server.close();
  }
});

test('readBody refuses a body over its cap as soon as Content-Length says so, without reading it (D12)', async () => {
  let seen: unknown;
  const server = http.createServer(async (req, res) => {
    try { await readBody(req, 1000); } catch (e) { seen = e; }
    res.writeHead(413, { connection: 'close' }).end();
  });
  const port = await listen(server, 0, 'test');
  try {
    // 100 MB declared, 10 bytes sent: answered at once, not after a wait for the rest.
    const answer = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', headers: { 'content-length': String(100 * 1024 * 1024) } }, res => resolve(res.statusCode!));
      req.on('error', reject);
      req.write('0123456789');
    });
    expect(answer).toBe(413);
    expect(seen).toBeInstanceOf(BodyTooLargeError);
  } finally {
    await close(server);
  }
});

test('listen: a busy port is a usage error that names --port (D13)', async () => {
  const first = http.createServer();
  const port = await listen(first, 0, 'first');
  try {
    const second = http.createServer();
    const refused = listen(second, port, 'start-lambda');
    await expect(refused).rejects.toThrow(UsageError);
    await expect(refused).rejects.toThrow(`start-lambda: port ${port} on 127.0.0.1 is in use (another start-lambda or start-api?): stop that process, or pass --port with a free port (--port 0 picks one)`);
    expect(second.listening).toBe(false);
  } finally {
    await close(first);
  }
});

test('a server listens with a request timeout of a minute (a client that sends less than it declared is not held five)', async () => {
  const server = http.createServer();
  await listen(server, 0, 'test');
  try {
    expect(server.requestTimeout).toBe(REQUEST_TIMEOUT_MS);
    expect(REQUEST_TIMEOUT_MS).toBe(60_000);
  } finally {
    await close(server);
  }
});
