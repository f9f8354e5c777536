import { wildcardRegExp } from '../../../src/cli/apigw/wildcards';

test.each<[string, Parameters<typeof wildcardRegExp>[1], string, boolean]>([
  ['arn:*:x/*/GET/*', { question: true }, 'arn:aws:x/prod/GET/a/b', true],
  ['arn:aws:x/prod/GET/a?', { question: true }, 'arn:aws:x/prod/GET/ab', true],
  ['a?', {}, 'ab', false], // ? is literal unless asked for
  ['a?', {}, 'a?', true],
  ['https://*.example.com', { flags: 'i' }, 'https://App.Example.com', true],
  ['https://*.example.com', {}, 'https://example.com', false],
  ['https://cognito-idp.*.amazonaws.com/*', { star: '[^/]*' }, 'https://cognito-idp.eu-west-1.amazonaws.com/pool', true],
  ['https://cognito-idp.*.amazonaws.com/*', { star: '[^/]*' }, 'https://cognito-idp.eu-west-1.amazonaws.com/pool/extra', false],
  ['a.b+(c)', {}, 'a.b+(c)', true], // everything else literal
  ['a.b', {}, 'axb', false],
])('%s with %j against %s: %s', (pattern, options, value, matches) => {
  expect(wildcardRegExp(pattern, options).test(value)).toBe(matches);
});
