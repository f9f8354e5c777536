import * as fs from 'fs';
import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { newStack, tempTree, telemetryDir } from './util';
import { ExtensionImageLayer, LayerImage, LayerImageProps } from '../src';

describe('LayerImage', () => {
  test('the layers as an image of their own: FROM scratch, one asset named after its content', () => {
    const { app, stack } = newStack();
    const image = new LayerImage(stack, 'Telemetry', { imageLayers: [ExtensionImageLayer.fromDirectory(telemetryDir())], architecture: lambda.Architecture.ARM_64 });
    app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, 'TestStack.assets.json'), 'utf8'));
    const [[hash, asset]] = Object.entries<any>(manifest.dockerImages);
    expect(image.imageTag).toBe(hash);
    expect(asset.source.platform).toBe('linux/arm64');
    const dockerfile = fs.readFileSync(path.join(app.outdir, asset.source.directory, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM scratch\n# Layers and extensions.*\n# layer: fromDirectory\(telemetry\)\nCOPY layers\/0-[0-9a-f]{16}\/ \/\n$/m);
    expect(stack.resolve(image.imageUri)).toEqual({ 'Fn::Sub': expect.stringContaining(`:${hash}`) });
  });

  test('needs at least one layer, and checks them as a function does', () => {
    const { stack } = newStack();
    expect(() => new LayerImage(stack, 'Old', { layers: [ExtensionImageLayer.fromDirectory(telemetryDir())] } as unknown as LayerImageProps))
      .toThrow(/^TestStack\/Old: invalid layers \(set\): this prop of LayerImage was renamed before 1\.0, and is ignored\. Fix: use imageLayers\.$/);
    expect(() => new LayerImage(stack, 'Empty', { imageLayers: [] })).toThrow(/^TestStack\/Empty: invalid imageLayers \[\]: a layer image needs at least one layer/);
    const dir = tempTree({ 'extensions/agent': '#!/bin/sh\n' });
    fs.chmodSync(path.join(dir, 'extensions/agent'), 0o644);
    expect(() => new LayerImage(stack, 'Bad', { imageLayers: [ExtensionImageLayer.fromDirectory(dir)] })).toThrow(/^TestStack\/Bad: invalid imageLayers.*not executable/);
  });
});
