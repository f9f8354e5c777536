import * as path from 'path';
import { UsageError } from '../../../src/cli/errors';
import { ImageFunction } from '../../../src/cli/local/assembly';
import { envOverrides, readEnvVars } from '../../../src/cli/local/env-vars';
import { tempTree } from '../../util';

const fn = {
  stack: 'S',
  logicalId: 'Orders1A2B3C4D',
  path: 'S/Orders',
  architecture: 'x86_64',
  imageConfig: {},
  imageUri: '',
  environment: { TABLE_NAME: { Ref: 'Table' }, STAGE: 'prod', LOG_LEVEL: 'info' },
} as ImageFunction;

const file = (content: string) => path.join(tempTree({ 'env.json': content }), 'env.json');

describe('readEnvVars', () => {
  test('reads SAM\'s format, values as strings', () => {
    expect(readEnvVars(file('{"Orders": {"TABLE_NAME": "local", "RETRIES": 3, "DEBUG": true}, "Parameters": {"STAGE": "dev"}}')))
      .toEqual({ Orders: { TABLE_NAME: 'local', RETRIES: '3', DEBUG: 'true' }, Parameters: { STAGE: 'dev' } });
  });

  test.each([
    ['not JSON', '{nope', /not a readable JSON file/],
    ['an array', '[]', /the top level must be an object/],
    ['a function entry that is not an object', '{"Orders": "x"}', /"Orders" must be an object of variables/],
    ['a nested value', '{"Orders": {"A": {"b": 1}}}', /Orders\.A must be a string, number or boolean/],
  ])('refuses %s with a usage error that shows the expected shape', (_, content, message) => {
    const read = () => readEnvVars(file(content));
    expect(read).toThrow(UsageError);
    expect(read).toThrow(message);
  });
});

describe('envOverrides', () => {
  test('Parameters apply to every function, its own entry wins; by logical ID, path or last part', () => {
    for (const key of ['Orders1A2B3C4D', 'S/Orders', 'Orders']) {
      expect(envOverrides({ Parameters: { STAGE: 'dev', LOG_LEVEL: 'debug' }, [key]: { STAGE: 'test', TABLE_NAME: 'local' } }, fn).set)
        .toEqual({ STAGE: 'test', LOG_LEVEL: 'debug', TABLE_NAME: 'local' });
    }
  });

  test('sets only what the template declares, and names what its own entry sets in vain', () => {
    const { set, ignored } = envOverrides({ Parameters: { OTHER: 'x' }, Orders: { TABLE_NAME: 'local', TYPO_NAME: 'y' }, Another: { STAGE: 'z' } }, fn);
    expect(set).toEqual({ TABLE_NAME: 'local' });
    expect(ignored).toEqual(['TYPO_NAME']);
  });
});
