export * from './base-image';
export * from './runtime-interface-client';
export { FunctionImage, FunctionImageBuildProps, DockerfileImageOptions, EcrImageOptions } from './function-image';
export { LambdaContainerFunction, LambdaContainerFunctionProps, DEPRECATION_DATE_CONTEXT } from './function';
