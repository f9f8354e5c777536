import * as path from 'path';
import { BaseImage, LambdaContainerFunction } from '../../../src';
import { describeDockerfile, findFunction, readImageFunctions } from '../../../src/cli/local/assembly';
import { newStack, synthesizedApp, tempTree } from '../../util';

describe('readImageFunctions', () => {
  test('joins each image function with its asset', () => {
    const dir = synthesizedApp();
    const fns = readImageFunctions(dir);
    expect(fns.map(f => f.path)).toEqual(['TestStack/A', 'TestStack/B']);
    expect(fns[0].asset?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(fns[0].asset?.hash).toBe(fns[1].asset?.hash);
    expect(fns[1].imageConfig).toEqual({ Command: ['app.b'] });
    expect(describeDockerfile(path.join(fns[0].asset!.directory, 'Dockerfile'))).toEqual({ finalFrom: 'public.ecr.aws/lambda/python:3.13-x86_64', generated: true, layers: [] });
  });

  test('explains what to do when the directory is not a cloud assembly', () => {
    expect(() => readImageFunctions(tempTree({ x: '' }))).toThrow(/not a cloud assembly \(no manifest\.json\)\. Run `cdk synth` first/);
  });
});

describe('findFunction', () => {
  test('finds a function by path, last path part, logical ID, or logical ID without its hash', () => {
    const { app, stack } = newStack();
    new LambdaContainerFunction(stack, 'Resize', { baseImage: BaseImage.python('3.13'), entry: tempTree({ 'app.py': '' }), cmd: ['app.h'] });
    const dir = app.synth().directory;
    const logicalId = readImageFunctions(dir)[0].logicalId;
    for (const name of ['Resize', logicalId]) {
      expect(findFunction(dir, name).logicalId).toBe(logicalId);
    }
    expect(() => findFunction(dir, 'Crop')).toThrow(new RegExp(`no container-image function "Crop" in .*Functions: TestStack/${logicalId}`));
  });
});
