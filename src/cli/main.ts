#!/usr/bin/env node
/**
 * cdk-lambda-container: local tooling for container-image functions in a cloud assembly.
 * Not part of the jsii API; shipped as the package's `bin`.
 */
import { summarize } from './summary';

const USAGE = `Usage: cdk-lambda-container <command>

Commands:
  summary [cdk.out]   each container-image function: image source, architecture, ImageConfig,
                      Dockerfile and asset hash (default directory: cdk.out)`;

export function main(argv: string[]): number {
  const [command, ...args] = argv;
  switch (command) {
    case 'summary':
      console.log(summarize(args[0] ?? 'cdk.out'));
      return 0;
    case undefined:
    case '-h':
    case '--help':
      console.log(USAGE);
      return command ? 0 : 1;
    default:
      console.error(`cdk-lambda-container: unknown command "${command}".\n\n${USAGE}`);
      return 1;
  }
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error(`cdk-lambda-container: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
