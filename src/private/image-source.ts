/**
 * What a function image source (generated, your Dockerfile, ECR) gives the function it is bound
 * to. Each source lives in a file of its own beside this one; `FunctionImage` (public) wraps them.
 */
import { CfnResource } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { RoutedImage } from './image-routing';
import { Problem } from './problems';
import type { BaseImage } from '../base-image';

/** A function's image, bound to a function: its URI and what is needed to describe it. */
export interface BoundFunctionImage {
  readonly imageUri: string;
  /** Whether Lambda needs a CMD (handler); undefined when unknown (bring-your-own images). */
  readonly requiresHandler?: boolean;
  /** Whether the image itself sets CMD. */
  readonly imageHasCmd: boolean;
  /** Whether the image sets its own ENTRYPOINT (which then decides whether it needs a CMD). */
  readonly imageHasEntrypoint?: boolean;
  /** The base image, when the Dockerfile is generated. */
  readonly baseImage?: BaseImage;
  /** Checks a function-level ENTRYPOINT executable against the build context (symlinks). */
  readonly checkEntrypoint?: (exe: string) => Problem | undefined;
  /** Where the image is published, when it goes to a shared repository (functions mark it in use). */
  readonly routed?: RoutedImage;
  /** Adds `aws:asset:*` metadata (for SAM and the local tooling) to the function resource. */
  readonly addResourceMetadata?: (resource: CfnResource) => void;
}

/** One source of function images. */
export interface ImageSource {
  /** Binds the image to a function of the given (checked) architecture. */
  bind(scope: Construct, architecture: lambda.Architecture): BoundFunctionImage;
}
