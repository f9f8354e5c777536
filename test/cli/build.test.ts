import { buildArguments, localTag } from '../../src/cli/build';

const asset = { hash: 'AB'.repeat(32), directory: '/x', dockerFile: 'Dockerfile', platform: 'linux/arm64', buildArgs: { A: '1' }, buildSecrets: { creds: 'src=/home/u/.aws/credentials' }, target: 'final', destinations: [] };

describe('buildArguments', () => {
  test('passes what cdk-assets passes: build args, tag, target, file, platform, context', () => {
    expect(buildArguments(asset)).toEqual(['build', '--build-arg', 'A=1', '--secret', 'id=creds,src=/home/u/.aws/credentials', '--tag', `cdkasset-${'ab'.repeat(32)}`, '--target', 'final', '--file', 'Dockerfile', '--platform', 'linux/arm64', '.']);
    expect(localTag(asset)).toBe(`cdkasset-${'ab'.repeat(32)}`);
  });
});
