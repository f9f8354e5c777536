/**
 * Turns what a function's image needs (base, RIC, dependencies, code, image config) into a
 * Dockerfile model and the list of files its build context holds. Pure: no CDK, no file system.
 *
 * Layer order follows AWS's advice, most stable first: base → extension layers → RIC (build
 * stage) → dependencies → code → metadata (ENV/WORKDIR/ENTRYPOINT/CMD, which add no filesystem layer). A code change
 * therefore rebuilds only the code layer.
 */
import { DependencyKind, installCommands } from './dependencies';
import { OPT_DIR } from './layer-plan';
import { DockerfileModel, I, Instruction, Stage } from '../dockerfile/model';

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

/** A layer as the Dockerfile sees it (see layer-plan.ts for what it holds). */
export interface RecipeLayer {
  /** How the user wrote it, as a comment. */
  readonly description: string;
  readonly destination: string;
  /** Where the Dockerfile copies it from: the kinds of `LayerContent`, placed. */
  readonly content:
  /** A build-context folder holding the layer's files under their full image paths (copied to /). */
  | { readonly kind: 'files'; readonly contextDir: string }
  /** A publisher's image and the path in it to copy. */
  | { readonly kind: 'image'; readonly uri: string; readonly source: string }
  /** A layer version fetched in a throwaway stage with a build secret; `script` is its context path. */
  | { readonly kind: 'fetch'; readonly arn: string; readonly fetcherImage: string; readonly profile?: string; readonly script: string };
}

/** Build secret id of the credentials that fetch layer versions (a file, mounted for one RUN). */
export const LAYER_CREDENTIALS_SECRET = 'lambda-layer-credentials';


/** Build-context folder of the layers' files (each staged under its full image path). */
export const CONTEXT_LAYERS_DIR = 'layers';
/** How each layer's comment starts in a generated Dockerfile (the summary lists them). */
export const LAYER_COMMENT_PREFIX = 'layer: ';
/** Prefix of the comment naming the dependency manifest (the CLI's summary reads it). */
export const DEPENDENCIES_COMMENT_PREFIX = 'dependencies: ';

function dependenciesComment(deps: NonNullable<RecipeInput['dependencies']>, more = ''): Instruction {
  return I.comment(`${DEPENDENCIES_COMMENT_PREFIX}${deps.files[0]} (${deps.kind}, ${deps.detected ? 'found in the code directory' : 'the dependencies prop'})${more}`);
}
/** Where a publisher image's layer is assembled in its own stage. */
const LAYER_STAGE_ROOT = '/layer';
/** The fixed timestamp of layer files and folders (2000-01-01T00:00:00Z), in `touch -t` form. */
export const LAYER_TIMESTAMP = '200001010000.00';

export interface RecipeInput {
  /** Resolved FROM reference of the final stage. */
  readonly base: string;
  /** Extension image layers, in order: copied right after the base, before everything else. */
  readonly layers?: readonly RecipeLayer[];
  /** Image environment the layers need (wrapper script, runtime hooks). */
  readonly layerEnvironment?: Record<string, string>;
  readonly ric?: RicRecipe;
  /**
   * Dependency manifest: its kind, the file names copied into `deps/` (manifest first), and
   * whether it was found in the code directory (else given as `dependencies`).
   */
  readonly dependencies?: { readonly kind: DependencyKind; readonly files: readonly string[]; readonly detected?: boolean };
  readonly image?: ImageSettings;
}

/**
 * Resource metadata key (beside `aws:asset:path`, only when asset metadata is on, as the CDK CLI
 * has it) naming the function's code directory, relative to the cloud assembly, and its exclude
 * globs: the local tools' `--reload` mounts that directory instead of rebuilding the image.
 */
export const CODE_METADATA_KEY = 'cdk-lambda-container:code';

/** The value of CODE_METADATA_KEY. */
export interface CodeMetadata {
  /** The code directory, relative to the cloud assembly directory. */
  readonly path: string;
  /** Globs excluded from the code layer (the user's `exclude`, else the defaults). */
  readonly exclude: readonly string[];
}

/** First line of every generated Dockerfile: how tools (and people) recognise one. */
export const GENERATED_HEADER = 'Generated by cdk-lambda-container. Do not edit: change the LambdaContainerFunction instead.';

