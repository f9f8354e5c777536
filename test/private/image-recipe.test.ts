import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { BaseImage } from '../../src/base-image';
import { renderDockerfile } from '../../src/dockerfile/render';
import { ExtensionImageLayer } from '../../src/extension-image-layer';
import { LambdaContainerFunction } from '../../src/function';
import { FunctionImage } from '../../src/function-image';
import { functionImageRecipe } from '../../src/private/image-recipe';
import { RuntimeInterfaceClient } from '../../src/runtime-interface-client';
import { contextOf, newStack, tempTree, telemetryDir } from '../util';

const GOLDEN = path.join(__dirname, '..', 'golden');

/** Compares with test/golden/<name>; UPDATE_GOLDEN=1 rewrites the file (read the diff). */
function expectGolden(name: string, actual: string) {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(file, actual);
  expect(actual).toEqual(fs.readFileSync(file, 'utf8'));
}

describe('golden Dockerfiles (the two shapes of the AWS guide)', () => {
  test('AWS base image: the dependency manifest is installed into ${LAMBDA_TASK_ROOT} before the code, CMD is the handler', () => {
    const base = BaseImage.python('3.12');
    const text = renderDockerfile(functionImageRecipe({
      base: base._uriFor('x86_64'),
      dependencies: { kind: 'pip', files: ['requirements.txt'] },
      image: { cmd: ['lambda_function.handler'] },
    }));
    expectGolden('aws-base-python.Dockerfile', text);
    expect(text.indexOf('pip install')).toBeLessThan(text.indexOf('COPY code/'));
  });

  test('alternative base image + RIC: a multi-stage build whose final stage has no build tools', () => {
    const base = BaseImage.fromRegistry('python:3.12-slim', { ric: RuntimeInterfaceClient.python() });
    const text = renderDockerfile(functionImageRecipe({
      base: base._uriFor('arm64'),
      ric: base.ric!._recipe,
      dependencies: { kind: 'pip', files: ['requirements.txt'] },
      image: { cmd: ['lambda_function.handler'] },
    }));
    expectGolden('alt-base-python-ric.Dockerfile', text);
    const [build, final] = stagesOf(text);
    expect(build).toMatch(/pip install .*awslambdaric/);
    expect(final).not.toMatch(/pip install/);
    expect(final).toMatch(/ENTRYPOINT \[ "\/usr\/local\/bin\/python", "-m", "awslambdaric" \]/);
  });

  test('alternative base image + Node.js RIC: compilers only in the build stage', () => {
    const base = BaseImage.fromRegistry('node:22-bookworm-slim', { ric: RuntimeInterfaceClient.nodejs() });
    const text = renderDockerfile(functionImageRecipe({
      base: base._uriFor('x86_64'),
      ric: base.ric!._recipe,
      dependencies: { kind: 'npm', files: ['package.json', 'package-lock.json'] },
      image: { cmd: ['index.handler'] },
    }));
    expectGolden('alt-base-node-ric.Dockerfile', text);
    const [build, final] = stagesOf(text);
    expect(build).toMatch(/g\+\+/);
    expect(final).not.toMatch(/g\+\+|apt-get/);
  });

  test('Node.js RIC without dependencies: the build stage still creates /function, which the final stage copies (found by the e2e suite)', () => {
    const base = BaseImage.fromRegistry('node:22-bookworm-slim', { ric: RuntimeInterfaceClient.nodejs() });
    const [build, final] = stagesOf(renderDockerfile(functionImageRecipe({ base: base._uriFor('x86_64'), ric: base.ric!._recipe, image: { cmd: ['index.handler'] } })));
    expect(final).toMatch(/^COPY --from=build \/function \/function$/m);
    expect(build).toMatch(/mkdir -p \/ric \/function/);
  });

  test('Go on a plain base: compiled in a golang stage, run as /function/bootstrap', () => {
    const base = BaseImage.fromRegistry('debian:bookworm-slim', { ric: RuntimeInterfaceClient.go() });
    const text = renderDockerfile(functionImageRecipe({ base: base._uriFor('arm64'), ric: base.ric!._recipe, dependencies: { kind: 'go', files: ['go.mod', 'go.sum'] } }));
    expect(stagesOf(text)[0]).toMatch(/^FROM golang:1\.24 AS build/);
    expect(text).toMatch(/CGO_ENABLED=0 go build/);
    expect(text).toMatch(/ENTRYPOINT \[ "\/function\/bootstrap" \]/);
    // The compiled code is copied from the build stage, never the sources.
    expect(stagesOf(text)[1]).not.toMatch(/COPY code\//);
  });
});

describe('ExtensionImageLayer in a generated image', () => {
  test('golden: image layer stage, layers right after FROM, before dependencies and code; wrapper in ENV', () => {
    const { app, stack } = newStack({ 'aws:cdk:enable-asset-metadata': true });
    const code = tempTree({ 'app.py': 'def handler(e, c): return 1\n', 'requirements.txt': 'requests==2.32.3\n' });
    const wrapper = tempTree({ 'wrapper.sh': '#!/bin/sh\nexec "$@"\n' });
    new LambdaContainerFunction(stack, 'Fn', {
      image: FunctionImage.fromEntry(code, {
        baseImage: BaseImage.python('3.13'),
        dependencies: path.join(code, 'requirements.txt'),
        imageLayers: [
          ExtensionImageLayer.fromImage('public.ecr.aws/awsguru/aws-lambda-adapter:0.9.1', { source: '/lambda-adapter', destination: '/opt/extensions/lambda-adapter' }),
          ExtensionImageLayer.fromDirectory(telemetryDir()),
          ExtensionImageLayer.wrapperScript(path.join(wrapper, 'wrapper.sh')),
        ],
      }),
      cmd: ['app.handler'],
    });
    const context = contextOf(app, Template.fromStack(stack));
    const dockerfile = fs.readFileSync(path.join(context, 'Dockerfile'), 'utf8')
      .replace(/layers\/(\d)-[0-9a-f]{16}/g, 'layers/$1-<hash>');
    expectGolden('aws-base-python-layers.Dockerfile', dockerfile);
    const at = (s: string) => dockerfile.indexOf(s);
    expect(at('COPY --from=layer-0')).toBeGreaterThan(at('FROM public.ecr.aws/lambda/python'));
    expect(at('COPY layers/2-')).toBeLessThan(at('COPY deps/'));
    expect(at('COPY deps/')).toBeLessThan(at('COPY code/'));
    expect(dockerfile).toMatch(/^ENV AWS_LAMBDA_EXEC_WRAPPER=\/opt\/wrapper\.sh$/m);
    // Layers are written from WORKDIR /, and the task root is the working directory again after them.
    expect(at('WORKDIR /\n')).toBeLessThan(at('COPY --from=layer-0'));
    expect(at('WORKDIR ${LAMBDA_TASK_ROOT}')).toBeGreaterThan(at('COPY layers/2-'));
    expect(at('WORKDIR ${LAMBDA_TASK_ROOT}')).toBeLessThan(at('COPY deps/'));
  });
});

/** The stages of a rendered Dockerfile (blocks that start with FROM). */
function stagesOf(text: string): string[] {
  return text.split('\n\n').filter(block => block.startsWith('FROM '));
}
