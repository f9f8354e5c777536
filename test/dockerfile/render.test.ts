import { I } from '../../src/dockerfile/model';
import { renderDockerfile, renderInstruction } from '../../src/dockerfile/render';
import { functionImageRecipe } from '../../src/private/image-recipe';

describe('renderInstruction', () => {
  test('renders ENTRYPOINT and CMD in exec form, so no shell sits between Lambda and the process', () => {
    expect(renderInstruction(I.entrypoint(['/usr/local/bin/python', '-m', 'awslambdaric']))).toBe('ENTRYPOINT [ "/usr/local/bin/python", "-m", "awslambdaric" ]');
    expect(renderInstruction(I.cmd(['app.handler']))).toBe('CMD [ "app.handler" ]');
  });

  test('quotes ENV values with spaces and joins several variables', () => {
    expect(renderInstruction(I.env({ A: '1', B: 'two words' }))).toBe('ENV A=1 \\\n    B="two words"');
  });

  test('uses the JSON form of COPY when a path has a space, and renders --from', () => {
    expect(renderInstruction(I.copy('my dir/', '/opt/'))).toBe('COPY ["my dir/","/opt/"]');
    expect(renderInstruction(I.copy('/function', '/function', { from: 'build' }))).toBe('COPY --from=build /function /function');
  });

  test('chains RUN commands with && on continuation lines', () => {
    expect(renderInstruction(I.run('a', 'b'))).toBe('RUN a \\\n    && b');
  });

  test('renders multi-line comments', () => {
    expect(renderInstruction(I.comment('one\ntwo'))).toBe('# one\n# two');
  });

  test('quotes ENV values as Docker reads them back: quotes and the escape character escaped', () => {
    expect(renderInstruction(I.env({ A: 'say "hi"', B: 'C:\\dir', C: '' }))).toBe('ENV A="say \\"hi\\"" \\\n    B="C:\\\\dir" \\\n    C=""');
  });

  test('continues lines with the Dockerfile\'s escape character', () => {
    expect(renderInstruction(I.run('a', 'b'), { escape: '`' })).toBe('RUN a `\n    && b');
    expect(renderInstruction(I.env({ A: 'x`y', B: 'a\\b' }), { escape: '`' })).toBe('ENV A="x``y" `\n    B="a\\b"');
  });
});

describe('renderDockerfile', () => {
  test('renders the header, then the stages, named when they have a name', () => {
    const text = renderDockerfile({
      header: ['made by a test'],
      stages: [{ from: 'debian:12', name: 'build', instructions: [I.run('true')] }, { from: 'scratch', instructions: [I.copy('/x', '/x', { from: 'build' })] }],
    });
    expect(text).toBe('# made by a test\n\nFROM debian:12 AS build\nRUN true\n\nFROM scratch\nCOPY --from=build /x /x\n');
  });

  test('is deterministic: the same model renders the same bytes', () => {
    const model = functionImageRecipe({ base: 'b', dependencies: { kind: 'pip', files: ['requirements.txt'] }, image: { environment: { B: '2', A: '1' } } });
    expect(renderDockerfile(model)).toBe(renderDockerfile(model));
  });
});
