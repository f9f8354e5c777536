import { awscdk, javascript, JsonFile } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-lambda-container',
  description: 'AWS CDK constructs for Lambda functions packaged as container images: generated, architecture-safe Dockerfiles, one image for many functions, validated at synth.',
  author: 'cdk-lambda-container developers',
  authorAddress: 'dev@cdk-lambda-container.invalid',
  repositoryUrl: 'https://example.invalid/cdk-lambda-container.git',
  keywords: ['aws-cdk', 'lambda', 'container-image', 'docker', 'ecr', 'runtime-interface-emulator'],
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // aws-cdk-lib 2.276 is the newest 2.x release and runs on Node 20.
  cdkVersion: '2.276.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',

  // No hosting service here: no workflows, no releases, no publishing.
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  // jsii targets (configured for packaging, never published from this repository).
  publishToPypi: { distName: 'cdk-lambda-container', module: 'cdk_lambda_container' },
  publishToMaven: {
    javaPackage: 'io.github.cdklambdacontainer',
    mavenGroupId: 'io.github.cdklambdacontainer',
    mavenArtifactId: 'cdk-lambda-container',
  },
  publishToNuget: { dotNetNamespace: 'CdkLambdaContainer', packageId: 'CdkLambdaContainer' },
  publishToGo: { moduleName: 'example.invalid/cdk-lambda-container-go' },

  devDeps: [
    '@aws-cdk/integ-runner@2.197.10',
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
  ],

  jestOptions: {
    // `projen test` runs jest with --ci: a changed snapshot fails instead of being rewritten.
    // `npx projen test:update` rewrites them on purpose.
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      testPathIgnorePatterns: ['/node_modules/', '/cdk.out/', '/integ/'],
      coveragePathIgnorePatterns: ['/node_modules/', '/test/'],
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'integ', 'bench', 'examples'],
  },
  gitignore: ['cdk.out', '*.tmp', '/bench/out/', '/examples/cdk.out/', 'integ/**/*.snapshot/asset.*'],
  npmignoreEnabled: true,
  npmIgnoreOptions: { ignorePatterns: ['/integ/', '/bench/', '/examples/', '/.ci/'] },
});

// integ/, bench/ and examples/ are TypeScript run by ts-node (and linted): each gets a tsconfig
// that sees src/ too.
for (const dir of ['integ', 'bench', 'examples']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '..' },
      include: ['**/*.ts', '../src/**/*.ts'],
      exclude: ['node_modules', 'cdk.out', '**/*.snapshot/**'],
    },
  });
}

// Integration tests: integ-runner apps in the top-level integ/ folder, snapshots committed beside them.
const integ = project.addTask('integ', {
  description: 'Verify the integ-runner snapshots in integ/ (synthesizes offline, deploys nothing)',
  exec: 'integ-runner --directory integ --language typescript --parallel-regions us-east-1',
  env: { TS_NODE_PROJECT: 'integ/tsconfig.json' },
});
project.addTask('integ:update', {
  description: 'Re-synthesize the integ-runner snapshots (read the diff before committing)',
  exec: 'integ-runner --directory integ --language typescript --parallel-regions us-east-1 --update-on-failed --dry-run',
  env: { TS_NODE_PROJECT: 'integ/tsconfig.json' },
});
project.testTask.spawn(integ);

project.addTask('example', {
  description: 'Synthesize the example app offline and print every function it builds',
  exec: 'ts-node --project examples/tsconfig.json examples/main.ts',
});

project.addTask('bench', {
  description: 'Synth-cost benchmark against plain aws-cdk-lib (prints ratios)',
  exec: 'ts-node --project bench/tsconfig.json bench/synth.ts',
});

// `build` packages JavaScript only: the other jsii targets need their toolchains (the .NET SDK is not
// on these machines). `npx projen package-all` builds every language where the toolchains exist.
project.packageTask.reset();
project.packageTask.spawn(project.tasks.tryFind('package:js')!);

project.synth();
