import * as fs from 'fs';
import * as path from 'path';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { BaseImage, FunctionImage, LambdaContainerFunction } from '../../../src';
import { buildArguments, buildFunction, localTag } from '../../../src/cli/local/image-build';
import { newStack, PY_CODE, tempTree } from '../../util';

const asset = { hash: 'AB'.repeat(32), directory: '/x', dockerFile: 'Dockerfile', platform: 'linux/arm64', buildArgs: { A: '1' }, buildSecrets: { creds: 'src=/home/u/.aws/credentials' }, target: 'final', destinations: [] };

describe('buildArguments', () => {
  test('passes what cdk-assets passes: build args, tag, target, file, platform, context', () => {
    expect(buildArguments(asset)).toEqual(['build', '--build-arg', 'A=1', '--secret', 'id=creds,src=/home/u/.aws/credentials', '--tag', `cdkasset-${'ab'.repeat(32)}`, '--target', 'final', '--file', 'Dockerfile', '--platform', 'linux/arm64', '.']);
    expect(localTag(asset)).toBe(`cdkasset-${'ab'.repeat(32)}`);
  });
});

describe('buildFunction', () => {
  /** A stand-in engine that records its working directory, arguments and attestation setting, then exits with `status`. */
  function engine(status: number): { command: string; record: string } {
    const dir = tempTree({});
    const record = path.join(dir, 'record');
    const command = path.join(dir, 'engine');
    fs.writeFileSync(command, `#!/bin/sh\necho "$PWD|$*|$BUILDX_NO_DEFAULT_ATTESTATIONS" > '${record}'\necho 'no space left on device' >&2\nexit ${status}\n`, { mode: 0o755 });
    return { command, record };
  }

  function assembly(): string {
    const { app, stack } = newStack({ 'aws:cdk:enable-path-metadata': true });
    new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), entry: tempTree(PY_CODE), cmd: ['app.handler'] });
    new LambdaContainerFunction(stack, 'FromEcr', { image: FunctionImage.fromEcr(ecr.Repository.fromRepositoryName(stack, 'Repo', 'functions'), { tagOrDigest: 'v1' }), cmd: ['app.handler'] });
    return app.synth().directory;
  }

  test('runs the engine in the asset directory with the arguments cdk-assets uses, attestations off, and returns the local tag', async () => {
    const dir = assembly();
    const fake = engine(0);
    const result = await buildFunction(dir, 'Fn', { engine: fake.command, quiet: true });
    const [hash] = fs.readdirSync(dir).filter(f => f.startsWith('asset.')).map(f => f.slice('asset.'.length));
    expect(result).toMatchObject({ tag: `cdkasset-${hash}`, engine: fake.command });
    expect(fs.readFileSync(fake.record, 'utf8')).toBe(`${path.join(dir, `asset.${hash}`)}|build --tag cdkasset-${hash} --file Dockerfile --platform linux/amd64 .|1\n`);
  });

  test('fails with the function, the engine\'s exit status and its stderr', async () => {
    const fake = engine(2);
    await expect(buildFunction(assembly(), 'Fn', { engine: fake.command, quiet: true }))
      .rejects.toThrow(new RegExp(`^building TestStack/Fn failed \\(${fake.command} exit 2\\): no space left on device$`));
  });

  test('has nothing to build for an existing image', async () => {
    await expect(buildFunction(assembly(), 'FromEcr', { engine: engine(0).command, quiet: true }))
      .rejects.toThrow(/^TestStack\/FromEcr uses an existing image \(.*\): there is nothing to build\.$/);
  });
});
