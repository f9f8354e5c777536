/**
 * The example app: a realistic set of container-image functions.
 *
 * - an S3-triggered thumbnailer on the AWS Python base image (arm64), Pillow installed from
 *   requirements.txt in its own layer, with three extension image layers: an external extension
 *   (a directory with extensions/), a wrapper script, and a shared library in a layer's layout;
 * - a Node.js function on a plain Debian Node image + the Runtime Interface Client (x86_64);
 * - one image serving two functions with different CMDs (x86_64), behind an HTTP API
 *   (`POST /orders`, `GET /orders`: `npx cdk-lambda-container start-api` serves it locally);
 * - a custom runtime (`bootstrap`) on the OS-only Amazon Linux 2023 base image (arm64);
 * - every image published into one SharedImageRepository, in a stack of its own
 *   (LambdaContainerImages) that `cdk deploy --all` deploys before the functions' images build.
 *
 * `npx projen example` synthesizes it offline and prints what it built.
 */
import * as path from 'path';
import { App, Duration, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import { Construct } from 'constructs';
import { BaseImage, ExtensionImageLayer, FunctionImage, ISharedImageRepository, LambdaContainerFunction, RuntimeInterfaceClient, SharedImageRepository, SharedImageRepositorySynthesizer } from '../src';

const FUNCTIONS_DIR = path.join(__dirname, 'functions');
const layer = (name: string) => path.join(__dirname, 'layers', name);

export interface ExampleStackProps extends StackProps {
  /**
   * Run every function on this architecture instead of the mix below: the end-to-end suite
   * builds and runs the images on the host's architecture.
   * @default - arm64 for the thumbnailer and the custom runtime, x86_64 for the others
   */
  readonly architecture?: lambda.Architecture;

  /**
   * Publish every image into this repository (the stack then uses SharedImageRepositorySynthesizer).
   * @default - the bootstrap repository
   */
  readonly repository?: ISharedImageRepository;

  /**
   * Where the functions' sources are (the deploy suite changes a copy of them).
   * @default - examples/functions
   */
  readonly functionsDir?: string;
}

export interface ImagesStackProps extends StackProps {
  /**
   * Name of the shared repository (the end-to-end suite uses a new one per run).
   * @default 'lambda-container-example'
   */
  readonly repositoryName?: string;
}

/** The shared image repository, in a stack of its own (deployed first). */
export class ImagesStack extends Stack {
  public readonly repository: SharedImageRepository;

  constructor(scope: Construct, id: string, props: ImagesStackProps = {}) {
    super(scope, id, props);
    this.repository = new SharedImageRepository(this, 'Repository', {
      repositoryName: props.repositoryName ?? 'lambda-container-example',
      keepImagesPerFunction: 3,
      // An example: deleting the stack deletes its images too.
      removalPolicy: RemovalPolicy.DESTROY,
      emptyOnDelete: true,
    });
  }
}

export class ExampleStack extends Stack {
  constructor(scope: Construct, id: string, props: ExampleStackProps = {}) {
    super(scope, id, { ...props, synthesizer: props.synthesizer ?? (props.repository ? new SharedImageRepositorySynthesizer() : undefined) });
    const repository = props.repository;
    const fn = (name: string) => path.join(props.functionsDir ?? FUNCTIONS_DIR, name);
    const arm64 = props.architecture ?? lambda.Architecture.ARM_64;
    const x86_64 = props.architecture ?? lambda.Architecture.X86_64;

    // 1. S3-triggered thumbnailer on the AWS Python base image, for Graviton.
    const bucket = new s3.Bucket(this, 'Images', { enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
    const thumbnailer = new LambdaContainerFunction(this, 'Thumbnailer', {
      baseImage: BaseImage.python('3.13'),
      entry: fn('thumbnailer'), // its requirements.txt (Pillow) is found there and installed before the code
      cmd: ['app.handler'],
      // What Lambda layers would give a .zip function, baked into the image before the code.
      imageLayers: [
        ExtensionImageLayer.fromDirectory(layer('telemetry')), //           extensions/telemetry → /opt/extensions
        ExtensionImageLayer.wrapperScript(layer('wrapper/start-runtime.sh')), // AWS_LAMBDA_EXEC_WRAPPER
        ExtensionImageLayer.fromLayerAsset(layer('image-utils')), //      python/ → /opt/python (or a layer .zip)
      ],
      architecture: arm64,
      repository, // published into the shared repository; the deployed image is marked in use
      memorySize: 1024,
      timeout: Duration.seconds(30),
      environment: { THUMBNAIL_SIZE: '128', THUMBNAIL_PREFIX: 'thumbnails/' },
    });
    bucket.grantReadWrite(thumbnailer);
    bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(thumbnailer), { prefix: 'uploads/' });

    // 2. Node.js on a plain Debian image: the RIC is compiled in a build stage, not shipped with compilers.
    new LambdaContainerFunction(this, 'Greeter', {
      image: FunctionImage.fromEntry(fn('greeter'), {
        baseImage: BaseImage.fromRegistry('node:22-bookworm-slim', { ric: RuntimeInterfaceClient.nodejs() }),
        // Named explicitly: its package.json declares no dependencies yet, so detection would skip it;
        // `npm ci` still checks that package.json and package-lock.json agree.
        dependencies: fn('greeter/package.json'),
        repository,
      }),
      cmd: ['index.handler'],
      architecture: x86_64,
    });

    // 3. One image, two functions: built and pushed once, each function with its own CMD.
    const orders = FunctionImage.fromEntry(fn('orders'), { baseImage: BaseImage.python('3.13'), repository });
    const createOrder = new LambdaContainerFunction(this, 'CreateOrder', { image: orders, cmd: ['app.create_order'], environment: { TABLE_NAME: 'orders' }, architecture: x86_64 });
    const listOrders = new LambdaContainerFunction(this, 'ListOrders', { image: orders, cmd: ['app.list_orders'], environment: { TABLE_NAME: 'orders' }, memorySize: 256, architecture: x86_64 });
    // ... behind an HTTP API (locally: `npx cdk-lambda-container start-api`).
    const api = new apigwv2.HttpApi(this, 'OrdersApi');
    api.addRoutes({ path: '/orders', methods: [apigwv2.HttpMethod.POST], integration: new HttpLambdaIntegration('CreateOrder', createOrder) });
    api.addRoutes({ path: '/orders', methods: [apigwv2.HttpMethod.GET], integration: new HttpLambdaIntegration('ListOrders', listOrders) });

    // 4. A custom runtime on the OS-only base image: the bootstrap itself is the entrypoint.
    new LambdaContainerFunction(this, 'CustomRuntime', {
      baseImage: BaseImage.providedAl2023(),
      entry: fn('custom-runtime'),
      entrypoint: ['/var/task/bootstrap'],
      architecture: arm64,
      repository,
    });

    // cdk-nag (AwsSolutions) findings this example accepts, each with its reason (test/nag.test.ts).
    // IAM4's finding ID holds '::' twice, which Validations.acknowledge (aws-cdk-lib 2.257) refuses: the
    // same acknowledgment is recorded as the metadata entry acknowledge() writes and cdk-nag reads.
    this.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
        "aws-cdk-lib's default Lambda execution role: the AWS managed policy only lets each function write its own CloudWatch Logs",
    });
    Validations.of(api).acknowledge(
      { id: 'AwsSolutions-APIG1', reason: 'an example API: access logs would need a log group and a format the example does not use; the functions log every request' },
      { id: 'AwsSolutions-APIG4', reason: 'an example API of made-up orders, open on purpose; a real one adds an authorizer (e.g. HttpJwtAuthorizer)' },
    );
    Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'an example bucket of uploads and thumbnails: server access logs would need a second bucket the example does not use' });
    Validations.of(thumbnailer).acknowledge(...['Action::s3:GetObject*', 'Action::s3:GetBucket*', 'Action::s3:List*', 'Action::s3:DeleteObject*', 'Action::s3:Abort*', `Resource::<${this.getLogicalId(bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*`]
      .map(finding => ({ id: `AwsSolutions-IAM5[${finding}]`, reason: 'bucket.grantReadWrite: the thumbnailer reads uploads and writes thumbnails anywhere in its own bucket, and nothing else' })));
  }
}

/** Builds the example app: the images stack and the functions stack (used by `cdk synth` and the integ test). */
export function buildExampleApp(app: App = new App()): App {
  const images = new ImagesStack(app, 'LambdaContainerImages');
  new ExampleStack(app, 'LambdaContainerExample', { repository: images.repository });
  return app;
}

if (require.main === module) {
  buildExampleApp().synth();
}
