import * as http from 'http';
import { AddressInfo } from 'net';
import { readBody } from '../../../src/cli/local/http';

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
