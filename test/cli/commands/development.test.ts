import * as fs from 'fs';
import * as path from 'path';
import { BaseImage, LambdaContainerFunction } from '../../../src';
import { developmentSetup } from '../../../src/cli/commands/development';
import { readImageFunctions } from '../../../src/cli/local/assembly';
import { newStack, tempTree } from '../../util';

function assembly() {
  const { app, stack } = newStack({ 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true });
  const entry = tempTree({ 'index.js': 'exports.handler = async () => 1;\n' });
  new LambdaContainerFunction(stack, 'Node', { baseImage: BaseImage.nodejs('22'), entry, cmd: ['index.handler'] });
  return { dir: app.synth().directory, entry };
}

test('--reload says once what each function gets; --debug-port prints the port map and writes launch.json', async () => {
  const { dir, entry } = assembly();
  const lines: string[] = [];
  const launch = path.join(tempTree({}), '.vscode', 'launch.json');
  const dev = await developmentSetup({ reload: true, debugPort: 9400, launchJson: launch }, readImageFunctions(dir), l => lines.push(l));
  expect(lines[0]).toBe(`cdk-lambda-container: reload: TestStack/Node: ${entry} mounted read-only at /var/task (nodejs): a code change answers from new containers with no build; dependency files and the rest of the app rebuild`);
  expect(lines[1]).toMatch(/debuggers \(one container per debugged function; the timeouts of a debugged function and its API are lifted to 900 s\):\n {2}TestStack\/Node: 127\.0\.0\.1:9400 \(Node\.js inspector/);
  expect(lines[2]).toBe(`cdk-lambda-container: wrote 1 attach configuration(s) into ${launch}`);
  expect(JSON.parse(fs.readFileSync(launch, 'utf8')).configurations[0]).toMatchObject({ port: 9400, localRoot: entry, remoteRoot: '/var/task' });
  expect(dev.debugTargets?.get('TestStack/Node')).toMatchObject({ hostPort: 9400, wait: false });
  expect(dev.plans.get('TestStack/Node')).toMatchObject({ mode: 'mount' });
  dev.refresh([]);
  expect(dev.plans.size).toBe(0);
});

test('nothing to debug is said, not an error; without the options nothing is printed', async () => {
  const { dir } = assembly();
  const lines: string[] = [];
  const pulled = readImageFunctions(dir).map(f => ({ ...f, asset: undefined }));
  const dev = await developmentSetup({ debugPort: 9400, debugFunction: [] }, pulled, l => lines.push(l));
  expect(lines).toEqual(['cdk-lambda-container: --debug-port: no Node.js, Python or Java function here to debug']);
  expect(dev.debugTargets?.size).toBe(0);
  const quiet: string[] = [];
  await developmentSetup({}, readImageFunctions(dir), l => quiet.push(l), true);
  expect(quiet).toEqual([]);
});
