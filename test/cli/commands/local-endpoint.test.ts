import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { startLambdaCommand } from '../../../src/cli/commands/local-endpoint';
import { EXIT_CODES } from '../../../src/cli/errors';
import { close, listen } from '../../../src/cli/local/http';
import { main } from '../../../src/cli/main';
import { synthesizedApp, tempTree } from '../../util';

let assembly: string;
let saved: string | undefined;
beforeAll(() => {
  assembly = synthesizedApp();
  // An engine with no containers: nothing to reap, nothing started (no request is sent).
  const dir = tempTree({});
  fs.writeFileSync(path.join(dir, 'podman'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  saved = process.env.CDK_DOCKER;
  process.env.CDK_DOCKER = path.join(dir, 'podman');
});
afterAll(() => { if (saved === undefined) delete process.env.CDK_DOCKER; else process.env.CDK_DOCKER = saved; });

const options = (port: number) => ({ app: assembly, network: 'publish' as const, build: false, credentials: false, port, maxContainers: 1 });

test('a busy port is a usage error (exit 2) that names --port, and nothing stays listening (D13)', async () => {
  const busy = http.createServer();
  const port = await listen(busy, 0, 'busy');
  try {
    let err = '';
    const code = await main(['start-lambda', '--app', assembly, '--port', String(port), '--no-build'], { out: () => undefined, err: t => { err += t; } });
    expect(code).toBe(EXIT_CODES.usage);
    expect(err).toMatch(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use .*--port`));
    expect(process.listenerCount('SIGINT')).toBe(0);
  } finally {
    await close(busy);
  }
});

test('Ctrl-C stops a running endpoint: it stops listening and the command ends with 0', async () => {
  let err = '';
  const io = { out: () => undefined, err: (t: string) => { err += t; } };
  const running = startLambdaCommand(io, options(0));
  const url = await new Promise<string>(resolve => {
    const timer = setInterval(() => {
      const m = /Invoke API on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m) { clearInterval(timer); resolve(m[1]); }
    }, 20);
  });
  expect((await fetch(`${url}/2015-03-31/functions/A/invocations`, { method: 'POST', headers: { 'X-Amz-Invocation-Type': 'DryRun' } })).status).toBe(204);
  process.emit('SIGINT', 'SIGINT');
  expect(await running).toBe(EXIT_CODES.ok);
  expect(err).toMatch(/SIGINT: stopping, removing 0 container\(s\)/);
  await expect(fetch(url)).rejects.toThrow();
  expect(process.listenerCount('SIGINT')).toBe(0);
});
