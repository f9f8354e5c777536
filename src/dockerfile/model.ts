/**
 * A pure, minimal model of a Dockerfile: stages of instructions.
 *
 * No CDK imports here: this module is rendered to text by `render.ts` and unit-tested on its own.
 * Only the instructions this library's images need are modelled (Lambda honours ENTRYPOINT, CMD,
 * WORKDIR and ENV from the image; the rest is build-time only). Text is single-line: comments
 * may span lines, nothing else holds a line break.
 */

/** One Dockerfile instruction. */
export type Instruction =
  | { readonly kind: 'COMMENT'; readonly text: string }
  | { readonly kind: 'ENV'; readonly variables: ReadonlyArray<readonly [string, string]> }
  | { readonly kind: 'WORKDIR'; readonly path: string }
  | { readonly kind: 'COPY'; readonly sources: readonly string[]; readonly destination: string; readonly from?: string }
  | { readonly kind: 'RUN'; readonly commands: readonly string[]; readonly mounts?: readonly string[] }
  | { readonly kind: 'ENTRYPOINT'; readonly argv: readonly string[] }
  | { readonly kind: 'CMD'; readonly argv: readonly string[] };

/** A build stage: `FROM image [AS name]` and its instructions. */
export interface Stage {
  readonly from: string;
  readonly name?: string;
  readonly instructions: readonly Instruction[];
}

/** A whole Dockerfile. */
export interface DockerfileModel {
  /** Comment lines at the top of the file. */
  readonly header?: readonly string[];
  readonly stages: readonly Stage[];
}

/** Small constructors so recipes read like Dockerfiles. */
export const I = {
  comment: (text: string): Instruction => ({ kind: 'COMMENT', text }),
  env: (variables: Record<string, string>): Instruction => ({ kind: 'ENV', variables: Object.entries(variables) }),
  workdir: (path: string): Instruction => ({ kind: 'WORKDIR', path }),
  copy: (sources: string | readonly string[], destination: string, options: { from?: string } = {}): Instruction =>
    ({ kind: 'COPY', sources: typeof sources === 'string' ? [sources] : sources, destination, ...options }),
  run: (...commands: string[]): Instruction => ({ kind: 'RUN', commands }),
  /** RUN with `--mount=` options (build secrets, caches): what they mount never lands in a layer. */
  runWithMounts: (mounts: readonly string[], ...commands: string[]): Instruction => ({ kind: 'RUN', commands, mounts }),
  entrypoint: (argv: readonly string[]): Instruction => ({ kind: 'ENTRYPOINT', argv }),
  cmd: (argv: readonly string[]): Instruction => ({ kind: 'CMD', argv }),
};
