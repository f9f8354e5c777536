import * as fs from 'fs';
import * as path from 'path';
import { BaseImage } from '../../src/base-image';
import { renderDockerfile } from '../../src/dockerfile/render';
import { functionImageRecipe } from '../../src/private/image-recipe';
import { RuntimeInterfaceClient } from '../../src/runtime-interface-client';

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

/** The stages of a rendered Dockerfile (blocks that start with FROM). */
function stagesOf(text: string): string[] {
  return text.split('\n\n').filter(block => block.startsWith('FROM '));
}
