import * as fs from 'fs';
import * as path from 'path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BaseImage, ExtensionImageLayer, LambdaContainerFunction } from '../../src';
import { resolveLayers } from '../../src/private/layer-binding';
import { WarningIds } from '../../src/warnings';
import { contextOf, newStack, tempTree, telemetryDir } from '../util';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:layer:shared-lib:3';

describe('resolveLayers', () => {
  test('a non-executable extension fails synth with the construct path, the file and the fix', () => {
    const dir = tempTree({ 'extensions/agent': '#!/bin/sh\n' });
    fs.chmodSync(path.join(dir, 'extensions/agent'), 0o644);
    const { stack } = newStack();
    expect(() => new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), entry: tempTree({ 'app.py': '' }), cmd: ['app.handler'], imageLayers: [ExtensionImageLayer.fromDirectory(dir)] }))
      .toThrow(/^TestStack\/Fn: invalid imageLayers .*\/opt\/extensions\/agent \(from fromDirectory\(.*\)\).*not executable.*Fix: make them executable \(chmod \+x\)/);
  });

  test('a missing layer directory names the construct, the layer and the fix', () => {
    const { stack } = newStack();
    expect(() => new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), entry: tempTree({ 'app.py': '' }), cmd: ['app.handler'], imageLayers: [ExtensionImageLayer.fromDirectory('/nonexistent/layer')] }))
      .toThrow(/^TestStack\/Fn: invalid imageLayers\[0\] fromDirectory\(directory\) "\/nonexistent\/layer": no such directory \(resolved to \/nonexistent\/layer\)\. Fix: give the directory/);
  });

  test('overlapping layers and an unpinned layer image are warnings on the function', () => {
    const { stack } = newStack();
    const a = tempTree({ 'lib/x.so': 'a' });
    const b = tempTree({ 'lib/x.so': 'b' });
    new LambdaContainerFunction(stack, 'Fn', {
      baseImage: BaseImage.python('3.13'),
      entry: tempTree({ 'app.py': '' }),
      cmd: ['app.handler'],
      imageLayers: [ExtensionImageLayer.fromDirectory(a), ExtensionImageLayer.fromDirectory(b), ExtensionImageLayer.fromImage('example.com/agent')],
    });
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/TestStack/Fn', Match.stringLikeRegexp('both write /opt/lib/x\\.so: the later layer .* wins'));
    annotations.hasWarning('/TestStack/Fn', Match.stringLikeRegexp('fromImage\\("example.com/agent"\\) is not pinned'));
  });

  describe('fromLayerVersionArn', () => {
    test('a throwaway stage gets the credentials as a build secret and ends FROM scratch; only the file path is in the manifest', () => {
      const { app, stack } = newStack({ 'aws:cdk:enable-asset-metadata': true });
      const credentials = path.join(tempTree({ credentials: '[default]\naws_access_key_id = AKIAUNITTEST00000001\n' }), 'credentials');
      new LambdaContainerFunction(stack, 'Fn', {
        baseImage: BaseImage.python('3.13'),
        entry: tempTree({ 'app.py': '' }),
        cmd: ['app.handler'],
        architecture: lambda.Architecture.ARM_64,
        imageLayers: [ExtensionImageLayer.fromLayerVersionArn(ARN, { credentialsFile: credentials, profile: 'layers' })],
      });
      const context = contextOf(app, Template.fromStack(stack));
      const dockerfile = fs.readFileSync(path.join(context, 'Dockerfile'), 'utf8');
      expect(dockerfile).toContain([
        'FROM public.ecr.aws/lambda/python:3.13-arm64 AS layer-0-fetch',
        'COPY layers/fetch-layer-version.py /tmp/fetch-layer-version.py',
        'RUN --mount=type=secret,id=lambda-layer-credentials,target=/run/secrets/lambda-layer-credentials AWS_CONFIG_FILE=/run/secrets/lambda-layer-credentials AWS_SHARED_CREDENTIALS_FILE=/run/secrets/lambda-layer-credentials AWS_PROFILE=layers python3 /tmp/fetch-layer-version.py arn:aws:lambda:us-east-1:123456789012:layer:shared-lib:3 /layer/opt',
        '',
        'FROM scratch AS layer-0',
        'COPY --from=layer-0-fetch /layer/ /layer/',
      ].join('\n'));
      expect(dockerfile).toMatch(/^COPY --from=layer-0 \/layer\/ \/$/m);
      expect(fs.existsSync(path.join(context, 'layers', 'fetch-layer-version.py'))).toBe(true);
      const manifest = fs.readFileSync(path.join(app.outdir, 'TestStack.assets.json'), 'utf8');
      const image = Object.values<any>(JSON.parse(manifest).dockerImages)[0];
      expect(image.source.dockerBuildSecrets).toEqual({ 'lambda-layer-credentials': `src=${credentials}` });
      expect(image.source.dockerBuildArgs).toBeUndefined();
      for (const text of [manifest, dockerfile]) expect(text).not.toContain('AKIAUNITTEST');
    });

    test('one image, one credentials file', () => {
      const { stack } = newStack();
      expect(() => new LambdaContainerFunction(stack, 'Fn', {
        baseImage: BaseImage.python('3.13'),
        entry: tempTree({ 'app.py': '' }),
        cmd: ['app.handler'],
        imageLayers: [ExtensionImageLayer.fromLayerVersionArn(ARN, { credentialsFile: '/a' }), ExtensionImageLayer.fromLayerVersionArn(ARN.replace(':3', ':4'), { credentialsFile: '/b' })],
      })).toThrow(/invalid imageLayers \/a, \/b: layer versions of one image are fetched with one credentials file/);
    });
  });

  test('places each kind of layer: files in the context, images as they are, fetched versions through the helper image and the shipped script', () => {
    // GIVEN one layer of each kind
    const { stack } = newStack();
    const layers = [
      ExtensionImageLayer.fromDirectory(telemetryDir()),
      ExtensionImageLayer.fromImage('public.ecr.aws/awsguru/aws-lambda-adapter:0.9.1', { source: '/lambda-adapter', destination: '/opt/extensions/lambda-adapter' }),
      ExtensionImageLayer.fromLayerVersionArn(ARN, { credentialsFile: '/home/u/.aws/credentials', profile: 'layers' }),
    ];
    // WHEN
    const resolved = resolveLayers(stack, layers, 'arm64', 'layers');
    // THEN
    expect(resolved.recipe.map(l => [l.description, l.destination, l.content.kind])).toEqual([
      ['fromDirectory(telemetry)', '/opt', 'files'],
      ['fromImage(public.ecr.aws/awsguru/aws-lambda-adapter:0.9.1)', '/opt/extensions/lambda-adapter', 'image'],
      [`fromLayerVersionArn(${ARN})`, '/opt', 'fetch'],
    ]);
    const [files, image, fetch] = resolved.recipe.map(l => l.content);
    expect(files).toEqual({ kind: 'files', contextDir: expect.stringMatching(/^layers\/0-[0-9a-f]{16}$/) });
    expect(resolved.context.map(c => [c.dir, c.destination, c.files.map(f => f.relativePath)])).toEqual([
      [(files as { contextDir: string }).contextDir, '/opt', ['extensions/telemetry', 'telemetry/lib.py']],
    ]);
    expect(image).toEqual({ kind: 'image', uri: 'public.ecr.aws/awsguru/aws-lambda-adapter:0.9.1', source: '/lambda-adapter' });
    expect(fetch).toEqual({ kind: 'fetch', arn: ARN, fetcherImage: 'public.ecr.aws/lambda/python:3.13-arm64', profile: 'layers', script: 'layers/fetch-layer-version.py' });
    expect(resolved.files).toEqual([{ name: 'layers/fetch-layer-version.py', source: expect.stringMatching(/assets\/fetch-layer-version\.py$/) }]);
    expect(fs.existsSync(resolved.files[0].source)).toBe(true);
    expect(resolved.buildSecrets).toEqual({ 'lambda-layer-credentials': 'src=/home/u/.aws/credentials' });
  });

  test('without a fetched layer version there is no build secret and no fetch script', () => {
    const { stack } = newStack();
    const resolved = resolveLayers(stack, [ExtensionImageLayer.fromDirectory(telemetryDir()), ExtensionImageLayer.fromImage('example.com/agent:1.0')], 'x86_64', 'layers');
    expect(resolved.buildSecrets).toBeUndefined();
    expect(resolved.files).toEqual([]);
  });

  test('warns under the layer warning ids: overlapping files, and images without a version tag or digest', () => {
    // GIVEN two directories that write the same file, and publisher images pinned or not
    const { stack } = newStack();
    const image = (uri: string) => ExtensionImageLayer.fromImage(uri, { source: '/agent', destination: `/opt/${uri.replace(/[^a-z0-9]/g, '-')}` });
    // WHEN
    resolveLayers(stack, [
      ExtensionImageLayer.fromDirectory(tempTree({ 'lib/x.so': 'a' })),
      ExtensionImageLayer.fromDirectory(tempTree({ 'lib/x.so': 'b' })),
      image('example.com/agent'),
      image('example.com/agent:latest'),
      image('localhost:5000/agent'),
      image('example.com/agent:1.2'),
      image(`example.com/agent@sha256:${'a'.repeat(64)}`),
    ], 'x86_64', 'layers');
    // THEN
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/TestStack', Match.stringLikeRegexp(`both write /opt/lib/x\\.so.*\\[ack: ${WarningIds.LAYER_OVERLAP}\\]$`));
    const unpinned = annotations.findWarning('/TestStack', Match.stringLikeRegexp(`is not pinned.*\\[ack: ${WarningIds.LAYER_IMAGE_NOT_PINNED}\\]$`))
      .map(w => String(w.entry.data).match(/^fromImage\("([^"]+)"\)/)?.[1]);
    expect(unpinned).toEqual(['example.com/agent', 'example.com/agent:latest', 'localhost:5000/agent']);
  });
});
