import { DockerfileModel, Instruction, Stage } from './model';

/** How a Dockerfile is written: its escape character (`\`, or a backtick after `# escape=`). */
export interface RenderOptions {
  /** @default '\\' */
  readonly escape?: string;
}

/**
 * Renders a Dockerfile model to text, deterministically: the same model always gives the same
 * bytes, so the asset hash of a generated build context changes only when the image would.
 */
export function renderDockerfile(model: DockerfileModel, options: RenderOptions = {}): string {
  const blocks: string[] = [];
  if (model.header && model.header.length > 0) {
    blocks.push(model.header.map(line => `# ${line}`.trimEnd()).join('\n'));
  }
  for (const stage of model.stages) {
    blocks.push(renderStage(stage, options));
  }
  return blocks.join('\n\n') + '\n';
}

function renderStage(stage: Stage, options: RenderOptions): string {
  const from = stage.name ? `FROM ${stage.from} AS ${stage.name}` : `FROM ${stage.from}`;
  return [from, ...stage.instructions.map(i => renderInstruction(i, options))].join('\n');
}

/** Renders one instruction (the composer adds them to your Dockerfile, with its escape character). */
export function renderInstruction(instruction: Instruction, options: RenderOptions = {}): string {
  const escape = options.escape ?? '\\';
  switch (instruction.kind) {
    case 'COMMENT':
      return instruction.text.split('\n').map(line => `# ${line}`.trimEnd()).join('\n');
    case 'ENV':
      return 'ENV ' + instruction.variables.map(([k, v]) => `${k}=${quoteIfNeeded(v, escape)}`).join(` ${escape}\n    `);
    case 'WORKDIR':
      return `WORKDIR ${instruction.path}`;
    case 'COPY': {
      const flags = instruction.from ? [`--from=${instruction.from}`] : [];
      const paths = [...instruction.sources, instruction.destination];
      const body = paths.some(p => /\s/.test(p)) ? JSON.stringify(paths) : paths.join(' ');
      return ['COPY', ...flags, body].join(' ');
    }
    case 'RUN':
      return ['RUN', ...(instruction.mounts ?? []).map(m => `--mount=${m}`), instruction.commands.join(` ${escape}\n    && `)].join(' ');
    case 'ENTRYPOINT':
      return `ENTRYPOINT ${execForm(instruction.argv)}`;
    case 'CMD':
      return `CMD ${execForm(instruction.argv)}`;
  }
}

/** Exec form (JSON array): no shell, so the process gets signals and argv exactly as given. */
function execForm(argv: readonly string[]): string {
  return '[ ' + argv.map(a => JSON.stringify(a)).join(', ') + ' ]';
}

/**
 * An ENV value as Docker reads it back: in double quotes when it has blanks, quotes or escapes,
 * with `"` and the escape character escaped (`$` still expands, as the recipes rely on).
 */
function quoteIfNeeded(value: string, escape: string): string {
  const special = (c: string) => c === '"' || c === escape;
  if (value !== '' && !/[\s"'\\]/.test(value) && ![...value].some(special)) return value;
  return `"${[...value].map(c => (special(c) ? escape + c : c)).join('')}"`;
}
