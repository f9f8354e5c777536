/**
 * The API Gateway conformance suite against start-api (issue 19): the conformance app's HTTP API
 * and REST API (JWT, Cognito, Lambda TOKEN/REQUEST/simple/policy and IAM authorizers, CORS, stage
 * variables) served by LocalApiServer in front of real containers (podman, the AWS Python base
 * image's stand-in and its RIE); every case must pass. The same cases run against
 * `sam local start-api` in bench/apigw-conformance.ts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { conformanceApp } from './fixtures/apigw-conformance/app';
import { CASES, IAM_CREDENTIALS, runConformance, Tokens } from './fixtures/apigw-conformance/conformance';
import { engineEnv, HOST_ARCH } from './helpers';
import { LocalApiServer } from '../src/cli/apigw/server';
import { buildFunction } from '../src/cli/local/image-build';

const env = engineEnv();
let dir: string;
let assembly: string;

beforeAll(async () => {
  Object.assign(process.env, env); // the engine runs from this process
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clc-conformance-'));
  assembly = conformanceApp(path.join(dir, 'cdk.out'), HOST_ARCH);
  // One image serves every function of both stacks: built once.
  await buildFunction(assembly, 'ApiConformanceHttp/Echo', { engine: 'podman', quiet: true });
}, 600_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test(`the ${CASES.length} conformance cases pass against start-api`, async () => {
  expect(CASES.length).toBeGreaterThanOrEqual(40);
  const tokens = new Tokens(dir);
  const log: string[] = [];
  const server = new LocalApiServer(assembly, { port: 0, engine: 'podman', rie: env.E2E_RIE, build: false, jwks: [tokens.jwksFile], credentials: IAM_CREDENTIALS, log: line => log.push(line) });
  const served = await server.start();
  try {
    const url = (kind: string) => served.find(s => s.api.kind === kind)!.url;
    const results = await runConformance({ http: url('http-api'), rest: url('rest-api') }, tokens);
    const failed = results.filter(r => !r.passed).map(r => `${r.id}: ${r.failures.join('; ')}`);
    expect(failed).toEqual([]);
    expect(results).toHaveLength(CASES.length);
  } finally {
    await server.stop();
  }
  // The authorizer failures were said on stderr, with the authorizer's name.
  expect(log.join('\n')).toMatch(/authorizer .*Simple.* failed/);
}, 600_000);
