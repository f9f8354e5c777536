import { checkLayers, LayerFile, LayerPlan } from '../../src/private/layer-plan';

const file = (relativePath: string, mode = 0o644, size = 10): LayerFile => ({ relativePath, mode, size, source: Buffer.alloc(0) });
const dirLayer = (description: string, files: LayerFile[], destination = '/opt', extra: Partial<LayerPlan> = {}): LayerPlan =>
  ({ description, label: description, destination, allowOutsideOpt: false, content: { kind: 'files', files }, ...extra });

describe('checkLayers', () => {
  test('a clean set of layers: no error, no warning', () => {
    const result = checkLayers([
      dirLayer('fromDirectory("telemetry")', [file('extensions/telemetry', 0o755), file('telemetry/config.json')]),
      { description: 'fromImage("adapter")', label: 'adapter', destination: '/opt/extensions/lambda-adapter', allowOutsideOpt: false, content: { kind: 'image', uri: 'adapter:1', source: '/lambda-adapter' } },
    ]);
    expect(result).toEqual({ errors: [], warnings: [], environment: {} });
  });

  test('files directly in /opt/extensions must be executable: the error lists each offender and its layer', () => {
    const { errors } = checkLayers([dirLayer('fromDirectory("ext")', [file('extensions/a', 0o644), file('extensions/b', 0o755), file('extensions/lib/helper.py', 0o644), file('extensions/c', 0o600)])]);
    expect(errors).toHaveLength(1);
    expect(errors[0].value).toBe('/opt/extensions/a (from fromDirectory("ext")), /opt/extensions/c (from fromDirectory("ext"))');
    expect(errors[0].message).toMatch(/not executable/);
    expect(errors[0].fix).toMatch(/chmod \+x/);
  });

  test('at most 10 external extensions, counting image layers copied to /opt/extensions/<name>', () => {
    const ten = Array.from({ length: 10 }, (_, i) => file(`extensions/e${i}`, 0o755));
    expect(checkLayers([dirLayer('d', ten)]).errors).toEqual([]);
    const adapter: LayerPlan = { description: 'fromImage("adapter")', label: 'adapter', destination: '/opt/extensions/lambda-adapter', allowOutsideOpt: false, content: { kind: 'image', uri: 'a:1', source: '/lambda-adapter' } };
    const { errors } = checkLayers([dirLayer('d', ten), adapter]);
    expect(errors.map(e => e.message)).toEqual(['Lambda runs at most 10 external extensions']);
    expect(errors[0].value).toMatch(/^11 extensions \(/);
  });

  test('destinations are absolute and under /opt unless allowed', () => {
    expect(checkLayers([dirLayer('d', [file('x')], 'opt/x')]).errors[0]).toMatchObject({ prop: 'layers[0] destination', value: '"opt/x"' });
    const outside = checkLayers([dirLayer('d', [file('x')], '/usr/local/lib')]).errors;
    expect(outside[0]).toMatchObject({ prop: 'layers[0] destination', value: '"/usr/local/lib"' });
    expect(outside[0].fix).toMatch(/allowOutsideOpt: true/);
    expect(checkLayers([dirLayer('d', [file('x')], '/usr/local/lib', { allowOutsideOpt: true })]).errors).toEqual([]);
    expect(checkLayers([dirLayer('d', [file('x')], '/optional')]).errors).toHaveLength(1); // a prefix is not a parent
  });

  test('two layers writing the same path: a warning naming both, the later wins', () => {
    const { warnings, errors } = checkLayers([
      dirLayer('fromDirectory("a")', [file('lib/x.so'), file('lib/y.so'), file('only-a')]),
      dirLayer('fromLayerAsset("b.zip")', [file('lib/x.so'), file('lib/y.so')]),
    ]);
    expect(errors).toEqual([]);
    expect(warnings).toEqual(['fromDirectory("a") and fromLayerAsset("b.zip") both write /opt/lib/x.so, /opt/lib/y.so: the later layer (fromLayerAsset("b.zip")) wins']);
  });

  test('known sizes count against the 10 GiB image limit', () => {
    const { errors } = checkLayers([dirLayer('d', [file('big', 0o644, 6 * 1024 ** 3), file('bigger', 0o644, 5 * 1024 ** 3)])]);
    expect(errors.map(e => e.value)).toEqual(['11.00 GiB']);
  });

  test('runtime hooks join (NODE_OPTIONS, JAVA_TOOL_OPTIONS with spaces, DOTNET_STARTUP_HOOKS with colons)', () => {
    const hook = (d: string, environment: Record<string, string>) => dirLayer(d, [], '/opt', { environment });
    const { environment, errors } = checkLayers([
      hook('a', { NODE_OPTIONS: '--require /opt/a.js', DOTNET_STARTUP_HOOKS: '/opt/A.dll' }),
      hook('b', { NODE_OPTIONS: '--require /opt/b.js', DOTNET_STARTUP_HOOKS: '/opt/B.dll' }),
    ]);
    expect(errors).toEqual([]);
    expect(environment).toEqual({ NODE_OPTIONS: '--require /opt/a.js --require /opt/b.js', DOTNET_STARTUP_HOOKS: '/opt/A.dll:/opt/B.dll' });
  });

  test('two wrapper scripts are an error: Lambda runs one', () => {
    const { errors } = checkLayers([
      dirLayer('wrapperScript("a.sh")', [file('a.sh', 0o755)], '/opt', { environment: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/a.sh' } }),
      dirLayer('wrapperScript("b.sh")', [file('b.sh', 0o755)], '/opt', { environment: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/b.sh' } }),
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toBe('wrapperScript("b.sh") sets AWS_LAMBDA_EXEC_WRAPPER, which wrapperScript("a.sh") already sets to "/opt/a.sh"; only one can apply (Lambda runs one wrapper script)');
  });
});
