import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ExtensionImageLayer, LayerImage } from '../../src';
import { architectureName } from '../../src/private/architecture';
import { newStack, telemetryDir } from '../util';

describe('architectureName', () => {
  test('names x86_64 and arm64 as AWS base image tags spell them', () => {
    expect(architectureName('TestStack/Fn', lambda.Architecture.X86_64)).toBe('x86_64');
    expect(architectureName('TestStack/Fn', lambda.Architecture.ARM_64)).toBe('arm64');
  });

  test('refuses any other architecture with the construct path, the value and the fix', () => {
    expect(() => architectureName('TestStack/Fn', lambda.Architecture.custom('riscv64')))
      .toThrow('TestStack/Fn: invalid architecture "riscv64": Lambda runs x86_64 or arm64 images only. Fix: use lambda.Architecture.X86_64 or lambda.Architecture.ARM_64.');
  });

  test('a LayerImage of another architecture is refused, not built for x86_64', () => {
    const { stack } = newStack();
    expect(() => new LayerImage(stack, 'Layers', { imageLayers: [ExtensionImageLayer.fromDirectory(telemetryDir())], architecture: lambda.Architecture.custom('riscv64') }))
      .toThrow(/^TestStack\/Layers: invalid architecture "riscv64": Lambda runs x86_64 or arm64 images only\./);
  });
});
