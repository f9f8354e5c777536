import * as fs from 'fs';
import * as path from 'path';
import { BaseImage, LambdaContainerFunction } from '../../src';
import { EXIT_CODES } from '../../src/cli/errors';
import { EVENT_KINDS } from '../../src/cli/events';
import { main } from '../../src/cli/main';
import { newStack, PY_CODE, tempTree } from '../util';

/** Runs the CLI: its exit code, what it printed on stdout and on stderr. */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: t => { out += t; }, err: t => { err += t; } });
  return { code, out, err };
}

/** An event file with this content. */
function event(content: string | Buffer): string {
  const file = path.join(tempTree({}), 'event.json');
  fs.writeFileSync(file, content);
  return file;
}

describe('main', () => {
  test('--help lists every command and the exit codes, and succeeds', async () => {
    const { code, out } = await run('--help');
    expect(code).toBe(EXIT_CODES.ok);
    expect(out).toMatch(/^Usage: cdk-lambda-container \[options\] \[command\]/);
    for (const command of ['summary', 'build', 'invoke', 'layers', 'generate-event']) expect(out).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
    expect(out).toMatch(/Exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 .*\n {2}3 .*\n {2}4 /);
  });

  test('--version prints the package version', async () => {
    const { code, out } = await run('--version');
    expect(code).toBe(EXIT_CODES.ok);
    expect(out.trim()).toBe(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version);
  });

  test('each command has its own help with only its options', async () => {
    const invoke = await run('invoke', '--help');
    expect(invoke.code).toBe(EXIT_CODES.ok);
    expect(invoke.out).toMatch(/^Usage: cdk-lambda-container invoke \[options\] <function>/);
    for (const option of ['--event', '--invocation-type', '--env-vars', '--endpoint-url', '--no-build', '--repeat', '--json']) expect(invoke.out).toContain(option);
    const build = await run('build', '--help');
    expect(build.out).not.toContain('--event');
  });

  test.each([
    [['frobnicate'], /unknown command 'frobnicate'/],
    [[], /Usage: cdk-lambda-container/],
    [['build'], /missing required argument 'function'/],
    [['build', 'Fn', '--bucket', 'x'], /unknown option '--bucket'/],
    [['invoke', 'Fn', '--invocation-type', 'DryRun'], /argument 'DryRun' is invalid\. Allowed choices are RequestResponse, Event\./],
    [['invoke', 'Fn', '--repeat', '0'], /a whole number of at least 1, not "0"/],
    [['invoke', 'Fn', '--repeat', '2.5'], /not "2\.5"/],
    [['generate-event', 'no-such-kind'], /unknown command 'no-such-kind'/],
  ])('%j is a usage error (exit 2) that says what is wrong', async (argv, message) => {
    const { code, err } = await run(...argv);
    expect(code).toBe(EXIT_CODES.usage);
    expect(err).toMatch(message);
  });

  test('a function or assembly that is not there is a usage error that lists what there is', async () => {
    const { app, stack } = newStack();
    new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), entry: tempTree(PY_CODE), cmd: ['app.handler'] });
    const dir = app.synth().directory;
    const missing = await run('build', 'Other', '--app', dir);
    expect(missing.code).toBe(EXIT_CODES.usage);
    expect(missing.err).toMatch(/no container-image function "Other" in .*\. Functions: TestStack\/Fn/);
    const noAssembly = await run('summary', tempTree({}));
    expect(noAssembly.code).toBe(EXIT_CODES.usage);
    expect(noAssembly.err).toMatch(/is not a cloud assembly \(no manifest\.json\)/);
  });

  test('summary prints the summary of the cloud assembly it is given, or its functions as JSON', async () => {
    const { app, stack } = newStack();
    new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), entry: tempTree(PY_CODE), cmd: ['app.handler'] });
    const dir = app.synth().directory;
    const { code, out } = await run('summary', dir);
    expect(code).toBe(EXIT_CODES.ok);
    expect(out).toMatch(/: 1 container-image function in 1 stack, 1 distinct image, published to cdk-hnb659fds-container-assets-123456789012-us-east-1\n/);
    expect(out).toMatch(/^ {2}image source {2}generated Dockerfile, FROM public\.ecr\.aws\/lambda\/python:3\.13-x86_64$/m);
    const json = await run('summary', '--app', dir, '--json');
    expect(JSON.parse(json.out).map((f: { path: string; imageConfig: unknown }) => [f.path, f.imageConfig])).toEqual([[expect.stringMatching(/^TestStack\/Fn/), { Command: ['app.handler'] }]]);
  });

  test('generate-event prints the sample event as JSON, with the options given', async () => {
    const { code, out } = await run('generate-event', 's3-put', '--bucket', 'images', '--key', 'cat.jpg');
    expect(code).toBe(EXIT_CODES.ok);
    expect(JSON.parse(out).Records[0].s3).toMatchObject({ bucket: { name: 'images' }, object: { key: 'cat.jpg' } });
  });

  describe('invoke refuses what Lambda refuses, before a container starts (exit 4)', () => {
    // No assembly and no engine are needed: the refusal comes first.
    test('an event that is not JSON: InvalidRequestContentException', async () => {
      const { code, err } = await run('invoke', 'Fn', '--app', tempTree({}), '--event', event('hello'));
      expect(code).toBe(EXIT_CODES.requestRefused);
      expect(err).toMatch(/^cdk-lambda-container: InvalidRequestContentException: Could not parse request body into json: /);
    });

    test('an event over 6 MB, or 1 MB for --invocation-type Event: RequestEntityTooLargeException', async () => {
      const big = event(Buffer.from(`"${'a'.repeat(1024 * 1024)}"`));
      const asynchronous = await run('invoke', 'Fn', '--app', tempTree({}), '--event', big, '--invocation-type', 'Event');
      expect(asynchronous.code).toBe(EXIT_CODES.requestRefused);
      expect(asynchronous.err).toMatch(/RequestEntityTooLargeException: Request must be smaller than 1048576 bytes/);
    });

    test('an event file that cannot be read is a usage error', async () => {
      const { code, err } = await run('invoke', 'Fn', '--event', '/no/such/event.json');
      expect(code).toBe(EXIT_CODES.usage);
      expect(err).toMatch(/--event \/no\/such\/event\.json: ENOENT/);
    });
  });
});

test('the README lists every event kind generate-event knows', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const listed = [...readme.matchAll(/^\| `([a-z0-9-]+)` \| .* \| .*`--/gm)].map(m => m[1]);
  expect(listed).toEqual(EVENT_KINDS.map(k => k.kind));
});
