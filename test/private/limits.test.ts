import { checkEnvironment, checkEphemeralStorage, checkImageConfig, checkMemorySize, checkTimeout, environmentBytes, isAbsolute, LIMITS } from '../../src/private/limits';

describe('checkMemorySize', () => {
  test.each([128, 1769, 10240])('accepts %d MB', mb => expect(checkMemorySize(mb)).toEqual([]));
  test.each([127, 10241, 0, 512.5])('rejects %d MB and says the range', mb => {
    const [p] = checkMemorySize(mb);
    expect(p.prop).toBe('memorySize');
    expect(p.message).toMatch(/128 to 10240 MB/);
  });
});

describe('checkTimeout', () => {
  test('accepts 900 s and rejects 901 s', () => {
    expect(checkTimeout(900)).toEqual([]);
    expect(checkTimeout(901)[0].message).toMatch(/900 seconds/);
  });
});

describe('checkEphemeralStorage', () => {
  test('accepts 512..10240 MB only', () => {
    expect(checkEphemeralStorage(512)).toEqual([]);
    expect(checkEphemeralStorage(10240)).toEqual([]);
    expect(checkEphemeralStorage(511)).toHaveLength(1);
    expect(checkEphemeralStorage(10241)).toHaveLength(1);
  });
});

describe('checkImageConfig', () => {
  test('rejects a relative ENTRYPOINT and suggests an absolute one', () => {
    const [p] = checkImageConfig({ entrypoint: ['bootstrap'] });
    expect(p.prop).toBe('entrypoint');
    expect(p.fix).toMatch(/\/var\/task\/bootstrap/);
  });

  test('rejects a relative WORKDIR', () => {
    expect(checkImageConfig({ workingDirectory: 'app' })[0].prop).toBe('workingDirectory');
  });

  test('accepts ${LAMBDA_TASK_ROOT}-relative paths as absolute', () => {
    expect(isAbsolute('${LAMBDA_TASK_ROOT}/bootstrap')).toBe(true);
    expect(isAbsolute('$LAMBDA_TASK_ROOT')).toBe(true);
    expect(isAbsolute('./x')).toBe(false);
  });

  test('enforces ImageConfig entry and length limits at their exact boundaries', () => {
    const n = LIMITS.imageConfigCommandMaxEntries;
    expect(checkImageConfig({ cmd: Array(n).fill('a') })).toEqual([]);
    expect(checkImageConfig({ cmd: Array(n + 1).fill('a') })[0].prop).toBe('cmd');
    expect(checkImageConfig({ entrypoint: ['/x', ...Array(n).fill('a')] })[0].prop).toBe('entrypoint');
    expect(checkImageConfig({ workingDirectory: '/' + 'a'.repeat(999) })).toEqual([]);
    expect(checkImageConfig({ workingDirectory: '/' + 'a'.repeat(1000) })[0].message).toMatch(/1000 characters/);
  });

  test('rejects an empty ENTRYPOINT', () => {
    expect(checkImageConfig({ entrypoint: [] })[0].message).toMatch(/nothing to run/);
  });
});

describe('checkEnvironment', () => {
  test('counts UTF-8 bytes of keys and values', () => {
    expect(environmentBytes({ AB: 'é' })).toBe(4);
  });

  test('accepts exactly 4096 bytes and rejects 4097, naming the largest variable', () => {
    const key = 'BIG';
    expect(checkEnvironment({ [key]: 'x'.repeat(4096 - key.length) })).toEqual([]);
    const [p] = checkEnvironment({ [key]: 'x'.repeat(4097 - key.length) });
    expect(p.value).toBe('(4097 bytes)');
    expect(p.fix).toMatch(/largest is BIG/);
  });

  test('rejects reserved names Lambda sets itself, but not opt-in ones like AWS_LAMBDA_EXEC_WRAPPER', () => {
    expect(checkEnvironment({ AWS_REGION: 'x', _HANDLER: 'y', LAMBDA_TASK_ROOT: 'z' })[0].value).toBe('AWS_REGION, _HANDLER, LAMBDA_TASK_ROOT');
    expect(checkEnvironment({ AWS_LAMBDA_EXEC_WRAPPER: '/opt/wrapper', LAMBDA_RUNTIME_DIR_X: '1' })).toEqual([]);
  });
});
