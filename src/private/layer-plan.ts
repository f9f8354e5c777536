/**
 * What an extension image layer adds to an image, and the checks on a function's layers. Pure:
 * no CDK imports and no file system (the sources in extension-image-layer.ts list the files).
 *
 * Lambda's layer equivalent for image functions is image content: files a layer would extract to
 * `/opt`, external extensions as executables directly in `/opt/extensions` (at most 10), internal
 * extensions through a wrapper script (`AWS_LAMBDA_EXEC_WRAPPER`) or a language's startup
 * variable (`JAVA_TOOL_OPTIONS`, `NODE_OPTIONS`, `DOTNET_STARTUP_HOOKS`).
 */
import { LIMITS } from './limits';
import { Problem } from './problems';

/** Where layers land unless told otherwise, and where external extensions live. */
export const OPT_DIR = '/opt';
export const EXTENSIONS_DIR = '/opt/extensions';

/** How a published layer version is fetched while the image builds. */
export interface LayerFetch {
  readonly arn: string;
  /** Host file (AWS config or credentials) passed as the build secret. */
  readonly credentialsFile: string;
  readonly profile?: string;
  /** Image of the throwaway fetch stage (needs python3 and boto3); undefined: AWS's Python base image. */
  readonly fetcherImage?: string;
}

/** One file a layer puts into the image. */
export interface LayerFile {
  /** Path relative to the layer's destination directory, with `/` separators. */
  readonly relativePath: string;
  /** Unix permission bits (e.g. 0o755). */
  readonly mode: number;
  readonly size: number;
  /** Host file to copy, or the bytes themselves (zip entries). */
  readonly source: string | Uint8Array;
  /** Target of a symbolic link (the file is then a link, not bytes). */
  readonly linkTarget?: string;
}

/**
 * Where a layer's content comes from, one kind per source. Every step that treats layers (the
 * checks here, the binding, the Dockerfile recipe, the build context) switches on `kind`, so a
 * new source is one more case the compiler asks for.
 */
export type LayerContent =
  /** Files from the build context, known at synth. */
  | { readonly kind: 'files'; readonly files: readonly LayerFile[] }
  /** A path of a publisher's layer image, copied at build time (content unknown at synth). */
  | { readonly kind: 'image'; readonly uri: string; readonly source: string }
  /** A published layer version fetched at build time with a build secret (content unknown at synth). */
  | ({ readonly kind: 'fetch' } & LayerFetch);

