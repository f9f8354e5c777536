import { BaseImage } from '../src/base-image';
import { RuntimeInterfaceClient } from '../src/runtime-interface-client';

const DIGEST = 'sha256:' + 'a'.repeat(64);

describe('BaseImage', () => {
  test.each([
    [BaseImage.python('3.12'), 'public.ecr.aws/lambda/python:3.12-arm64'],
    [BaseImage.nodejs('22'), 'public.ecr.aws/lambda/nodejs:22-arm64'],
    [BaseImage.java('21'), 'public.ecr.aws/lambda/java:21-arm64'],
    [BaseImage.dotnet('8'), 'public.ecr.aws/lambda/dotnet:8-arm64'],
    [BaseImage.ruby('3.4'), 'public.ecr.aws/lambda/ruby:3.4-arm64'],
    [BaseImage.providedAl2023(), 'public.ecr.aws/lambda/provided:al2023-arm64'],
    [BaseImage.providedAl2(), 'public.ecr.aws/lambda/provided:al2-arm64'],
  ])('uses the architecture-specific tag of %s', (image, expected) => {
    expect(image._uriFor('arm64')).toBe(expected);
    expect(image._uriFor('x86_64')).toBe(expected.replace('-arm64', '-x86_64'));
    expect(image.isAwsBaseImage).toBe(true);
  });

  test('pins by digest after the architecture tag', () => {
    expect(BaseImage.python('3.12', { digest: DIGEST })._uriFor('x86_64')).toBe(`public.ecr.aws/lambda/python:3.12-x86_64@${DIGEST}`);
  });

  test('pulls from a mirror registry when given', () => {
    expect(BaseImage.nodejs('22', { registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/ecr-public/lambda/' })._uriFor('x86_64'))
      .toBe('123456789012.dkr.ecr.eu-west-1.amazonaws.com/ecr-public/lambda/nodejs:22-x86_64');
  });

  test('throws on a malformed digest, naming the image and the expected format', () => {
    expect(() => BaseImage.python('3.12', { digest: 'sha256:abc' })).toThrow(/python\('3.12'\): invalid digest "sha256:abc".*64 lowercase hex/);
  });

  test('throws on a version that is not a tag', () => {
    expect(() => BaseImage.python('3.12 ')).toThrow(/invalid version "3.12 "/);
  });

  test('leaves registry images as given: --platform picks the architecture', () => {
    const image = BaseImage.fromRegistry('python:3.12-slim', { ric: RuntimeInterfaceClient.python() });
    expect(image._uriFor('arm64')).toBe('python:3.12-slim');
    expect(image.isAwsBaseImage).toBe(false);
    expect(image._requiresHandler).toBe(true);
  });

  test('throws on an invalid registry URI', () => {
    expect(() => BaseImage.fromRegistry('not an image')).toThrow(/^BaseImage\.fromRegistry: invalid imageUri "not an image": not an image reference\. Fix: give a reference such as/);
  });

  test('needs a handler on AWS images (provided too: /lambda-entrypoint.sh takes it) but not on Go', () => {
    expect(BaseImage.python('3.13')._requiresHandler).toBe(true);
    expect(BaseImage.providedAl2023()._requiresHandler).toBe(true);
    expect(BaseImage.fromRegistry('debian:12', { ric: RuntimeInterfaceClient.go() })._requiresHandler).toBe(false);
    expect(BaseImage.fromRegistry('debian:12')._requiresHandler).toBe(false);
  });
});
