/**
 * The one Dockerfile reader of this library (the linter, the composer and the CLI use it). Pure:
 * text in, instructions out. It follows the Dockerfile reference as BuildKit reads it:
 * parser directives at the top (`# syntax=`, `# escape=` with `\` or a backtick), line
 * continuations with the escape character, comment lines (also inside a continued instruction),
 * and heredocs (`<<EOF`, `<<-EOF`, quoted delimiters) on RUN, COPY and ADD.
 *
 * Written here rather than taken from `dockerfile-ast`: that package brings the language-server
 * protocol types with it (bundled into every jsii target), while this library needs instructions,
 * their lines and stages, which fit in this file.
 */

/** One instruction, its arguments joined over continuation lines. */
export interface ParsedInstruction {
  /** The instruction, upper case (`FROM`, `RUN`…). */
  readonly keyword: string;
  /** Everything after the keyword, continuation lines joined with a space, flags included; heredoc bodies excluded. */
  readonly args: string;
  /** Leading `--name=value` flags of `args` (`--from=build`, `--mount=…`). */
  readonly flags: readonly string[];
  /** `args` without the leading flags. */
  readonly body: string;
  /** Heredocs the instruction reads, in order: delimiter and content (with `<<-`, leading tabs removed). */
  readonly heredocs: ReadonlyArray<{ readonly delimiter: string; readonly content: string }>;
  /** 1-based line of the instruction's first line. */
  readonly line: number;
  /** 1-based line of its last line (continuations and heredoc bodies included). */
  readonly endLine: number;
  /** Index of its build stage (0 for the first FROM and what follows it; -1 before any FROM). */
  readonly stage: number;
}

/** A comment line (outside heredocs; parser directives are not comments). */
export interface ParsedComment {
  readonly line: number;
  /** The text after `#`, with one leading space removed. */
  readonly text: string;
}

export interface ParsedDockerfile {
  /** Parser directives, lower-case names (`syntax`, `escape`, `check`). */
  readonly directives: Readonly<Record<string, string>>;
  /** The escape character: `\` or a backtick. */
  readonly escape: string;
  readonly instructions: readonly ParsedInstruction[];
  readonly comments: readonly ParsedComment[];
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.*?)\s*$/;
const KNOWN_DIRECTIVES = ['syntax', 'escape', 'check'];
const HEREDOC = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;
const HEREDOC_INSTRUCTIONS = ['RUN', 'COPY', 'ADD'];

/** Reads a Dockerfile. */
export function parseDockerfile(text: string): ParsedDockerfile {
  const lines = text.split(/\r?\n/);
  const directives: Record<string, string> = {};
  let i = 0;
  for (; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i]);
    const name = m?.[1].toLowerCase();
    if (!m || !KNOWN_DIRECTIVES.includes(name!) || name! in directives) break;
    directives[name!] = m[2];
  }
  const escape = directives.escape === '`' ? '`' : '\\';
  const continues = (line: string) => line.trimEnd().endsWith(escape);
  const dropEscape = (line: string) => line.trimEnd().slice(0, -1);

  const instructions: ParsedInstruction[] = [];
  const comments: ParsedComment[] = [];
  let stage = -1;
  for (; i < lines.length; i++) {
    const first = i;
    const line = lines[i];
    if (/^\s*$/.test(line)) continue;
    if (/^\s*#/.test(line)) {
      comments.push({ line: i + 1, text: line.trim().slice(1).replace(/^ /, '') });
      continue;
    }
    // Continuation lines; comment and blank lines inside them are dropped.
    let joined = line;
    while (continues(joined) && i + 1 < lines.length) {
      i++;
      if (/^\s*(#|$)/.test(lines[i])) continue;
      joined = `${dropEscape(joined).trimEnd()} ${lines[i].trim()}`;
    }
    if (continues(joined)) joined = dropEscape(joined); // an escape on the very last line
    const match = /^\s*(\S+)\s*([\s\S]*)$/.exec(joined)!;
    const keyword = match[1].toUpperCase();
    const args = match[2].trim();
    const heredocs: Array<{ delimiter: string; content: string }> = [];
    if (HEREDOC_INSTRUCTIONS.includes(keyword)) {
      for (const [, strip, , delimiter] of args.matchAll(HEREDOC)) {
        const content: string[] = [];
        while (i + 1 < lines.length) {
          i++;
          const bodyLine = strip ? lines[i].replace(/^\t+/, '') : lines[i];
          if (bodyLine === delimiter) break;
          content.push(bodyLine);
        }
        heredocs.push({ delimiter, content: content.length > 0 ? content.join('\n') + '\n' : '' });
      }
    }
    if (keyword === 'FROM') stage++;
    const { flags, body } = splitFlags(args);
    instructions.push({ keyword, args, flags, body, heredocs, line: first + 1, endLine: i + 1, stage });
  }
  return { directives, escape, instructions, comments };
}

function splitFlags(args: string): { flags: string[]; body: string } {
  const flags: string[] = [];
  let rest = args;
  for (let m = /^(--\S+)\s*/.exec(rest); m; m = /^(--\S+)\s*/.exec(rest)) {
    flags.push(m[1]);
    rest = rest.slice(m[0].length);
  }
  return { flags, body: rest };
}

/** The exec-form (JSON array) arguments of ENTRYPOINT, CMD, RUN, COPY…; undefined for the shell form. */
export function execFormArgs(body: string): string[] | undefined {
  if (!body.startsWith('[')) return undefined;
  try {
    const parsed = JSON.parse(body);
    return Array.isArray(parsed) && parsed.every(a => typeof a === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The variables an ENV instruction sets, values unquoted: `ENV A=1 B="two words"`, or the legacy
 * `ENV NAME value with spaces`. `escape` is the Dockerfile's escape character.
 */
export function envVariables(body: string, escape = '\\'): Array<[string, string]> {
  if (!/^[^\s=]+=/.test(body)) { // ENV NAME value
    const [name, ...rest] = body.split(/\s+/);
    return [[name, rest.join(' ')]];
  }
  const e = escape === '`' ? '`' : '\\\\';
  const pair = new RegExp(`([^\\s=]+)=("(?:[^"${e}]|${e}.)*"|'[^']*'|(?:[^\\s${e}]|${e}.)*)`, 'g');
  const escaped = new RegExp(`${e}(.)`, 'g');
  return [...body.matchAll(pair)].map(m => {
    const value = m[2];
    if (value.startsWith('\'')) return [m[1], value.slice(1, -1)];
    return [m[1], (value.startsWith('"') ? value.slice(1, -1) : value).replace(escaped, '$1')];
  });
}
