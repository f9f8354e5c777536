/** A function image that already exists in an ECR repository. */
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { BoundFunctionImage, ImageSource } from './image-source';
import { fail } from './problems';
import type { EcrImageOptions } from '../types';

export class EcrImage implements ImageSource {
  constructor(private readonly repository: ecr.IRepository, private readonly options: EcrImageOptions) {}

  public bind(scope: Construct): BoundFunctionImage {
    const tagOrDigest = this.options.tagOrDigest;
    if (tagOrDigest === 'latest') {
      fail(scope, { prop: 'tagOrDigest', value: '"latest"', message: 're-pointing a mutable tag never updates a deployed function, so "latest" deploys whatever it pointed to first', fix: 'use the image digest (sha256:…) or an immutable, content-addressed tag' });
    }
    // Same as aws-cdk-lib's EcrImageCode: Lambda pulls with its service principal.
    this.repository.grantPull(new iam.ServicePrincipal('lambda.amazonaws.com'));
    return {
      imageUri: this.repository.repositoryUriForTagOrDigest(tagOrDigest),
      imageHasCmd: true,
    };
  }
}
