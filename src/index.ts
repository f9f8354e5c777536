export * from './base-image';
export * from './runtime-interface-client';
export { FunctionImage, FunctionImageBuildProps, DockerfileImageOptions, EcrImageOptions } from './function-image';
export { LambdaContainerFunction, LambdaContainerFunctionProps } from './function';
export { ExtensionImageLayer, DirectoryLayerOptions, ImageLayerOptions, FileLayerOptions, LayerVersionArnOptions } from './extension-image-layer';
export { LayerImage, LayerImageProps } from './layer-image';
export { SharedImageRepository, SharedImageRepositoryProps, ISharedImageRepository } from './shared-image-repository';
export { SharedImageRepositorySynthesizer } from './shared-image-repository-synthesizer';
export { WarningIds } from './warnings';
