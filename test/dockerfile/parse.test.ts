import fc from 'fast-check';
import { DockerfileModel, I, Instruction, Stage } from '../../src/dockerfile/model';
import { envVariables, execFormArgs, ParsedInstruction, parseDockerfile } from '../../src/dockerfile/parse';
import { renderDockerfile } from '../../src/dockerfile/render';

const summary = (text: string) => parseDockerfile(text).instructions.map(i => [i.line, i.endLine, i.stage, i.keyword, i.args]);

describe('parseDockerfile', () => {
  test('joins continuations, skips comment and blank lines inside them, numbers stages and lines', () => {
    expect(summary('# c\nFROM a AS b\nRUN x \\\n  # inner\n\n  && y\nFROM c\nCMD ["z"]\n')).toEqual([
      [2, 2, 0, 'FROM', 'a AS b'],
      [3, 6, 0, 'RUN', 'x && y'],
      [7, 7, 1, 'FROM', 'c'],
      [8, 8, 1, 'CMD', '["z"]'],
    ]);
  });

  test('reads parser directives at the top only, and honours # escape=`', () => {
    const parsed = parseDockerfile('# syntax=docker/dockerfile:1\n# escape=`\nFROM a\nRUN echo C:\\dir `\n  && dir\n# escape=\\\n');
    expect(parsed.directives).toEqual({ syntax: 'docker/dockerfile:1', escape: '`' });
    expect(parsed.escape).toBe('`');
    expect(parsed.instructions.map(i => i.args)).toEqual(['a', 'echo C:\\dir && dir']);
    // After the first instruction a directive is a comment.
    expect(parsed.comments).toEqual([{ line: 6, text: 'escape=\\' }]);
  });

  test('a comment or blank line ends the directives; an unknown directive is a comment', () => {
    expect(parseDockerfile('# hello\n# escape=`\nFROM a\n').directives).toEqual({});
    expect(parseDockerfile('# foo=bar\n# escape=`\nFROM a\n').escape).toBe('\\');
  });

  test('reads heredocs of RUN and COPY as the instruction\'s, not as instructions', () => {
    const parsed = parseDockerfile([
      'FROM a',
      'RUN <<EOF',
      'apt-get install -y gcc',
      'FROM not-a-stage',
      'EOF',
      'COPY <<-"CONF" /etc/app.conf',
      '\tkey=value',
      '\tCONF',
      'RUN python3 <<A && sh <<\'B\'',
      'print(1)',
      'A',
      'echo $HOME',
      'B',
      'CMD ["x"]',
    ].join('\n'));
    expect(parsed.instructions.map(i => [i.keyword, i.line, i.endLine, i.stage])).toEqual([
      ['FROM', 1, 1, 0], ['RUN', 2, 5, 0], ['COPY', 6, 8, 0], ['RUN', 9, 13, 0], ['CMD', 14, 14, 0],
    ]);
    expect(parsed.instructions[1].heredocs).toEqual([{ delimiter: 'EOF', content: 'apt-get install -y gcc\nFROM not-a-stage\n' }]);
    expect(parsed.instructions[2].heredocs).toEqual([{ delimiter: 'CONF', content: 'key=value\n' }]);
    expect(parsed.instructions[3].heredocs.map(h => h.content)).toEqual(['print(1)\n', 'echo $HOME\n']);
  });

  test('splits leading flags from the body', () => {
    const [, copy] = parseDockerfile('FROM a\nCOPY --from=build --chmod=755 /x /y\n').instructions;
    expect(copy.flags).toEqual(['--from=build', '--chmod=755']);
    expect(copy.body).toBe('/x /y');
  });

  test('gives instructions before the first FROM stage -1, and keeps comments with their lines', () => {
    const parsed = parseDockerfile('ARG V=1\n# note\nFROM a:${V}\n');
    expect(parsed.instructions.map(i => [i.keyword, i.stage])).toEqual([['ARG', -1], ['FROM', 0]]);
    expect(parsed.comments).toEqual([{ line: 2, text: 'note' }]);
  });
});

describe('envVariables and execFormArgs', () => {
  test('read ENV pairs (quoted, escaped) and the legacy form', () => {
    expect(envVariables('A=1 B="two words" C=\'x y\' D=a\\ b')).toEqual([['A', '1'], ['B', 'two words'], ['C', 'x y'], ['D', 'a b']]);
    expect(envVariables('NAME value with spaces')).toEqual([['NAME', 'value with spaces']]);
  });

  test('read the exec form, and nothing from the shell form', () => {
    expect(execFormArgs('[ "/bin/x", "-c" ]')).toEqual(['/bin/x', '-c']);
    expect(execFormArgs('/bin/x -c')).toBeUndefined();
    expect(execFormArgs('[ not json')).toBeUndefined();
  });
});

/**
 * Property: whatever the model holds (single-line text, as model.ts says), the rendered Dockerfile
 * reads back as the same instructions, with either escape character.
 */
