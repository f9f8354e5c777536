import { Duration, IResource, Lazy, RemovalPolicy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { IN_USE_TAG_PREFIX, LIFECYCLE_POLICY_MAX_CHARS, lifecyclePolicyText } from './private/lifecycle-policy';
import { failIfAny, Problem, validationMessages } from './private/problems';
import { checkAccounts, checkNotBootstrapRepository, checkRepositoryName, checkWholeNumber, defaultRepositoryName } from './private/repository-naming';

/** An ECR repository that functions' images can be published into (see {@link SharedImageRepository}). */
export interface ISharedImageRepository extends IResource {
  /** The repository's name (a literal string: asset manifests need it at synth). */
  readonly repositoryName: string;

  /** The underlying ECR repository. */
  readonly repository: ecr.IRepository;

  /** Grants pulling images from the repository. */
  grantPull(grantee: iam.IGrantable): iam.Grant;

  /** Grants pulling and pushing images. */
  grantPullPush(grantee: iam.IGrantable): iam.Grant;
}

/** Props of a {@link SharedImageRepository}. */
export interface SharedImageRepositoryProps {
  /**
   * Name of the repository. Image asset manifests need it as a literal string, so it cannot be
   * a Token.
   * @default - derived from the construct path, e.g. `images.repository-1a2b3c4d`
   */
  readonly repositoryName?: string;

  /**
   * Scan each image for vulnerabilities when it is pushed (ECR basic scanning).
   * @default true
   */
  readonly imageScanOnPush?: boolean;

  /**
   * A KMS key to encrypt images with.
   * @default - AES256 (keys managed by ECR)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the repository when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Delete the images when the repository is deleted (needs `removalPolicy: DESTROY`).
   * @default false
   */
  readonly emptyOnDelete?: boolean;

  /**
   * Other AWS accounts (12-digit IDs) whose Lambda functions pull images from this repository.
   * Their functions must be in the repository's region. The repository policy lets those
   * accounts' Lambda service and the accounts themselves pull, and lets the accounts mark the
   * images their functions use (PutImage and BatchDeleteImage of in-use marker tags).
   * @default - functions of the repository's own account only
   */
  readonly pullAccounts?: string[];

  /**
   * Images kept per image lineage, newest first, for rollbacks. A lineage is the images one
   * function gets over time (or one shared `FunctionImage`, or one `LayerImage`). Images a
   * deployed function uses are kept whatever this says.
   * @default 3
   */
  readonly keepImagesPerFunction?: number;

  /**
   * How long images that no rule keeps stay after their push: untagged images, images of
   * lineages that are no longer in the app, and images pushed by other tools. Whole days.
   * @default Duration.days(7)
   */
  readonly expireUntaggedAfter?: Duration;
}

/**
 * One ECR repository for many functions' images, so layers they share (base image, runtime,
 * dependencies, extension layers) are stored once.
 *
 * Images get immutable, content-addressed tags that name their lineage
 * (`<lineage>_<hash>-<content hash>`). The lifecycle keeps the newest `keepImagesPerFunction` of
 * each lineage, expires images nothing keeps after `expireUntaggedAfter`, and never expires an
 * image a deployed function uses: each function marks its image with an `inuse-…` tag (a custom
 * resource that follows deployments, rollbacks and deletions), and the top-priority rule claims
 * every marked image, so no other rule can expire it.
 *
 * Put it in a stack of its own and use `SharedImageRepositorySynthesizer` for the functions'
 * stacks: their image builds then wait for the repository's stack on a first `cdk deploy --all`.
 *
 * @example
 * const app = new App({ defaultStackSynthesizer: new SharedImageRepositorySynthesizer() });
 * const images = new SharedImageRepository(new Stack(app, 'Images'), 'Repository', {
 *   removalPolicy: RemovalPolicy.DESTROY,
 *   emptyOnDelete: true,
 * });
 * new LambdaContainerFunction(new Stack(app, 'Functions'), 'Api', {
 *   baseImage: BaseImage.python('3.13'),
 *   entry: 'src/api',
 *   cmd: ['app.handler'],
 *   repository: images,
 * });
 */
export class SharedImageRepository extends Resource implements ISharedImageRepository {
  /** Tag prefix of the in-use markers (never expired by this repository's lifecycle). */
  public static readonly IN_USE_TAG_PREFIX = IN_USE_TAG_PREFIX;

  /**
   * A repository created elsewhere (another app, or by hand), in this stack's account and region.
   * Images are published into it and marked in use as with a repository of this app; its
   * lifecycle and policies are whatever its owner set (see the README for what they need).
   * A CDK bootstrap repository (`cdk-<qualifier>-container-assets-<account>-<region>`) is refused:
   * its images belong to every app of the environment and `cdk gc` cleans it.
   */
  public static fromRepositoryName(scope: Construct, id: string, repositoryName: string): ISharedImageRepository {
    return new ImportedSharedImageRepository(scope, id, repositoryName);
  }

  public readonly repositoryName: string;
  public readonly repository: ecr.IRepository;

  /** Accounts (besides this one) whose functions may pull. */
  public readonly pullAccounts: string[];

  private readonly lineagePrefixes = new Set<string>();

  constructor(scope: Construct, id: string, props: SharedImageRepositoryProps = {}) {
    super(scope, id);
    const repositoryName = props.repositoryName ?? defaultRepositoryName(this.node.path);
    const keep = props.keepImagesPerFunction ?? 3;
    const expireDays = props.expireUntaggedAfter?.toDays({ integral: false }) ?? 7;
    const pullAccounts = props.pullAccounts ?? [];
    const problems: Problem[] = [];
    if (Token.isUnresolved(repositoryName)) {
      problems.push({ prop: 'repositoryName', value: '(a Token)', message: 'image asset manifests need the repository name at synth', fix: 'give a literal name, or leave it out for a derived one' });
    } else {
      problems.push(...checkRepositoryName(repositoryName), ...checkNotBootstrapRepository(repositoryName));
    }
    problems.push(...checkAccounts('pullAccounts', pullAccounts.filter(a => !Token.isUnresolved(a))));
    problems.push(...checkWholeNumber('keepImagesPerFunction', keep, 1, 'the number of images kept per function'));
    problems.push(...checkWholeNumber('expireUntaggedAfter', expireDays, 1, 'the age in days'));
    if (props.emptyOnDelete && props.removalPolicy !== RemovalPolicy.DESTROY) {
      problems.push({ prop: 'emptyOnDelete', value: 'true', message: `images are only deleted with the repository, and removalPolicy is ${props.removalPolicy ?? 'RETAIN (the default)'}`, fix: 'set removalPolicy: RemovalPolicy.DESTROY, or remove emptyOnDelete' });
    }
    failIfAny(this, problems);

    this.repositoryName = repositoryName;
    this.pullAccounts = [...pullAccounts];
    const repository = new ecr.Repository(this, 'Resource', {
      repositoryName,
      imageScanOnPush: props.imageScanOnPush ?? true,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      encryption: props.encryptionKey ? ecr.RepositoryEncryption.KMS : ecr.RepositoryEncryption.AES_256,
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      emptyOnDelete: props.emptyOnDelete,
    });
    this.repository = repository;
    const cfn = repository.node.defaultChild as ecr.CfnRepository;
    if (!props.encryptionKey) {
      // ECR's default, stated in the template (the L2 leaves it out) so reviews and scanners see it.
      cfn.encryptionConfiguration = { encryptionType: 'AES256' };
    }
    // Rendered at synth from the lineages routed here (functions register theirs as they bind).
    const policyOptions = () => ({ lineagePrefixes: [...this.lineagePrefixes], keepPerLineage: keep, expireOthersAfterDays: expireDays });
    cfn.lifecyclePolicy = { lifecyclePolicyText: Lazy.string({ produce: () => lifecyclePolicyText(policyOptions()) }) };
    this.node.addValidation({
      validate: () => {
        const chars = lifecyclePolicyText(policyOptions()).length;
        return chars > LIFECYCLE_POLICY_MAX_CHARS
          ? validationMessages(this, [{ prop: 'lifecycle policy', value: `(${chars} characters, ${this.lineagePrefixes.size} lineages)`, message: `ECR accepts at most ${LIFECYCLE_POLICY_MAX_CHARS} characters`, fix: 'spread the functions over several SharedImageRepository constructs, or share FunctionImages between functions (one lineage each)' }])
          : [];
      },
    });
    this.addPolicies();
  }

  public grantPull(grantee: iam.IGrantable): iam.Grant {
    return this.repository.grantPull(grantee);
  }

  public grantPullPush(grantee: iam.IGrantable): iam.Grant {
    return this.repository.grantPullPush(grantee);
  }

  /**
   * Registers an image lineage (its tag prefix) for the lifecycle's keep-newest-N rules.
   * @internal
   */
  public _addLineage(tagPrefix: string): void {
    this.lineagePrefixes.add(tagPrefix);
  }

  private addPolicies(): void {
    const stack = Stack.of(this);
    const accounts = [stack.account, ...this.pullAccounts];
    // Lambda pulls with its service principal, for functions of these accounts only.
    this.repository.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'LambdaPull',
      principals: [new iam.ServicePrincipal('lambda.amazonaws.com')],
      actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      conditions: { StringLike: { 'aws:sourceArn': accounts.map(a => `arn:${stack.partition}:lambda:${stack.region}:${a}:function:*`) } },
    }));
    if (this.pullAccounts.length > 0) {
      this.repository.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'PullAccounts',
        principals: this.pullAccounts.map(a => new iam.AccountPrincipal(a)),
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:PutImage', 'ecr:BatchDeleteImage'],
      }));
    }
    // cdk-assets pushes with the bootstrap image-publishing role, whose own policy names only the
    // bootstrap repository: this repository lets that role (of its own account) push.
    const qualifier = stack.synthesizer.bootstrapQualifier ?? 'hnb659fds';
    this.repository.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CdkImagePublishing',
      principals: [new iam.ArnPrincipal(`arn:${stack.partition}:iam::${stack.account}:role/cdk-${qualifier}-image-publishing-role-${stack.account}-${stack.region}`)],
      actions: [
        'ecr:DescribeRepositories', 'ecr:DescribeImages', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer',
        'ecr:BatchCheckLayerAvailability', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage',
      ],
    }));
  }
}

class ImportedSharedImageRepository extends Resource implements ISharedImageRepository {
  public readonly repository: ecr.IRepository;

  constructor(scope: Construct, id: string, public readonly repositoryName: string) {
    super(scope, id);
    const problems = Token.isUnresolved(repositoryName)
      ? [{ prop: 'repositoryName', value: '(a Token)', message: 'image asset manifests need the repository name at synth', fix: 'give the literal name' }]
      : [...checkRepositoryName(repositoryName), ...checkNotBootstrapRepository(repositoryName)];
    failIfAny(this, problems);
    this.repository = ecr.Repository.fromRepositoryName(this, 'Resource', repositoryName);
  }

  public grantPull(grantee: iam.IGrantable): iam.Grant {
    return this.repository.grantPull(grantee);
  }

  public grantPullPush(grantee: iam.IGrantable): iam.Grant {
    return this.repository.grantPullPush(grantee);
  }
}
