import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SharedImageRepository, SharedImageRepositoryProps } from '../src';

function repositoryStack(props: SharedImageRepositoryProps = {}) {
  const app = new App();
  const stack = new Stack(app, 'Images', { env: { account: '111111111111', region: 'eu-west-1' } });
  const repository = new SharedImageRepository(stack, 'Repository', props);
  return { stack, repository, template: () => Template.fromStack(stack) };
}

function statement(template: Template, sid: string) {
  const repo = Object.values(template.findResources('AWS::ECR::Repository'))[0];
  return repo.Properties.RepositoryPolicyText.Statement.find((s: { Sid?: string }) => s.Sid === sid);
}

describe('SharedImageRepository', () => {
  test('defaults: scan on push, immutable tags, AES256, retained, a name derived from the path', () => {
    const { template, repository } = repositoryStack();
    expect(repository.repositoryName).toMatch(/^images\.repository-[0-9a-f]{8}$/);
    template().hasResource('AWS::ECR::Repository', {
      Properties: {
        RepositoryName: repository.repositoryName,
        ImageScanningConfiguration: { ScanOnPush: true },
        ImageTagMutability: 'IMMUTABLE',
        EncryptionConfiguration: { EncryptionType: 'AES256' },
        EmptyOnDelete: Match.absent(),
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('takes a KMS key, scan off, DESTROY with emptyOnDelete', () => {
    const { stack, template } = repositoryStack();
    const key = new kms.Key(stack, 'Key');
    new SharedImageRepository(stack, 'Encrypted', { repositoryName: 'team/images', encryptionKey: key, imageScanOnPush: false, removalPolicy: RemovalPolicy.DESTROY, emptyOnDelete: true });
    template().hasResource('AWS::ECR::Repository', {
      Properties: {
        RepositoryName: 'team/images',
        ImageScanningConfiguration: { ScanOnPush: false },
        EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } },
        EmptyOnDelete: true,
      },
      DeletionPolicy: 'Delete',
    });
  });

  test('lets Lambda pull only for functions of its own account and region', () => {
    const { template } = repositoryStack();
    expect(statement(template(), 'LambdaPull')).toEqual({
      Sid: 'LambdaPull',
      Effect: 'Allow',
      Principal: { Service: 'lambda.amazonaws.com' },
      Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      Condition: { StringLike: { 'aws:sourceArn': [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda:eu-west-1:111111111111:function:*']] }] } },
    });
    expect(statement(template(), 'PullAccounts')).toBeUndefined();
  });

  test('pullAccounts: their Lambda service and the accounts may pull (and mark images in use)', () => {
    const { template } = repositoryStack({ pullAccounts: ['222222222222'] });
    expect(statement(template(), 'LambdaPull').Condition.StringLike['aws:sourceArn']).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda:eu-west-1:111111111111:function:*']] },
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda:eu-west-1:222222222222:function:*']] },
    ]);
    expect(statement(template(), 'PullAccounts')).toMatchObject({
      Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::222222222222:root']] } },
      Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:PutImage', 'ecr:BatchDeleteImage'],
    });
  });

  test('lets the bootstrap image-publishing role of its account push (its qualifier)', () => {
    const app = new App({ context: { '@aws-cdk/core:bootstrapQualifier': 'team1' } });
    const stack = new Stack(app, 'Images', { env: { account: '111111111111', region: 'eu-west-1' } });
    new SharedImageRepository(stack, 'Repository');
    const publishing = statement(Template.fromStack(stack), 'CdkImagePublishing');
    expect(publishing.Principal).toEqual({ AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:role/cdk-team1-image-publishing-role-111111111111-eu-west-1']] } });
    expect(publishing.Action).toEqual(expect.arrayContaining(['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:CompleteLayerUpload', 'ecr:DescribeImages', 'ecr:DescribeRepositories']));
    expect(publishing.Action).not.toContain('ecr:BatchDeleteImage');
  });

  test('has a lifecycle with the in-use rule first and the catch-all last, even with no function yet', () => {
    const { template } = repositoryStack({ keepImagesPerFunction: 5, expireUntaggedAfter: Duration.days(2) });
    const repo = Object.values(template().findResources('AWS::ECR::Repository'))[0];
    const rules = JSON.parse(repo.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
    expect(rules.map((r: any) => [r.rulePriority, r.selection.tagStatus, r.selection.countNumber])).toEqual([[1, 'tagged', 9999], [10, 'any', 2]]);
  });

  test('grantPull and grantPullPush give identity policies on the repository', () => {
    const { stack, repository, template } = repositoryStack();
    const role = new iam.Role(stack, 'Ci', { assumedBy: new iam.AccountRootPrincipal() });
    repository.grantPullPush(role);
    repository.grantPull(new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() }));
    const policies = Object.values(template().findResources('AWS::IAM::Policy')).map(p => p.Properties.PolicyDocument.Statement.flatMap((s: any) => s.Action));
    expect(policies.flat()).toEqual(expect.arrayContaining(['ecr:PutImage', 'ecr:BatchGetImage', 'ecr:GetAuthorizationToken']));
  });

  test('fromRepositoryName uses a repository created elsewhere', () => {
    const { stack } = repositoryStack();
    const imported = SharedImageRepository.fromRepositoryName(stack, 'Imported', 'platform/images');
    expect(imported.repositoryName).toBe('platform/images');
    expect(imported.env.account).toBe('111111111111');
    expect(() => SharedImageRepository.fromRepositoryName(stack, 'Bad', 'Platform Images')).toThrow(/Images\/Bad: invalid repositoryName "Platform Images": ECR accepts .*Fix: use a name such as "platform.images"/);
  });

  test('fromRepositoryName refuses a CDK bootstrap repository, whose images belong to other apps', () => {
    const { stack } = repositoryStack();
    expect(() => SharedImageRepository.fromRepositoryName(stack, 'Bootstrap', 'cdk-hnb659fds-container-assets-123456789012-us-east-1')).toThrow(
      'Images/Bootstrap: invalid repositoryName "cdk-hnb659fds-container-assets-123456789012-us-east-1": it is a CDK bootstrap repository '
      + '(cdk-<qualifier>-container-assets-<account>-<region>), whose images belong to every app deployed to its environment: `cdk gc` deletes the images '
      + 'no deployed template names, whatever their in-use markers, and its lifecycle is the bootstrap stack\'s. Fix: create a SharedImageRepository for this '
      + 'app\'s images (in a stack of its own), or leave repository out and images go to the bootstrap repository as in plain CDK.');
    // Another qualifier, and a name that only looks alike, are told apart.
    expect(() => SharedImageRepository.fromRepositoryName(stack, 'Custom', 'cdk-myteam01-container-assets-222222222222-eu-west-1')).toThrow(/invalid repositoryName .*bootstrap repository/);
    expect(SharedImageRepository.fromRepositoryName(stack, 'Alike', 'team/cdk-container-assets').repositoryName).toBe('team/cdk-container-assets');
  });

  describe('fails at synth with the path, prop, value and fix', () => {
    test.each<[string, SharedImageRepositoryProps, RegExp]>([
      ['a name ECR rejects', { repositoryName: 'My_Images' }, /Images\/Repository: invalid repositoryName "My_Images": ECR accepts 2 to 256 characters .*Fix: use a name such as "my.images"/],
      ['a one-character name', { repositoryName: 'a' }, /invalid repositoryName "a"/],
      ['a bootstrap repository\'s name', { repositoryName: 'cdk-hnb659fds-container-assets-111111111111-eu-west-1' }, /Images\/Repository: invalid repositoryName "cdk-hnb659fds-container-assets-111111111111-eu-west-1": it is a CDK bootstrap repository/],
      ['a pull account that is not 12 digits', { pullAccounts: ['12345'] }, /invalid pullAccounts "12345": an AWS account ID is exactly 12 digits\. Fix: give the 12-digit account ID/],
      ['a lifecycle count below 1', { keepImagesPerFunction: 0 }, /invalid keepImagesPerFunction 0: the number of images kept per function must be a whole number of at least 1\. Fix: set keepImagesPerFunction to 1 or more/],
      ['a fraction of a day', { expireUntaggedAfter: Duration.hours(12) }, /invalid expireUntaggedAfter 0\.5: the age in days must be a whole number of at least 1/],
      ['emptyOnDelete without DESTROY', { emptyOnDelete: true }, /invalid emptyOnDelete true: images are only deleted with the repository, and removalPolicy is RETAIN \(the default\)\. Fix: set removalPolicy: RemovalPolicy\.DESTROY/],
    ])('%s', (_name, props, message) => {
      expect(() => repositoryStack(props)).toThrow(message);
    });
  });
});
