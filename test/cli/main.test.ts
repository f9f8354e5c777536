import { main } from '../../src/cli/main';

describe('main', () => {
  test('the CLI rejects unknown commands with usage', async () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await main(['frobnicate'])).toBe(1);
    expect(spy.mock.calls[0][0]).toMatch(/unknown command "frobnicate".*Usage/s);
    spy.mockRestore();
  });

  describe('invoke', () => {
    test('--repeat must be a whole number, checked before anything runs', async () => {
      await expect(main(['invoke', 'Fn', '--event', __filename, '--repeat', '0'])).rejects.toThrow(/--repeat must be a whole number of at least 1, not "0"/);
      await expect(main(['invoke', 'Fn', '--event', __filename, '--repeat', '2.5'])).rejects.toThrow(/not "2\.5"/);
    });
  });
});
