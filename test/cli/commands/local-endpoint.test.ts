import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { conformanceApp } from '../../../e2e/fixtures/apigw-conformance/app';
import { startApiCommand, startLambdaCommand } from '../../../src/cli/commands/local-endpoint';
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

test('start-api lists each route with its authorizer, the MOCK methods and the CORS configuration', async () => {
  const app = conformanceApp(path.join(tempTree({}), 'cdk.out'));
  let err = '';
  const io = { out: () => undefined, err: (t: string) => { err += t; } };
  const running = startApiCommand(io, { ...options(0), app });
  await new Promise<void>(resolve => {
    const timer = setInterval(() => { if (err.includes('Ctrl-C stops it')) { clearInterval(timer); resolve(); } }, 20);
  });
  process.emit('SIGINT', 'SIGINT');
  expect(await running).toBe(EXIT_CODES.ok);
  for (const line of [
    '  GET /jwt/scoped -> ApiConformanceHttp/Echo (payload 2.0, JWT authorizer Jwt, scopes orders/read)',
    '  GET /simple -> ApiConformanceHttp/Echo (payload 2.0, Lambda authorizer Simple (payload 2.0, simple responses, cached 300 s))',
    '  GET /policy -> ApiConformanceHttp/Echo (payload 2.0, Lambda authorizer Policy (payload 1.0))',
    '  GET /iam -> ApiConformanceHttp/Echo (payload 2.0, IAM (SigV4))',
    '  CORS: preflights answered by the gateway for https://app.example.com',
    '  OPTIONS /token -> MOCK 204',
    '  GET /request -> ApiConformanceRest/Echo (payload 1.0, Lambda authorizer ApiConformanceRestRequest0E073A36 (REQUEST, cached 300 s))',
    '  GET /cognito/scoped -> ApiConformanceRest/Echo (payload 1.0, Cognito user-pool authorizer ApiConformanceRestCognito3C2F46D7, scopes orders/read)',
  ]) expect(err.split('\n')).toContain(line);
  expect(err).not.toMatch(/not served|note:/);
});
