import { COMPOSED_MARKER, composeDockerfile } from '../../src/dockerfile/compose';
import { I } from '../../src/dockerfile/model';
import { parseDockerfile } from '../../src/dockerfile/parse';

const layers = {
  stages: [{ from: 'helper:1', name: 'layer-0', instructions: [I.run('touch /layer/x', 'true')] }],
  copies: [I.copy('/layer/', '/', { from: 'layer-0' }), I.env({ A: '1', B: 'two words' })],
};

describe('composeDockerfile', () => {
  test('puts the layers\' stages before the first FROM (after directives and global ARGs) and their copies right after the final FROM', () => {
    const text = composeDockerfile('# syntax=docker/dockerfile:1\nARG V=1\nFROM a:${V} AS build\nRUN make\nFROM \\\n  b:${V}\nCOPY --from=build /out /out\n', layers);
    const { instructions, directives } = parseDockerfile(text);
    expect(directives).toEqual({ syntax: 'docker/dockerfile:1' });
    expect(instructions.map(i => `${i.stage} ${i.keyword} ${i.args}`)).toEqual([
      '-1 ARG V=1',
      '0 FROM helper:1 AS layer-0',
      '0 RUN touch /layer/x && true',
      '1 FROM a:${V} AS build',
      '1 RUN make',
      '2 FROM b:${V}',
      '2 COPY --from=layer-0 /layer/ /',
      '2 ENV A=1 B="two words"',
      '2 COPY --from=build /out /out',
    ]);
    expect(text).toContain(`# ${COMPOSED_MARKER} the layers, first in the final stage.`);
  });

  test('writes what it adds with the Dockerfile\'s own escape character', () => {
    const text = composeDockerfile('# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN dir C:\\ `\n  && echo done\n', layers);
    expect(text).toContain('RUN touch /layer/x `\n    && true');
    expect(text).not.toMatch(/\\\n/);
    expect(parseDockerfile(text).instructions.map(i => i.keyword)).toEqual(['FROM', 'RUN', 'FROM', 'COPY', 'ENV', 'RUN']);
  });

  test('refuses a Dockerfile without FROM', () => {
    expect(() => composeDockerfile('# only a comment\n', layers)).toThrow('the Dockerfile has no FROM instruction');
  });
});
