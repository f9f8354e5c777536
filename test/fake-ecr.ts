/**
 * An in-memory ECR repository with tag immutability, answering the three calls the in-use marker
 * handler makes (BatchGetImage, PutImage, BatchDeleteImage) with the response and error shapes of
 * the ECR API reference. Used by the lifecycle property tests to run the real handler.
 */
import { createHash } from 'crypto';
import { ModelImage } from './ecr-lifecycle-model';

export class EcrError extends Error {
  constructor(public readonly name: string, message: string) {
    super(message);
  }
}

export class FakeEcrRepository {
  private readonly images = new Map<string, { tags: Set<string>; pushedAt: number; manifest: string }>();
  public now = 0;
  /** Images the lifecycle expired, and deploys whose tag was found (reverts to a stored image). */
  public expired = 0;
  public reverts = 0;
  private pushes = 0;

  constructor(public readonly repositoryName: string) {}

  /** A push (as cdk-assets does): a new manifest under a new tag; immutable tags cannot move. */
  public push(tag: string): string {
    if (this.digestOf(tag)) throw new EcrError('ImageTagAlreadyExistsException', `tag ${tag} exists`);
    // Distinct from the first hex digit, as real digests are (markers name the first 16).
    const digest = `sha256:${createHash('sha256').update(`${this.repositoryName}/${++this.pushes}`).digest('hex')}`;
    // Pushes of one day are still ordered (ECR's imagePushedAt has sub-day resolution): the later
    // push is the newer image for imageCountMoreThan rules.
    this.images.set(digest, { tags: new Set([tag]), pushedAt: this.now + this.pushes * 1e-6, manifest: `{"config":"${digest}"}` });
    return digest;
  }

  public digestOf(tag: string): string | undefined {
    for (const [digest, image] of this.images) if (image.tags.has(tag)) return digest;
    return undefined;
  }

  public has(digest: string): boolean {
    return this.images.has(digest);
  }

  public snapshot(): ModelImage[] {
    return [...this.images].map(([digest, i]) => ({ digest, tags: [...i.tags], pushedAt: i.pushedAt }));
  }

  public expire(digests: Iterable<string>): void {
    for (const d of digests) {
      if (this.images.delete(d)) this.expired++;
    }
  }

  public get size(): number {
    return this.images.size;
  }

  /** The ECR API, as the handler's `send(action, input)`. */
  public readonly send = async (action: string, input: any): Promise<any> => {
    if (input.repositoryName !== this.repositoryName) {
      throw new EcrError('RepositoryNotFoundException', `The repository with name '${input.repositoryName}' does not exist in the registry with id '123456789012'`);
    }
    switch (action) {
      case 'BatchGetImage': {
        const images = []; const failures = [];
        for (const id of input.imageIds) {
          const digest = this.digestOf(id.imageTag);
          if (digest) {
            images.push({ registryId: '123456789012', repositoryName: this.repositoryName, imageId: { imageDigest: digest, imageTag: id.imageTag }, imageManifest: this.images.get(digest)!.manifest, imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json' });
          } else {
            failures.push({ imageId: { imageTag: id.imageTag }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' });
          }
        }
        return { images, failures };
      }
      case 'PutImage': {
        const image = this.images.get(input.imageDigest);
        if (!image || image.manifest !== input.imageManifest) throw new EcrError('ImageDigestDoesNotMatchException', 'The specified image digest does not match the digest that Amazon ECR calculated for the image.');
        const holder = this.digestOf(input.imageTag);
        if (holder === input.imageDigest) throw new EcrError('ImageAlreadyExistsException', `Image with digest '${input.imageDigest}' and tag '${input.imageTag}' already exists in the repository with name '${this.repositoryName}' in registry with id '123456789012'`);
        if (holder) throw new EcrError('ImageTagAlreadyExistsException', `The image tag '${input.imageTag}' already exists in the '${this.repositoryName}' repository and cannot be overwritten because the repository is immutable.`);
        image.tags.add(input.imageTag);
        return { image: { registryId: '123456789012', repositoryName: this.repositoryName, imageId: { imageDigest: input.imageDigest, imageTag: input.imageTag }, imageManifest: input.imageManifest } };
      }
      case 'BatchDeleteImage': {
        const imageIds = []; const failures = [];
        for (const id of input.imageIds) {
          const digest = this.digestOf(id.imageTag);
          if (!digest) {
            failures.push({ imageId: { imageTag: id.imageTag }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' });
            continue;
          }
          const image = this.images.get(digest)!;
          image.tags.delete(id.imageTag);
          // Removing the last tag deletes the image.
          if (image.tags.size === 0) this.images.delete(digest);
          imageIds.push({ imageDigest: digest, imageTag: id.imageTag });
        }
        return { imageIds, failures };
      }
      default:
        throw new EcrError('InvalidParameterException', `unexpected call ${action}`);
    }
  };
}
