/** The two architectures Lambda runs images of, checked where a construct is given one. */
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ArchitectureName } from './image-recipe';
import { fail, Where } from './problems';

/** The architecture's name as AWS base image tags spell it; other architectures fail. */
export function architectureName(where: Where, architecture: lambda.Architecture): ArchitectureName {
  const name = architecture.name;
  if (name !== 'x86_64' && name !== 'arm64') {
    fail(where, { prop: 'architecture', value: JSON.stringify(name), message: 'Lambda runs x86_64 or arm64 images only', fix: 'use lambda.Architecture.X86_64 or lambda.Architecture.ARM_64' });
  }
  return name;
}
