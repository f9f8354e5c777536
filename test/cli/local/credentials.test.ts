import { credentialVariables, PLACEHOLDER_CREDENTIALS } from '../../../src/cli/local/credentials';

describe('credentialVariables (D10)', () => {
  test('what the chain resolves (a profile, SSO, a container role…) reaches the function, session token included', async () => {
    const vars = await credentialVariables({ source: async () => ({ accessKeyId: 'ASIAFROMPROFILE', secretAccessKey: 's', sessionToken: 't' }) });
    expect(vars).toEqual({ AWS_ACCESS_KEY_ID: 'ASIAFROMPROFILE', AWS_SECRET_ACCESS_KEY: 's', AWS_SESSION_TOKEN: 't' });
  });

  test('nothing resolves, or not in time: SAM\'s placeholder keys, and the reason said', async () => {
    const reasons: string[] = [];
    const onFallback = (why: string) => reasons.push(why);
    expect(await credentialVariables({ source: async () => { throw new Error('Could not load credentials from any providers'); }, onFallback })).toEqual(PLACEHOLDER_CREDENTIALS);
    expect(await credentialVariables({ source: () => new Promise(() => undefined), timeoutMs: 50, onFallback })).toEqual(PLACEHOLDER_CREDENTIALS);
    expect(reasons).toEqual(['Could not load credentials from any providers', 'no answer within 0.05 s']);
  });

  test('--no-credentials passes none', async () => {
    expect(await credentialVariables({ none: true, source: async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }) })).toEqual({});
  });

  test('the default chain reads the environment as the SDK does', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'envsecret', AWS_EC2_METADATA_DISABLED: 'true' });
    try {
      expect(await credentialVariables()).toMatchObject({ AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'envsecret' });
    } finally {
      process.env = saved;
    }
  });
});
