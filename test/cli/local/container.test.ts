import * as fs from 'fs';
import { ImageFunction } from '../../../src/cli/local/assembly';
import { ContainerStartError, containerEnvironment, endpointForContainer, envFile, findRie, hostAccess, processArgv } from '../../../src/cli/local/container';

const asset = { hash: 'AB'.repeat(32), directory: '/x', dockerFile: 'Dockerfile', platform: 'linux/arm64', buildArgs: { A: '1' }, buildSecrets: { creds: 'src=/home/u/.aws/credentials' }, target: 'final', destinations: [] };
const fn = (over: Partial<ImageFunction> = {}): ImageFunction => ({
  stack: 'S', logicalId: 'Fn1234', path: 'S/Fn', architecture: 'arm64', imageConfig: {}, environment: {}, asset, imageUri: 'x', ...over,
});

describe('containerEnvironment', () => {
  test('sets Lambda\'s variables from the template and passes the endpoint URL; no credentials (they go apart, never on a command line)', () => {
    const { env, skipped } = containerEnvironment(fn({ memorySize: 1024, timeout: 30, environment: { STAGE: 'dev', BUCKET: { Ref: 'B' } } }), { endpointUrl: 'http://127.0.0.1:4566' }, { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
    expect(env).toMatchObject({
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
      AWS_LAMBDA_FUNCTION_TIMEOUT: '30',
      AWS_LAMBDA_FUNCTION_NAME: 'Fn1234',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/Fn1234',
      STAGE: 'dev',
    });
    expect(env.BUCKET).toBeUndefined();
    expect(env.AWS_ACCESS_KEY_ID).toBeUndefined();
    expect(skipped).toEqual(['BUCKET']);
  });

  test('--env-vars values replace the template\'s, and fill what is known only after deployment', () => {
    const f = fn({ environment: { TABLE: { Ref: 'Table' }, STAGE: 'prod', KEEP: 'x' } });
    const { env, skipped } = containerEnvironment(f, { environment: { TABLE: 'local', STAGE: 'dev' } }, {});
    expect(env).toMatchObject({ TABLE: 'local', STAGE: 'dev', KEEP: 'x' });
    expect(skipped).toEqual([]);
    expect(containerEnvironment(f, {}, {}).skipped).toEqual(['TABLE']);
  });

  test('uses Lambda\'s defaults (128 MB, 3 s) when the template sets none', () => {
    const { env } = containerEnvironment(fn(), {}, {});
    expect(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE).toBe('128');
    expect(env.AWS_LAMBDA_FUNCTION_TIMEOUT).toBe('3');
  });
});

describe('processArgv', () => {
  const image = { Entrypoint: ['/lambda-entrypoint.sh'], Cmd: ['app.default'] };
  test('ImageConfig overrides the image, as Lambda does', () => {
    expect(processArgv(fn(), image)).toEqual(['/lambda-entrypoint.sh', 'app.default']);
    expect(processArgv(fn({ imageConfig: { Command: ['app.other'] } }), image)).toEqual(['/lambda-entrypoint.sh', 'app.other']);
    expect(processArgv(fn({ imageConfig: { EntryPoint: ['/var/task/bootstrap'] } }), image)).toEqual(['/var/task/bootstrap']);
  });

  test('throws when there is nothing to run', () => {
    expect(() => processArgv(fn(), {})).toThrow(/S\/Fn: the image has no ENTRYPOINT or CMD/);
  });
});

test('findRie prefers the explicit path, then CDK_LAMBDA_CONTAINER_RIE', () => {
  expect(findRie(__filename, {})).toBe(__filename);
  expect(findRie(undefined, { CDK_LAMBDA_CONTAINER_RIE: __filename, PATH: '' })).toBe(__filename);
  expect(findRie(undefined, { PATH: '/nonexistent' })).toBeUndefined();
});

describe('without host networking', () => {
  test('podman gets slirp4netns with the host\'s loopback at 10.0.2.2; Docker and Finch host.docker.internal through the host gateway', () => {
    expect(hostAccess('podman')).toEqual({ createArgs: ['--network', 'slirp4netns:allow_host_loopback=true'], hostAlias: '10.0.2.2' });
    expect(hostAccess('/usr/bin/podman')).toMatchObject({ hostAlias: '10.0.2.2' });
    for (const engine of ['docker', 'finch']) expect(hostAccess(engine)).toEqual({ createArgs: ['--add-host', 'host.docker.internal:host-gateway'], hostAlias: 'host.docker.internal' });
  });

  test.each([
    ['http://127.0.0.1:4566', 'http://host.docker.internal:4566'],
    ['http://localhost:4566/path', 'http://host.docker.internal:4566/path'],
    ['http://[::1]:4566', 'http://host.docker.internal:4566'],
    ['https://localhost', 'https://host.docker.internal'],
    ['http://localhost.example.com:4566', 'http://localhost.example.com:4566'],
    ['https://s3.amazonaws.com', 'https://s3.amazonaws.com'],
  ])('an endpoint on the host\'s loopback is reached through the host alias: %s', (url, expected) => {
    expect(endpointForContainer(url, 'host.docker.internal')).toBe(expected);
  });
});

describe('how values reach the engine (D7)', () => {
  test('an env file only its owner reads, named on the command line instead of the values; removed after create', () => {
    const values = envFile({ AWS_SECRET_ACCESS_KEY: 'qaSecretDoNotLeak', STAGE: 'dev', MULTI: 'line1\nline2' });
    const file = values.args[1];
    try {
      expect(values.args).toEqual(['--env-file', file, '--env', 'MULTI']);
      expect(values.args.join(' ')).not.toContain('qaSecretDoNotLeak');
      expect((fs.statSync(file).mode % 0o1000).toString(8)).toBe('600');
      expect(fs.readFileSync(file, 'utf8')).toBe('AWS_SECRET_ACCESS_KEY=qaSecretDoNotLeak\nSTAGE=dev\n');
      // A value an env file cannot hold goes by name, its value in the engine's environment.
      expect(values.engineEnv).toEqual({ MULTI: 'line1\nline2' });
    } finally {
      values.remove();
    }
    expect(fs.existsSync(file)).toBe(false);
  });
});

test('an image without the emulator: the error says to pass --rie (D13)', () => {
  const why = 'podman start failed (exit 125): runc create failed: stat /usr/local/bin/aws-lambda-rie: no such file or directory';
  expect(new ContainerStartError(fn(), why, false).message).toMatch(/^S\/Fn: the image has no \/usr\/local\/bin\/aws-lambda-rie .*pass --rie <path to aws-lambda-rie> or set CDK_LAMBDA_CONTAINER_RIE/);
  expect(new ContainerStartError(fn(), why, true).message).toBe(`S/Fn: ${why}`);
});
