import { BaseImage, LambdaContainerFunction } from '../../src';
import { main } from '../../src/cli/main';
import { newStack, PY_CODE, tempTree } from '../util';

/** Runs the CLI with console.log captured: its exit code and what it printed. */
async function run(argv: string[]): Promise<{ code: number; out: string }> {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    const code = await main(argv);
    return { code, out: log.mock.calls.map(c => c.join(' ')).join('\n') };
  } finally {
    log.mockRestore();
  }
}

describe('main', () => {
  test('the CLI rejects unknown commands with usage', async () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await main(['frobnicate'])).toBe(1);
    expect(spy.mock.calls[0][0]).toMatch(/unknown command "frobnicate".*Usage/s);
    spy.mockRestore();
  });

  test('--help prints the usage and succeeds; no command prints it and fails', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: cdk-lambda-container <command> \[options\]\n\nCommands:\n {2}summary /);
    for (const command of ['summary', 'build', 'invoke', 'layers', 'generate-event']) expect(help.out).toMatch(new RegExp(`^ {2}${command} `, 'm'));
    const none = await run([]);
    expect(none.code).toBe(1);
    expect(none.out).toBe(help.out);
  });

  test('summary prints the summary of the cloud assembly it is given', async () => {
    const { app, stack } = newStack();
    new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), code: tempTree(PY_CODE), cmd: ['app.handler'] });
    const dir = app.synth().directory;
    const { code, out } = await run(['summary', dir]);
    expect(code).toBe(0);
    expect(out).toMatch(/: 1 container-image function in 1 stack, 1 distinct image, published to cdk-hnb659fds-container-assets-123456789012-us-east-1\n/);
    expect(out).toMatch(/^ {2}image source {2}generated Dockerfile, FROM public\.ecr\.aws\/lambda\/python:3\.13-x86_64$/m);
  });

  test('generate-event prints the sample event as JSON, with the options given', async () => {
    const { code, out } = await run(['generate-event', 's3-put', '--bucket', 'images', '--key', 'cat.jpg']);
    expect(code).toBe(0);
    expect(JSON.parse(out).Records[0].s3).toMatchObject({ bucket: { name: 'images' }, object: { key: 'cat.jpg' } });
  });

  test('a command without its function or event kind says what is missing', async () => {
    await expect(main(['build'])).rejects.toThrow('missing function. Run `cdk-lambda-container --help`.');
    await expect(main(['generate-event'])).rejects.toThrow('missing event kind. Run `cdk-lambda-container --help`.');
  });

  describe('invoke', () => {
    test('--invocation-type must be RequestResponse or Event, checked before anything runs', async () => {
      await expect(main(['invoke', 'Fn', '--event', __filename, '--invocation-type', 'DryRun'])).rejects.toThrow('--invocation-type must be RequestResponse or Event, not "DryRun"');
    });

    test('--repeat must be a whole number, checked before anything runs', async () => {
      await expect(main(['invoke', 'Fn', '--event', __filename, '--repeat', '0'])).rejects.toThrow(/--repeat must be a whole number of at least 1, not "0"/);
      await expect(main(['invoke', 'Fn', '--event', __filename, '--repeat', '2.5'])).rejects.toThrow(/not "2\.5"/);
    });
  });
});
