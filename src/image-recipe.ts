/**
 * Turns what a function's image needs (base, RIC, dependencies, code, image config) into a
 * Dockerfile model and the list of files its build context holds. Pure: no CDK, no file system.
 *
 * Layer order follows AWS's advice, most stable first: base → RIC (build stage) → dependencies
 * → code → metadata (ENV/WORKDIR/ENTRYPOINT/CMD, which add no filesystem layer). A code change
 * therefore rebuilds only the code layer.
 */
import { DependencyKind, installCommands } from './dependencies';
import { DockerfileModel, I, Instruction, Stage } from './dockerfile/model';

/** The two CPU architectures Lambda runs, as AWS base image tags spell them. */
export type ArchitectureName = 'x86_64' | 'arm64';

/** Where alternative-base images keep the function, its dependencies and the RIC. */
export const FUNCTION_DIR = '/function';

/** Where AWS base images keep the function. */
export const TASK_ROOT = '${LAMBDA_TASK_ROOT}';

/** Build-context folder of the function code. */
export const CONTEXT_CODE_DIR = 'code';
/** Build-context folder of the dependency manifest and its lockfile. */
export const CONTEXT_DEPS_DIR = 'deps';

/** What a RIC adds to a multi-stage build. */
export interface RicRecipe {
  readonly language: 'python' | 'nodejs' | 'java' | 'ruby' | 'dotnet' | 'go';
  /** Image of the build stage; undefined: the base image itself. */
  readonly buildImage?: string;
  /** Build-stage instructions that install the RIC (stable: before dependencies). */
  readonly install: readonly Instruction[];
  /** The dependency kind installed in the build stage, if the language has one. */
  readonly dependencyKind?: DependencyKind;
  /** Compiled languages build the code in the build stage; the final stage copies the output. */
  readonly compilesCode: boolean;
  /** Build-stage instructions that compile the code (copied to /src) into FUNCTION_DIR. */
  readonly compile?: readonly Instruction[];
  /** Directories the final stage copies from the build stage. */
  readonly copyFromBuild: readonly string[];
  /** Extra image environment the RIC needs at run time. */
  readonly environment?: Record<string, string>;
  /** Absolute ENTRYPOINT. */
  readonly entrypoint: readonly string[];
  /** Whether Lambda must be given a handler (CMD). */
  readonly requiresHandler: boolean;
}

/** Image-level configuration baked into the image (functions may override it with ImageConfig). */
export interface ImageSettings {
  readonly cmd?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly workingDirectory?: string;
  readonly environment?: Record<string, string>;
}

export interface RecipeInput {
  /** Resolved FROM reference of the final stage. */
  readonly base: string;
  /** AWS base image family, when the base is an AWS Lambda base image. */
  readonly awsFamily?: string;
  readonly ric?: RicRecipe;
  /** Dependency manifest: its kind and the file names copied into `deps/` (manifest first). */
  readonly dependencies?: { readonly kind: DependencyKind; readonly files: readonly string[] };
  readonly image?: ImageSettings;
}

/** The Dockerfile model of a function image. */
export function functionImageRecipe(input: RecipeInput): DockerfileModel {
  return input.ric ? ricRecipe(input, input.ric) : awsBaseRecipe(input);
}

/** Where the code lands in the image. */
export function codeDestination(input: Pick<RecipeInput, 'ric'>): string {
  return input.ric ? FUNCTION_DIR : TASK_ROOT;
}

function awsBaseRecipe(input: RecipeInput): DockerfileModel {
  const instructions: Instruction[] = [];
  if (input.dependencies) {
    const { kind, files } = input.dependencies;
    instructions.push(
      I.comment('Dependencies: their own layer, before the code, so a code change does not reinstall them.'),
      I.copy(files.map(f => `${CONTEXT_DEPS_DIR}/${f}`), `${TASK_ROOT}/`),
    );
    if (kind === 'bundler') {
      instructions.push(I.env({ GEM_HOME: TASK_ROOT }));
    }
    instructions.push(I.run(...installCommands(kind, files[0], TASK_ROOT)));
  }
  instructions.push(
    I.comment('Function code: the most volatile layer, last.'),
    I.copy(`${CONTEXT_CODE_DIR}/`, `${TASK_ROOT}/`),
    ...metadata(input.image ?? {}, {}),
  );
  return { stages: [{ from: input.base, instructions }] };
}

function ricRecipe(input: RecipeInput, ric: RicRecipe): DockerfileModel {
  const build: Instruction[] = [
    I.comment(`Build stage: the ${ric.language} Runtime Interface Client${input.dependencies ? ' and the dependencies' : ''}; compilers and caches stay here.`),
    ...ric.install,
  ];
  const workdir = ric.compilesCode ? '/src' : FUNCTION_DIR;
  if (input.dependencies || ric.compilesCode) {
    build.push(I.workdir(workdir));
  }
  if (input.dependencies) {
    const { kind, files } = input.dependencies;
    build.push(I.copy(files.map(f => `${CONTEXT_DEPS_DIR}/${f}`), `${workdir}/`));
    if (kind === 'bundler') {
      build.push(I.env({ BUNDLE_PATH: `${FUNCTION_DIR}/vendor/bundle` }));
    }
    build.push(I.run(...installCommands(kind, files[0], workdir)));
  }
  if (ric.compilesCode) {
    build.push(I.copy(`${CONTEXT_CODE_DIR}/`, '/src/'), ...(ric.compile ?? []));
  }
  const buildStage: Stage = { from: ric.buildImage ?? input.base, name: 'build', instructions: build };

  const final: Instruction[] = [
    ...ric.copyFromBuild.map(dir => I.copy(dir, dir, { from: 'build' })),
  ];
  if (!ric.compilesCode) {
    final.push(I.comment('Function code: the most volatile layer, last.'), I.copy(`${CONTEXT_CODE_DIR}/`, `${FUNCTION_DIR}/`));
  }
  const image = input.image ?? {};
  const ricEnv = { ...(ric.environment ?? {}), ...(input.dependencies?.kind === 'bundler' ? { BUNDLE_PATH: `${FUNCTION_DIR}/vendor/bundle` } : {}) };
  final.push(...metadata({ ...image, workingDirectory: image.workingDirectory ?? FUNCTION_DIR, entrypoint: image.entrypoint ?? ric.entrypoint }, ricEnv));
  return { stages: [buildStage, { from: input.base, instructions: final }] };
}

/** ENV, WORKDIR, ENTRYPOINT, CMD: configuration only, placed last. */
function metadata(image: ImageSettings, extraEnv: Record<string, string>): Instruction[] {
  const out: Instruction[] = [];
  const env = { ...extraEnv, ...(image.environment ?? {}) };
  if (Object.keys(env).length > 0) {
    out.push(I.env(env));
  }
  if (image.workingDirectory) out.push(I.workdir(image.workingDirectory));
  if (image.entrypoint) out.push(I.entrypoint(image.entrypoint));
  if (image.cmd) out.push(I.cmd(image.cmd));
  return out;
}