describe('render then parse', () => {
  // Text that a Dockerfile holds on one line; commands and paths do not start with "-" or "[" (a flag or the exec form).
  const char = fc.constantFrom(...'abcXYZ019 _-./:=$"\'\\`&|;{}@#'.split(''));
  const text = (min = 1) => fc.string({ unit: char, minLength: min, maxLength: 12 });
  const word = fc.string({ unit: fc.constantFrom(...'abcxyz019_'.split('')), minLength: 1, maxLength: 8 });
  const trimmed = (min = 1) => text(min).map(s => s.trim()).filter(s => s.length >= min && !/^[-[#]/.test(s) && !/[\\`]$/.test(s));
  const pathArb = trimmed().filter(s => !/\s/.test(s));
  const instruction: fc.Arbitrary<Instruction> = fc.oneof(
    fc.array(text(0), { minLength: 1, maxLength: 3 }).map(lines => I.comment(lines.join('\n'))),
    fc.uniqueArray(fc.tuple(word.map(w => `V_${w}`), text(0)), { minLength: 1, maxLength: 3, selector: ([k]) => k }).map(pairs => I.env(Object.fromEntries(pairs))),
    pathArb.map(p => I.workdir(`/${p}`)),
    fc.record({ sources: fc.array(trimmed(), { minLength: 1, maxLength: 3 }), destination: trimmed(), from: fc.option(word, { nil: undefined }) })
      .map(c => I.copy(c.sources, c.destination, { from: c.from })),
    fc.record({ commands: fc.array(trimmed(), { minLength: 1, maxLength: 3 }), mounts: fc.array(word.map(w => `type=cache,target=/${w}`), { maxLength: 2 }) })
      .map(r => (r.mounts.length > 0 ? I.runWithMounts(r.mounts, ...r.commands) : I.run(...r.commands))),
    fc.array(text(0), { minLength: 1, maxLength: 3 }).map(argv => I.entrypoint(argv)),
    fc.array(text(0), { minLength: 1, maxLength: 3 }).map(argv => I.cmd(argv)),
  );
  const stage: fc.Arbitrary<Stage> = fc.record({
    from: word.map(w => `${w}:1`),
    name: fc.option(word, { nil: undefined }),
    instructions: fc.array(instruction, { maxLength: 6 }),
  });
  const model: fc.Arbitrary<DockerfileModel> = fc.record({
    header: fc.array(word, { maxLength: 2 }),
    stages: fc.array(stage, { minLength: 1, maxLength: 3 }),
  });

  /** What the model says, instruction by instruction, in the parser's terms. */
  function expected(m: DockerfileModel): unknown[] {
    return m.stages.flatMap((s, index) => [
      { keyword: 'FROM', stage: index, read: s.name ? `${s.from} AS ${s.name}` : s.from },
      ...s.instructions.filter(i => i.kind !== 'COMMENT').map(i => ({ keyword: i.kind, stage: index, read: readModel(i) })),
    ]);
  }
  function readModel(i: Instruction): unknown {
    switch (i.kind) {
      case 'ENV': return i.variables.map(([k, v]) => [k, v]);
      case 'WORKDIR': return i.path;
      case 'COPY': return { flags: i.from ? [`--from=${i.from}`] : [], paths: [...i.sources, i.destination] };
      case 'RUN': return { flags: (i.mounts ?? []).map(m => `--mount=${m}`), script: i.commands.join(' && ') };
      case 'ENTRYPOINT': case 'CMD': return i.argv;
      case 'COMMENT': return undefined;
    }
  }
  function readParsed(p: ParsedInstruction, escape: string): unknown {
    switch (p.keyword) {
      case 'FROM': case 'WORKDIR': return p.body;
      case 'ENV': return envVariables(p.body, escape);
      case 'COPY': return { flags: p.flags, paths: execFormArgs(p.body) ?? p.body.split(' ') };
      case 'RUN': return { flags: p.flags, script: p.body };
      default: return execFormArgs(p.body);
    }
  }

  test.each(['\\', '`'])('reads back the same instructions, stages and comments (escape %s)', escape => {
    fc.assert(fc.property(model, m => {
      const directive = escape === '`' ? '# escape=`\n' : '';
      const parsed = parseDockerfile(directive + renderDockerfile(m, { escape }));
      expect(parsed.escape).toBe(escape);
      expect(parsed.instructions.map(p => ({ keyword: p.keyword, stage: p.stage, read: readParsed(p, escape) }))).toEqual(expected(m));
      const comments = [...(m.header ?? []), ...m.stages.flatMap(s => s.instructions.flatMap(i => (i.kind === 'COMMENT' ? i.text.split('\n') : [])))];
      expect(parsed.comments.map(c => c.text)).toEqual(comments.map(c => c.trimEnd()));
    }), { seed: 20261202, numRuns: 300 });
  });
});
