import * as fs from 'fs';
import * as path from 'path';
import { ImageFunction } from '../../../src/cli/local/assembly';
import { debugContainer, debugTargets, DebugTarget, formatDebugTargets, launchConfigurations, writeLaunchJson } from '../../../src/cli/local/debug';
import { tempTree } from '../../util';

const fn = (p: string): ImageFunction => ({
  stack: 'S', logicalId: p.replace(/\W/g, ''), path: p, architecture: 'x86_64', imageConfig: {}, environment: {}, imageUri: '', code: { directory: `/src/${p}`, exclude: [] },
});
const FUNCTIONS = [fn('S/Node'), fn('S/Py'), fn('S/Go'), fn('S/Java')];
const PLANS = new Map<string, { language?: any; mode?: any; codeDir?: string; codePath?: string }>([
  ['S/Node', { mode: 'mount', language: 'nodejs', codeDir: '/src/node', codePath: '/var/task' }],
  ['S/Py', { mode: 'mount', language: 'python', codeDir: '/src/py', codePath: '/var/task' }],
  ['S/Go', { mode: 'rebuild', language: 'go' }],
  ['S/Java', { mode: 'mount', language: 'java', codeDir: '/src/java', codePath: '/function' }],
]);

describe('debugTargets', () => {
  test('every Node.js, Python and Java function gets the next port; Go is left out', () => {
    const targets = debugTargets(FUNCTIONS, PLANS as any, 9229);
    expect(targets.map(t => [t.fn, t.language, t.hostPort, t.codePath])).toEqual([
      ['S/Node', 'nodejs', 9229, '/var/task'], ['S/Py', 'python', 9230, '/var/task'], ['S/Java', 'java', 9231, '/function'],
    ]);
    expect(formatDebugTargets(targets)).toBe([
      '  S/Node: 127.0.0.1:9229 (Node.js inspector (Chrome DevTools Protocol)), /var/task is /src/node',
      '  S/Py: 127.0.0.1:9230 (debugpy (Debug Adapter Protocol)), /var/task is /src/py',
      '  S/Java: 127.0.0.1:9231 (JDWP), /function is /src/java',
    ].join('\n'));
  });

  test('--debug-function selects; a function without a debugger, or none of that name, is a usage error saying why', () => {
    expect(debugTargets(FUNCTIONS, PLANS as any, 5000, ['Py']).map(t => [t.fn, t.hostPort])).toEqual([['S/Py', 5000]]);
    expect(() => debugTargets(FUNCTIONS, PLANS as any, 5000, ['Go'])).toThrow(/--debug-function S\/Go: its runtime \(go\) has no debugger here; Node.js, Python and Java functions do/);
    expect(() => debugTargets(FUNCTIONS, PLANS as any, 5000, ['Nope'])).toThrow(/--debug-function Nope: no container-image function of that name\. Functions: S\/Node, S\/Py, S\/Go, S\/Java/);
  });
});

describe('debugContainer', () => {
  const target = (language: DebugTarget['language'], wait = false): DebugTarget => ({ fn: 'S/F', language, hostPort: 9300, wait });

  test('published: the debugger listens on all of the container\'s interfaces, published on the host\'s 127.0.0.1 only', () => {
    expect(debugContainer(target('nodejs'), ['NODE_OPTIONS=--enable-source-maps'], false)).toEqual({
      env: { NODE_OPTIONS: '--enable-source-maps --inspect=0.0.0.0:9229' }, publish: ['--publish', '127.0.0.1:9300:9229'],
    });
    expect(debugContainer(target('java'), [], false)).toEqual({
      env: { JAVA_TOOL_OPTIONS: '-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=*:5005' }, publish: ['--publish', '127.0.0.1:9300:5005'],
    });
    expect(debugContainer(target('python'), ['PATH=/usr/bin'], false)).toEqual({
      env: { PYTHONPATH: '/cdk-lambda-container/debugpy:/var/runtime', CDK_LAMBDA_CONTAINER_DEBUGPY_LISTEN: '0.0.0.0:5678', PYDEVD_DISABLE_FILE_VALIDATION: '1' },
      publish: ['--publish', '127.0.0.1:9300:5678'],
    });
  });

  test('the host\'s network: the debugger listens on the host\'s port, 127.0.0.1; invoke waits for it', () => {
    expect(debugContainer(target('nodejs', true), [], true)).toEqual({ env: { NODE_OPTIONS: '--inspect-wait=127.0.0.1:9300' }, publish: [] });
    expect(debugContainer(target('java', true), [], true).env.JAVA_TOOL_OPTIONS).toBe('-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=127.0.0.1:9300');
    expect(debugContainer(target('python', true), ['PYTHONPATH=/opt/own'], true).env).toEqual({
      PYTHONPATH: '/cdk-lambda-container/debugpy:/opt/own', CDK_LAMBDA_CONTAINER_DEBUGPY_LISTEN: '127.0.0.1:9300', CDK_LAMBDA_CONTAINER_DEBUGPY_WAIT: '1', PYDEVD_DISABLE_FILE_VALIDATION: '1',
    });
  });
});

describe('launch.json', () => {
  const targets = debugTargets(FUNCTIONS, PLANS as any, 9229);

  test('attach configurations with path mappings from the code directory to the code path', () => {
    expect(launchConfigurations(targets)).toEqual([
      {
        name: 'S/Node (cdk-lambda-container)',
        type: 'node',
        request: 'attach',
        address: '127.0.0.1',
        port: 9229,
        localRoot: '/src/node',
        remoteRoot: '/var/task',
        skipFiles: ['<node_internals>/**', '/var/runtime/**'],
      },
      {
        name: 'S/Py (cdk-lambda-container)',
        type: 'debugpy',
        request: 'attach',
        connect: { host: '127.0.0.1', port: 9230 },
        pathMappings: [{ localRoot: '/src/py', remoteRoot: '/var/task' }],
        justMyCode: true,
      },
      { name: 'S/Java (cdk-lambda-container)', type: 'java', request: 'attach', hostName: '127.0.0.1', port: 9231 },
    ]);
  });

  test('an existing launch.json (with comments) keeps its other configurations; ours are replaced, not added twice', () => {
    const file = path.join(tempTree({}), '.vscode', 'launch.json');
    writeLaunchJson(file, targets);
    const text = fs.readFileSync(file, 'utf8').replace('"configurations": [', '// mine\n  "configurations": [{ "name": "Mine", "type": "node", "request": "launch" },');
    fs.writeFileSync(file, text);
    writeLaunchJson(file, targets.slice(0, 1));
    const written = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(written.version).toBe('0.2.0');
    expect(written.configurations.map((c: { name: string }) => c.name)).toEqual([
      'Mine', 'S/Py (cdk-lambda-container)', 'S/Java (cdk-lambda-container)', 'S/Node (cdk-lambda-container)',
    ]);
    fs.writeFileSync(file, '{ not json');
    expect(() => writeLaunchJson(file, targets)).toThrow(/--launch-json .*launch.json: not JSON/);
  });
});
