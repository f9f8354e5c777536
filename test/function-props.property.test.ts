/**
 * Property: random props of LambdaContainerFunction never fail with anything but this library's
 * own validation errors (`<path>: invalid <prop> <value>: <why>. Fix: <fix>.`), and every accepted
 * combination synthesizes an image function that says what the props asked for.
 */
import { Duration, Size } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import fc from 'fast-check';
import { newStack, tempTree } from './util';
import { BaseImage, LambdaContainerFunction } from '../src';

const OUR_ERROR = /^TestStack\/Fn: invalid \S+( \S+)*? .+: .+\. Fix: .+\.$/s;
const CDK_VALIDATION_HEADER = 'Validation failed with the following errors:';

/** Mostly valid values, sometimes the edges and beyond (the generator must reach both outcomes). */
const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>) =>
  fc.option(fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: invalid, weight: 1 }), { nil: undefined, freq: 3 });
const envName = fc.oneof({ arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/), weight: 8 }, { arbitrary: fc.constantFrom('AWS_REGION', 'AWS_LAMBDA_FUNCTION_NAME', '_HANDLER', 'LANG'), weight: 1 });
const props = fc.record({
  base: fc.constantFrom('python', 'nodejs', 'provided'),
  memorySize: mostly(fc.integer({ min: 128, max: 10_240 }), fc.oneof(fc.integer({ min: -5, max: 127 }), fc.integer({ min: 10_241, max: 12_000 }))),
  timeoutSeconds: mostly(fc.integer({ min: 1, max: 900 }), fc.constantFrom(0, 901, 3_600)),
  ephemeralMiB: mostly(fc.integer({ min: 512, max: 10_240 }), fc.constantFrom(0, 511, 10_241)),
  cmd: mostly(fc.array(fc.string({ minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 3 }), fc.constant([])),
  entrypoint: mostly(fc.constantFrom(['/var/task/bootstrap'], ['/bin/sh', '-c', 'exec /var/task/bootstrap']), fc.oneof(fc.constant([]), fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 2 }))),
  workingDirectory: mostly(fc.constantFrom('/var/task', '/function', '/opt/app'), fc.oneof(fc.string({ maxLength: 12 }), fc.constant('/' + 'a'.repeat(1_001)))),
  environment: mostly(fc.dictionary(envName, fc.string({ maxLength: 16 }), { maxKeys: 3 }), fc.constant({ A: 'x'.repeat(5_000) })),
  arm64: fc.boolean(),
});

test('random props synthesize or fail with our own validation error', () => {
  const code = tempTree({ 'app.py': '', 'index.mjs': '', 'bootstrap': '#!/bin/sh\n' });
  const outcomes = { synthesized: 0, refused: 0 };
  fc.assert(fc.property(props, p => {
    const { stack } = newStack();
    const baseImage = p.base === 'python' ? BaseImage.python('3.13') : p.base === 'nodejs' ? BaseImage.nodejs('22') : BaseImage.providedAl2023();
    let template: Template;
    try {
      new LambdaContainerFunction(stack, 'Fn', {
        baseImage,
        code,
        memorySize: p.memorySize,
        timeout: p.timeoutSeconds === undefined ? undefined : Duration.seconds(p.timeoutSeconds),
        ephemeralStorageSize: p.ephemeralMiB === undefined ? undefined : Size.mebibytes(p.ephemeralMiB),
        cmd: p.cmd,
        entrypoint: p.entrypoint,
        workingDirectory: p.workingDirectory,
        environment: p.environment,
        architecture: p.arm64 ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64,
      });
      template = Template.fromStack(stack);
    } catch (err) {
      const message = String((err as Error).message);
      // One problem per line, each in our format: thrown by the construct, or (limits that
      // addEnvironment can still change) reported by its node validation at synth, which
      // aws-cdk-lib prefixes with a header and the construct path.
      const deferred = message.startsWith(CDK_VALIDATION_HEADER);
      const lines = deferred ? message.slice(CDK_VALIDATION_HEADER.length).trim().split('\n').map(l => l.replace(/^\s*\[TestStack\/Fn\] /, '')) : message.split('\n');
      for (const line of lines) expect(line).toMatch(OUR_ERROR);
      outcomes.refused++;
      return;
    }
    outcomes.synthesized++;
    const fn = Object.values<any>(template.findResources('AWS::Lambda::Function')).find(r => r.Properties.PackageType === 'Image');
    expect(fn.Properties.Architectures).toEqual([p.arm64 ? 'arm64' : 'x86_64']);
    if (p.memorySize !== undefined) expect(fn.Properties.MemorySize).toBe(p.memorySize);
    if (p.timeoutSeconds !== undefined) expect(fn.Properties.Timeout).toBe(p.timeoutSeconds);
    if (p.cmd !== undefined && p.cmd.length > 0) expect(fn.Properties.ImageConfig.Command).toEqual(p.cmd);
  }), { numRuns: 300, seed: 20261202 });
  console.log(`function props property: ${JSON.stringify(outcomes)}`);
  // Both outcomes occur: the generator reaches valid and invalid props.
  expect(outcomes.synthesized).toBeGreaterThan(20);
  expect(outcomes.refused).toBeGreaterThan(20);
});
