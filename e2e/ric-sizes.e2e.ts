/**
 * What the Java and Go Runtime Interface Clients add to the image they run in (final image minus
 * its base, as example.e2e.ts measures Python's and Node.js's), and one invocation of each under
 * the Runtime Interface Emulator: a measured image that does not answer proves nothing.
 * Built on stand-ins of their build and base images (scripts/e2e/base-images.sh: Debian's OpenJDK
 * 17 and Maven under the eclipse-temurin/maven names, the real Go 1.24 toolchain under golang:1.24).
 * Ruby and .NET are not measured: rubygems.org and NuGet cannot be reached from these machines.
 * Results are merged into test-reports/ric-sizes.json. Needs `scripts/e2e/setup.sh`.
 */
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import { E2E_DIR, engine, engineEnv, freePort, HOST_ARCH, REPO, synth } from './helpers';
import { BaseImage, LambdaContainerFunction, RuntimeInterfaceClient } from '../src';
import { invokeFunction, startFunction } from '../src/cli/local/container';
import { buildFunction } from '../src/cli/local/image-build';

const env = engineEnv();
Object.assign(process.env, env);
const RIE = env.E2E_RIE!;
const FIXTURES = path.join(__dirname, 'ric-sizes');
const MAVEN = 'docker.io/library/maven:3-eclipse-temurin-21';

interface Case {
  /** The function's construct id. */
  readonly fn: string;
  /** The key in test-reports/ric-sizes.json. */
  readonly ric: string;
  /** The base image the function runs on, as the engine names it. */
  readonly base: string;
}
const CASES: Case[] = [
  { fn: 'JavaRic', ric: 'aws-lambda-java-runtime-interface-client', base: 'docker.io/library/eclipse-temurin:21-jre' },
  { fn: 'GoRic', ric: 'aws-lambda-go', base: 'docker.io/library/debian:bookworm-slim' },
];

let assembly: string;
const tags: Record<string, string> = {};

beforeAll(() => {
  // java() puts the code directory on the classpath as it is (it compiles nothing): the handler is
  // compiled to classes first, by the JDK of the build image's stand-in.
  const classes = path.join(E2E_DIR, 'ric-sizes', 'java-classes');
  fs.rmSync(classes, { recursive: true, force: true });
  fs.mkdirSync(classes, { recursive: true });
  engine(['run', '--rm', '--volume', `${path.join(FIXTURES, 'java')}:/src:ro`, '--volume', `${classes}:/out`, MAVEN,
    'javac', '--release', '17', '-d', '/out', '/src/example/Hello.java'], env);

  assembly = synth('ric-sizes', app => {
    const stack = new Stack(app, 'RicSizes');
    new LambdaContainerFunction(stack, 'JavaRic', {
      baseImage: BaseImage.fromRegistry('eclipse-temurin:21-jre', { ric: RuntimeInterfaceClient.java() }),
      entry: classes,
      cmd: ['example.Hello::handleRequest'],
      timeout: Duration.seconds(30), // a JVM's first invocation, under an emulator
      architecture: HOST_ARCH,
    });
    new LambdaContainerFunction(stack, 'GoRic', {
      baseImage: BaseImage.fromRegistry('debian:bookworm-slim', { ric: RuntimeInterfaceClient.go() }),
      entry: path.join(FIXTURES, 'go'), // go.mod + go.sum: `go mod download` in the build stage, then go build
      architecture: HOST_ARCH,
    });
  });
});

describe('each RIC image builds from its generated Dockerfile', () => {
  test.each(CASES.map(c => c.fn))('%s', async fn => {
    tags[fn] = (await buildFunction(assembly, fn, { engine: 'podman', quiet: true })).tag;
  });
});

