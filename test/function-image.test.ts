import * as fs from 'fs';
import * as path from 'path';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { dockerImages, newStack, PY_CODE, tempTree } from './util';
import { BaseImage, FunctionImage } from '../src';

describe('FunctionImage', () => {
  test('fromEntry binds to a generated build context, an image asset of the stack for the architecture', () => {
    const { app, stack } = newStack();
    const bound = FunctionImage.fromEntry(tempTree(PY_CODE), { baseImage: BaseImage.python('3.13') })._bind(stack, lambda.Architecture.ARM_64);
    const [[hash, image]] = Object.entries(dockerImages(app));
    expect(image.source).toMatchObject({ directory: `asset.${hash}`, platform: 'linux/arm64' });
    expect(fs.readFileSync(path.join(app.outdir, image.source.directory, 'Dockerfile'), 'utf8')).toMatch(/^FROM public\.ecr\.aws\/lambda\/python:3\.13-arm64$/m);
    expect(stack.resolve(bound.imageUri)).toEqual({ 'Fn::Sub': expect.stringContaining(`:${hash}`) });
  });

  test('fromImageAsset binds to your build context, an image asset of the stack for the architecture', () => {
    const { app, stack } = newStack();
    const dockerfile = 'FROM public.ecr.aws/lambda/python:3.13\nCOPY app.py ${LAMBDA_TASK_ROOT}/\nCMD ["app.handler"]\n';
    const bound = FunctionImage.fromImageAsset(tempTree({ 'Dockerfile': dockerfile, 'app.py': '' }))._bind(stack, lambda.Architecture.X86_64);
    const [[hash, image]] = Object.entries(dockerImages(app));
    expect(image.source).toMatchObject({ directory: `asset.${hash}`, platform: 'linux/amd64' });
    expect(fs.readFileSync(path.join(app.outdir, image.source.directory, 'Dockerfile'), 'utf8')).toBe(dockerfile);
    expect(stack.resolve(bound.imageUri)).toEqual({ 'Fn::Sub': expect.stringContaining(`:${hash}`) });
  });

  test('fromEcr binds to the repository URI at the tag or digest, with no asset to build', () => {
    const { app, stack } = newStack();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'functions');
    const bound = FunctionImage.fromEcr(repository, { tagOrDigest: 'v1' })._bind(stack, lambda.Architecture.X86_64);
    expect(stack.resolve(bound.imageUri)).toEqual({ 'Fn::Join': ['', ['123456789012.dkr.ecr.us-east-1.', { Ref: 'AWS::URLSuffix' }, '/functions:v1']] });
    expect(dockerImages(app)).toEqual({});
  });
});