/** The Dockerfile model of a function image. */
export function functionImageRecipe(input: RecipeInput): DockerfileModel {
  const model = input.ric ? ricRecipe(input, input.ric) : awsBaseRecipe(input);
  const layers = input.layers ?? [];
  if (layers.length === 0) {
    return { header: [GENERATED_HEADER], ...model };
  }
  const { stages: layerStages, copies } = layerSteps(layers, input.base);
  // From WORKDIR / (an engine may touch the working directory in the first layer it writes);
  // AWS base images work in ${LAMBDA_TASK_ROOT} again after it, RIC images get theirs at the end.
  const steps = [copies[0], I.workdir('/'), ...copies.slice(1), ...(input.ric ? [] : [I.workdir(TASK_ROOT)])];
  const stages = [...model.stages];
  const final = stages[stages.length - 1];
  stages[stages.length - 1] = { ...final, instructions: [...steps, ...final.instructions] };
  return { header: [GENERATED_HEADER], stages: [...layerStages, ...stages] };
}

/**
 * What extension layers add to a Dockerfile: stages of their own (publisher images, fetched
 * layer versions) and the final stage's COPY steps. Every layer is copied to / with all its
 * parent folders, whose timestamps are fixed (the context's at staging; a publisher image's path
 * in a stage that fixes them; a fetched layer by the fetch script), so the same layer is
 * byte-identical in every image without relying on a build cache. `shellImage` runs the stage
 * that fixes a publisher path's timestamps (it needs `touch`).
 */
export function layerSteps(layers: readonly RecipeLayer[], shellImage: string): { stages: Stage[]; copies: Instruction[] } {
  const stages: Stage[] = [];
  const copies: Instruction[] = [I.comment('Layers and extensions: stable, right after the base, so dependency and code changes never rebuild them.')];
  layers.forEach((layer, i) => {
    copies.push(I.comment(`${LAYER_COMMENT_PREFIX}${layer.description}`));
    const name = `layer-${i}`;
    const content = layer.content;
    switch (content.kind) {
      case 'fetch': {
        // Credentials reach one RUN as a mounted secret; the stage ends FROM scratch with the files
        // only, so no layer, history entry or build argument of the image ever holds them.
        const secret = `/run/secrets/${LAYER_CREDENTIALS_SECRET}`;
        const env = [`AWS_CONFIG_FILE=${secret}`, `AWS_SHARED_CREDENTIALS_FILE=${secret}`, ...(content.profile ? [`AWS_PROFILE=${content.profile}`] : [])];
        stages.push(
          {
            from: content.fetcherImage,
            name: `${name}-fetch`,
            instructions: [
              I.copy(content.script, '/tmp/fetch-layer-version.py'),
              I.runWithMounts([`type=secret,id=${LAYER_CREDENTIALS_SECRET},target=${secret}`], `${env.join(' ')} python3 /tmp/fetch-layer-version.py ${content.arn} ${LAYER_STAGE_ROOT}${OPT_DIR}`),
            ],
          },
          { from: 'scratch', name, instructions: [I.copy(`${LAYER_STAGE_ROOT}/`, `${LAYER_STAGE_ROOT}/`, { from: `${name}-fetch` })] },
        );
        copies.push(I.copy(`${LAYER_STAGE_ROOT}/`, '/', { from: name }));
        break;
      }
      case 'image': {
        const target = `${LAYER_STAGE_ROOT}${layer.destination.replace(/\/+$/, '')}`;
        const created = target.split('/').slice(1).map((_, j, parts) => '/' + parts.slice(0, j + 1).join('/'));
        stages.push({
          from: shellImage,
          name,
          instructions: [
            I.copy(content.source, target, { from: content.uri }),
            I.run(`TZ=UTC touch -t ${LAYER_TIMESTAMP} ${created.join(' ')}`),
          ],
        });
        copies.push(I.copy(`${LAYER_STAGE_ROOT}/`, '/', { from: name }));
        break;
      }
      case 'files':
        copies.push(I.copy(`${content.contextDir}/`, '/'));
        break;
    }
  });
  return { stages, copies };
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
      dependenciesComment(input.dependencies, ': their own layer, before the code, so a code change does not reinstall them.'),
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
    ...metadata(input.image ?? {}, input.layerEnvironment ?? {}),
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
    build.push(dependenciesComment(input.dependencies), I.copy(files.map(f => `${CONTEXT_DEPS_DIR}/${f}`), `${workdir}/`));
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
  const ricEnv = { ...(ric.environment ?? {}), ...(input.dependencies?.kind === 'bundler' ? { BUNDLE_PATH: `${FUNCTION_DIR}/vendor/bundle` } : {}), ...(input.layerEnvironment ?? {}) };
  const settings = { ...image, workingDirectory: image.workingDirectory ?? FUNCTION_DIR, entrypoint: image.entrypoint ?? ric.entrypoint };
  final.push(...metadata(settings, ricEnv));
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