describe('each RIC answers under the Runtime Interface Emulator', () => {
  const event = Buffer.from(JSON.stringify({ name: 'e2e' }));

  test('Java: aws-lambda-java-runtime-interface-client runs example.Hello::handleRequest', async () => {
    const result = await invokeFunction(assembly, 'JavaRic', event, { engine: 'podman', rie: RIE, build: false });
    if (result.statusCode !== 200 || result.functionError) console.error(result.logs);
    console.log(`JavaRic answered ${result.statusCode} ${result.body} (cold start ${Math.round(result.coldStartMs)} ms)`);
    expect(result.functionError).toBeUndefined();
    expect(JSON.parse(result.body)).toEqual({ greeting: 'Hello, e2e!', runtime: expect.stringMatching(/^java \d+/) });
  });

  test('Java under --debug-port: JDWP answers on the host port (handshake, then VirtualMachine.Version), and the function still answers', async () => {
    const port = await freePort();
    const running = await startFunction(assembly, 'JavaRic', {
      engine: 'podman', rie: RIE, build: false, debug: { fn: 'RicSizes/JavaRic', language: 'java', hostPort: port },
    });
    try {
      const first = await running.invoke(event); // the JVM starts, with the agent
      expect(first.statusCode).toBe(200);
      const reply = await new Promise<Buffer>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1');
        let received = Buffer.alloc(0);
        socket.on('error', reject);
        socket.on('connect', () => socket.write('JDWP-Handshake'));
        socket.on('data', chunk => {
          received = Buffer.concat([received, chunk]);
          if (received.length === 14) {
            expect(received.toString()).toBe('JDWP-Handshake');
            // Command packet: length 11, id 1, flags 0, command set 1 (VirtualMachine), command 1 (Version).
            socket.write(Buffer.from([0, 0, 0, 11, 0, 0, 0, 1, 0, 1, 1]));
          } else if (received.length > 14 + 11) {
            const packet = received.subarray(14);
            if (packet.length >= packet.readUInt32BE(0)) {
              socket.destroy();
              resolve(packet);
            }
          }
        });
      });
      expect(reply.readUInt32BE(4)).toBe(1); // the reply to our packet
      expect(reply[8]).toBe(0x80); // the reply flag
      expect(reply.readUInt16BE(9)).toBe(0); // no error
      const description = reply.subarray(15, 15 + reply.readUInt32BE(11)).toString();
      console.log(`JavaRic under JDWP: ${description.split('\n')[0]}`);
      expect(description).toMatch(/Java|OpenJDK/i);
      const second = await running.invoke(event);
      expect(JSON.parse(second.body)).toEqual({ greeting: 'Hello, e2e!', runtime: expect.stringMatching(/^java \d+/) });
    } finally {
      await running.stop();
    }
  });

  test('Go: aws-lambda-go runs the compiled handler', async () => {
    const result = await invokeFunction(assembly, 'GoRic', event, { engine: 'podman', rie: RIE, build: false });
    if (result.statusCode !== 200 || result.functionError) console.error(result.logs);
    console.log(`GoRic answered ${result.statusCode} ${result.body} (cold start ${Math.round(result.coldStartMs)} ms)`);
    expect(result.functionError).toBeUndefined();
    expect(JSON.parse(result.body)).toEqual({ greeting: 'Hello, e2e!', runtime: 'aws-lambda-go', requestId: expect.stringMatching(/\S/) });
  });
});

describe('runtime interface clients stay slim', () => {
  test('the Java and Go RICs add at most 10 MB each to the image they run in', async () => {
    const imageBytes = (ref: string) => Number(engine(['image', 'inspect', '--format', '{{.Size}}', ref], env).trim());
    // What the final stage holds under /function (the RIC, the handler): file sizes, for the report.
    const functionFiles = (ref: string) => Object.fromEntries(
      engine(['run', '--rm', '--network', 'host', '--entrypoint', '/usr/bin/find', ref, '/function', '-type', 'f', '-printf', '%s %p\\n'], env)
        .trim().split('\n').map(line => [line.slice(line.indexOf(' ') + 1), Number(line.slice(0, line.indexOf(' ')))]));
    const measured: Record<string, unknown> = {};
    const added: number[] = [];
    for (const { fn, ric, base } of CASES) {
      const tag = tags[fn] ?? (await buildFunction(assembly, fn, { engine: 'podman', quiet: true })).tag;
      const bytes = imageBytes(tag) - imageBytes(base);
      added.push(bytes);
      measured[ric] = { bytes, megabytes: +(bytes / 1e6).toFixed(2), base, files: functionFiles(tag) };
    }
    // Merged with what other suites wrote (example.e2e.ts: Python and Node.js).
    const file = path.join(REPO, 'test-reports', 'ric-sizes.json');
    const report = { ...(fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {}), ...measured };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(report, undefined, 2));
    console.log(`bytes each RIC adds to its image: ${JSON.stringify(measured, undefined, 2)}`);
    for (const bytes of added) {
      expect(bytes).toBeGreaterThan(0);
      expect(bytes).toBeLessThanOrEqual(10e6);
    }
  });
});