/** What one layer adds to an image. */
export interface LayerPlan {
  /** How the user wrote it, for messages: `fromDirectory("extensions/telemetry")`. */
  readonly description: string;
  /**
   * A short name for the Dockerfile's comment, free of host paths (the Dockerfile is part of
   * the asset hash, which must not depend on where the project lives): `fromDirectory(telemetry)`.
   */
  readonly label: string;
  /** Directory in the image the layer's files (or the image's `source`) are copied to. */
  readonly destination: string;
  /** Whether a destination outside /opt was asked for on purpose. */
  readonly allowOutsideOpt: boolean;
  readonly content: LayerContent;
  /** Image environment the layer needs (wrapper script, runtime hooks). */
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * Variables several layers may each contribute to, and how their values join. Any other
 * variable set by two layers is a conflict.
 */
export const JOINED_VARIABLES: Readonly<Record<string, string>> = {
  JAVA_TOOL_OPTIONS: ' ',
  NODE_OPTIONS: ' ',
  DOTNET_STARTUP_HOOKS: ':',
};

/** The result of checking a function's layers. */
export interface LayerCheck {
  readonly errors: Problem[];
  readonly warnings: string[];
  /** The image environment of all layers, joined. */
  readonly environment: Record<string, string>;
}

/** Whether any execute bit (user, group, other) is set. */
export function isExecutable(mode: number): boolean {
  return [0o100, 0o10, 0o1].some(bit => Math.floor(mode / bit) % 2 === 1);
}

/** The permission bits of a file mode (what `mode & 0o777` gives). */
export function permissionBits(mode: number): number {
  return mode % 0o1000;
}

const posixJoin = (dir: string, rel: string) => `${dir.replace(/\/+$/, '')}/${rel}`;
const isUnder = (p: string, dir: string) => p === dir || p.startsWith(dir + '/');

/** The files a layer is known at synth to hold (none for content fetched at build time). */
export function knownFiles(plan: LayerPlan): readonly LayerFile[] {
  return plan.content.kind === 'files' ? plan.content.files : [];
}

/** Absolute image paths a layer writes, as far as synth knows them. */
export function imagePaths(plan: LayerPlan): string[] {
  switch (plan.content.kind) {
    case 'files': return plan.content.files.map(f => posixJoin(plan.destination, f.relativePath));
    case 'image': return [plan.destination];
    case 'fetch': return [];
  }
}

/** Checks the layers of one image, in the order they are applied. */
export function checkLayers(plans: readonly LayerPlan[]): LayerCheck {
  const errors: Problem[] = [];
  const warnings: string[] = [];
  const prop = (i: number) => `layers[${i}]`;

  plans.forEach((plan, i) => {
    if (!plan.destination.startsWith('/')) {
      errors.push({ prop: `${prop(i)} destination`, value: JSON.stringify(plan.destination), message: 'it is relative; the image has no working directory for layers', fix: `give an absolute path under ${OPT_DIR}` });
    } else if (!isUnder(plan.destination, OPT_DIR) && !plan.allowOutsideOpt) {
      errors.push({ prop: `${prop(i)} destination`, value: JSON.stringify(plan.destination), message: `it is outside ${OPT_DIR}, where Lambda layers live (and where runtimes look for them)`, fix: `use a destination under ${OPT_DIR}, or set allowOutsideOpt: true if the files must go there` });
    }
  });

  // External extensions: every file directly in /opt/extensions, which Lambda starts at init.
  const extensions = new Map<string, string>();
  const notExecutable: string[] = [];
  const isExtension = (p: string) => isUnder(p, EXTENSIONS_DIR) && p.slice(EXTENSIONS_DIR.length + 1).split('/').length === 1;
  plans.forEach(plan => {
    switch (plan.content.kind) {
      case 'files':
        for (const file of plan.content.files) {
          const p = posixJoin(plan.destination, file.relativePath);
          if (!isExtension(p)) continue;
          extensions.set(p, plan.description);
          if (!file.linkTarget && !isExecutable(file.mode)) notExecutable.push(`${p} (from ${plan.description})`);
        }
        break;
      case 'image': // e.g. the Web Adapter: /opt/extensions/lambda-adapter
        if (isUnder(plan.destination, EXTENSIONS_DIR) && plan.destination !== EXTENSIONS_DIR) extensions.set(plan.destination, plan.description);
        break;
      case 'fetch': // its extensions are known only once fetched
        break;
    }
  });
  if (notExecutable.length > 0) {
    errors.push({ prop: 'imageLayers', value: notExecutable.join(', '), message: `${notExecutable.length === 1 ? 'this file is' : 'these files are'} in ${EXTENSIONS_DIR} but not executable, and Lambda fails to start an extension it cannot execute`, fix: 'make them executable (chmod +x) in the layer\'s source, or move files that are not extensions out of extensions/' });
  }
  if (extensions.size > LIMITS.maxExternalExtensions) {
    errors.push({ prop: 'imageLayers', value: `${extensions.size} extensions (${[...extensions.keys()].join(', ')})`, message: `Lambda runs at most ${LIMITS.maxExternalExtensions} external extensions`, fix: 'drop or combine extensions' });
  }

  // Two layers writing the same path: the later one wins, silently; say so.
  const writers = new Map<string, number>();
  plans.forEach((plan, i) => {
    const paths = imagePaths(plan);
    const clashes = new Map<number, string[]>();
    for (const p of paths) {
      const earlier = writers.get(p);
      if (earlier !== undefined) clashes.set(earlier, [...(clashes.get(earlier) ?? []), p]);
      writers.set(p, i);
    }
    for (const [earlier, clash] of clashes) {
      const shown = clash.slice(0, 3).join(', ') + (clash.length > 3 ? ` and ${clash.length - 3} more` : '');
      warnings.push(`${plans[earlier].description} and ${plan.description} both write ${shown}: the later layer (${plan.description}) wins`);
    }
  });

  const knownBytes = plans.reduce((sum, plan) => sum + knownFiles(plan).reduce((s, f) => s + f.size, 0), 0);
  if (knownBytes > LIMITS.imageMaxBytes) {
    errors.push({ prop: 'imageLayers', value: `${(knownBytes / 1024 ** 3).toFixed(2)} GiB`, message: `the layers alone exceed Lambda's ${LIMITS.imageMaxBytes / 1024 ** 3} GiB image limit`, fix: 'leave large files out of the layers (download them at run time to /tmp, or use EFS)' });
  }

  return { errors, warnings, environment: joinEnvironment(plans, errors) };
}

function joinEnvironment(plans: readonly LayerPlan[], errors: Problem[]): Record<string, string> {
  const env: Record<string, string> = {};
  const setBy: Record<string, string> = {};
  for (const plan of plans) {
    for (const [name, value] of Object.entries(plan.environment ?? {})) {
      const separator = JOINED_VARIABLES[name];
      if (env[name] === undefined) {
        env[name] = value;
      } else if (separator !== undefined) {
        env[name] = `${env[name]}${separator}${value}`;
      } else if (env[name] !== value) {
        errors.push({ prop: 'imageLayers', value: `${name}=${JSON.stringify(value)}`, message: `${plan.description} sets ${name}, which ${setBy[name]} already sets to ${JSON.stringify(env[name])}; only one can apply${name === 'AWS_LAMBDA_EXEC_WRAPPER' ? ' (Lambda runs one wrapper script)' : ''}`, fix: name === 'AWS_LAMBDA_EXEC_WRAPPER' ? 'keep one wrapper script, and have it call the other' : 'keep one of the two values' });
      }
      setBy[name] = plan.description;
    }
  }
  return env;
}
