import { headerValue } from '../../../src/cli/apigw/headers';

test('the last value of a header, whatever the case of its name', () => {
  const headers: Array<[string, string]> = [['Origin', 'https://a'], ['X-Id', '1'], ['origin', 'https://b']];
  expect(headerValue(headers, 'origin')).toBe('https://b');
  expect(headerValue(headers, 'x-id')).toBe('1');
  expect(headerValue(headers, 'authorization')).toBeUndefined();
});
