import { DockerfileModel, Instruction, Stage } from './model';

/**
 * Renders a Dockerfile model to text, deterministically: the same model always gives the same
 * bytes, so the asset hash of a generated build context changes only when the image would.
 */
export function renderDockerfile(model: DockerfileModel): string {
  const blocks: string[] = [];
  if (model.header && model.header.length > 0) {
    blocks.push(model.header.map(line => `# ${line}`.trimEnd()).join('\n'));
  }
  if (model.globalArgs && model.globalArgs.length > 0) {
    blocks.push(model.globalArgs.map(renderInstruction).join('\n'));
  }
  for (const stage of model.stages) {
    blocks.push(renderStage(stage));
  }
  return blocks.join('\n\n') + '\n';
}

function renderStage(stage: Stage): string {
  const from = stage.name ? `FROM ${stage.from} AS ${stage.name}` : `FROM ${stage.from}`;
  return [from, ...stage.instructions.map(renderInstruction)].join('\n');
}

/** Renders one instruction (exported for the linter and tests). */
export function renderInstruction(instruction: Instruction): string {
  switch (instruction.kind) {
    case 'COMMENT':
      return instruction.text.split('\n').map(line => `# ${line}`.trimEnd()).join('\n');
    case 'ARG':
      return instruction.defaultValue === undefined
        ? `ARG ${instruction.name}`
        : `ARG ${instruction.name}=${quoteIfNeeded(instruction.defaultValue)}`;
    case 'ENV':
      return 'ENV ' + instruction.variables.map(([k, v]) => `${k}=${quoteIfNeeded(v)}`).join(' \\\n    ');
    case 'WORKDIR':
      return `WORKDIR ${instruction.path}`;
    case 'COPY': {
      const flags = [
        ...(instruction.from ? [`--from=${instruction.from}`] : []),
        ...(instruction.chmod ? [`--chmod=${instruction.chmod}`] : []),
      ];
      const paths = [...instruction.sources, instruction.destination];
      const body = paths.some(p => /\s/.test(p)) ? JSON.stringify(paths) : paths.join(' ');
      return ['COPY', ...flags, body].join(' ');
    }
    case 'RUN':
      return ['RUN', ...(instruction.mounts ?? []).map(m => `--mount=${m}`), instruction.commands.join(' \\\n    && ')].join(' ');
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

function quoteIfNeeded(value: string): string {
  return value === '' || /[\s"'\\]/.test(value) ? JSON.stringify(value) : value;
}
