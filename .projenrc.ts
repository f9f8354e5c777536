import { awscdk, javascript, JsonFile } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-lambda-container',
  description: 'AWS CDK constructs for Lambda functions packaged as container images: generated, architecture-safe Dockerfiles, one image for many functions, validated at synth.',
  author: 'cdk-lambda-container developers',
  authorAddress: 'dev@cdk-lambda-container.invalid',
  repositoryUrl: 'https://example.invalid/cdk-lambda-container.git',
  bin: { 'cdk-lambda-container': 'lib/cli/main.js' },
  keywords: ['aws-cdk', 'lambda', 'container-image', 'docker', 'ecr', 'runtime-interface-emulator'],
  license: 'Apache-2.0',
  // The API is still changing (README: breaking changes may land in minor versions until 1.0).
  stability: 'experimental',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // The floor: the lowest aws-cdk-lib supported (peer dependency), which the main CI run builds and
  // tests with. 2.257 is the newest release whose cloud assembly (schema 53) integ-runner can read:
  // its newest release (2.197.10) bundles a toolkit that stops at schema 53, and no release reads
  // the 54/55 that 2.258+ writes (those need CDK CLI >= 2.1149.0). The newest aws-cdk-lib with the
  // newest CLI is the matrix's other leg, scripts/compat.sh (README: Compatibility).
  cdkVersion: '2.257.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  // engines: Node.js 22 or later, for the package (its CLI, lib/cli/main.js, and the constructs).
  // Node 20 is past its end of life (2026-10-30); the CLI bundles the AWS SDK's credential chain,
  // whose releases from January 2027 require Node >= 22 (bundled when packaged: the next package
  // gets them); and CI runs everything on 22 only (the `node` devDependency below).
  minNodeVersion: '22.0.0',

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

  // Bundled: adm-zip reads existing Lambda layer .zip files at synth (ExtensionImageLayer.fromLayerAsset);
  // commander parses the CLI's command line (per-command help and options, --version; no dependencies);
  // the AWS SDK's default credential chain gives local functions the credentials SAM would (profiles,
  // SSO, env, container and instance providers).
  bundledDeps: ['adm-zip@^0.6.1', 'commander@^14.0.3', '@aws-sdk/credential-provider-node@^3.972.99'],
  devDeps: [
    // Node.js 22 for the project's own tooling where the machine has an older Node: npm's `node`
    // package installs the official binary as node_modules/.bin/node, which npx and every projen
    // task find first on PATH (the scripts' `#!/usr/bin/env node` then run on it). .ci/run checks it.
    'node@^22',
    // integ-runner's snapshot comparison and integ deploys through the toolkit library and the CDK
    // CLI, for assemblies integ-runner cannot read (e2e/compat/, the matrix's newest leg).
    '@aws-cdk/toolkit-lib@1.43.0',
    '@aws-cdk/cloudformation-diff@2.187.5',
    '@aws-cdk/integ-runner@2.197.10',
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    // The CDK CLI (2.x line; the npm 'latest' tag is 3.x), for the example app.
    'aws-cdk@2.1115.1',
    'cdk-nag@3.0.2',
    // The end-to-end suite talks to LocalStack's S3 and to the deploy emulator with the AWS SDK.
    '@aws-sdk/client-s3@3.1169.0',
    '@aws-sdk/client-cloudformation@3.1169.0',
    '@aws-sdk/client-ecr@3.1168.0',
    '@aws-sdk/client-lambda@3.1164.0',
    // The end-to-end suite publishes the example app's assets with the real cdk-assets.
    'cdk-assets@4.7.3',
    // Property-based tests (the shared repository's lifecycle never expires an image in use).
    'fast-check@4.11.0',
    // The shapes of the events the CLI builds (generate-event, start-api), types only.
    '@types/aws-lambda@8.10.164',
    // The AWS SDK's SigV4 signer, as the client of start-api's IAM routes in the conformance suite
    // (an implementation other than the one start-api checks signatures with).
    '@smithy/signature-v4@5.7.5',
  ],

  jestOptions: {
    // `projen test` runs jest with --ci: a changed snapshot fails instead of being rewritten.
    // `npx projen test:update` rewrites them on purpose.
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      testPathIgnorePatterns: ['/node_modules/', '/cdk.out/', '/integ/', '/e2e/'],
      coveragePathIgnorePatterns: ['/node_modules/', '/test/'],
      modulePathIgnorePatterns: ['<rootDir>/.tmp/', '<rootDir>/examples/cdk.out/', '<rootDir>/bench/out/'],
      watchPathIgnorePatterns: ['<rootDir>/.tmp/'],
      // aws-cdk-lib's deprecation warnings are failures (on the newest aws-cdk-lib too: scripts/compat.sh).
      setupFiles: ['<rootDir>/test/jsii-deprecated.ts'],
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'integ', 'bench', 'examples', 'e2e'],
  },
  gitignore: ['/.tmp/', '/e2e/java/target/', '/e2e/go/bindingapp', '/e2e/go/vendor/', '.jsii.tabl.json', '*.tabl.json', 'cdk.out', '*.tmp', '/bench/out/', '/examples/cdk.out/', 'integ/**/*.snapshot/asset.*'],
  npmignoreEnabled: true,
  npmIgnoreOptions: { ignorePatterns: ['/integ/', '/bench/', '/examples/', '/.ci/', '/.tmp/', '/e2e/', '/scripts/', '/rosetta/', '*.tabl.json'] },
});

// No import cycles between values. (The rule skips `import type`; test/project-layout.test.ts checks
// the whole graph. The factories' options live in src/types.ts, so src/private/*-image.ts import
// nothing from the function-image.ts that imports them.)
project.eslint?.addRules({ 'import/no-cycle': ['error', { allowUnsafeDynamicCyclicDependency: false }] });

// npm 11 runs a dependency's install scripts only where allowScripts lets it (a warning today):
// the `node` package's preinstall is what fetches the Node.js 22 binary.
project.package.addField('allowScripts', { node: true });

// What the tasks run with (Node.js, the CDK versions) and the CLI started on that Node.js; fails if
// the Node.js is not one `engines` allows. .ci/run and scripts/compat.sh print it.
project.addTask('versions', {
  description: 'Print the Node.js, aws-cdk-lib and CDK CLI the tasks run with, and start the CLI on that Node.js',
  exec: 'node scripts/versions.js',
});

// integ-runner snapshots keep their `cdk.out` version marker (the folder-wide ignore must not hide it).
project.gitignore.include('integ/**/*.snapshot/cdk.out');

// integ/, bench/ and examples/ are TypeScript run by ts-node (and linted): each gets a tsconfig
// that sees src/ too.
for (const dir of ['integ', 'bench', 'examples', 'e2e']) {
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
  env: { TS_NODE_PROJECT: 'integ/tsconfig.json', TS_NODE_TRANSPILE_ONLY: 'true' },
});
project.addTask('integ:update', {
  description: 'Re-synthesize the integ-runner snapshots (read the diff before committing)',
  exec: 'integ-runner --directory integ --language typescript --parallel-regions us-east-1 --update-on-failed --dry-run',
  env: { TS_NODE_PROJECT: 'integ/tsconfig.json', TS_NODE_TRANSPILE_ONLY: 'true' },
});
project.testTask.spawn(integ);

const cfnLint = project.addTask('lint:cfn', {
  description: 'cfn-lint on the integ snapshot templates (installs cfn-lint into .tmp/ on first use)',
  exec: 'scripts/cfn-lint.sh',
});
project.testTask.spawn(cfnLint);

// The README's main job: the real CDK CLI synthesizes examples/ offline (no Docker, no AWS
// account), then the package's own CLI prints what each function is built from.
const example = project.addTask('example', {
  description: 'Synthesize the example app offline and print every function it builds',
  env: { CDK_DISABLE_CLI_TELEMETRY: 'true' },
});
example.exec('rm -rf cdk.out && cdk synth --quiet --no-notices', { cwd: 'examples' });
example.exec('ts-node --transpile-only src/cli/main.ts summary examples/cdk.out');

// The end-to-end suite: real builds (podman), a real registry, the real RIE and RICs. Its scripts
// install and start everything (scripts/e2e/setup.sh); CI runs it, it is never skipped there.
new JsonFile(project, 'e2e/jest.config.json', {
  obj: {
    rootDir: '..',
    testMatch: ['<rootDir>/e2e/**/*.e2e.ts'],
    testEnvironment: 'node',
    testTimeout: 1_800_000,
    modulePathIgnorePatterns: ['<rootDir>/.tmp/', '<rootDir>/examples/cdk.out/', '<rootDir>/bench/out/'],
    transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
  },
});
const e2e = project.addTask('e2e', {
  description: 'End-to-end suite: builds, pushes and invokes the example images for real (installs its tools)',
});
e2e.exec('scripts/e2e/setup.sh');
e2e.exec('jest --config e2e/jest.config.json --runInBand --ci', { receiveArgs: true });
// The integ-runner tests of integ/ deployed to the emulator (or E2E_DEPLOY_ENDPOINT), assertions run there.
const integDeploy = project.addTask('integ:deploy', {
  description: 'Deploy every integ/ test with integ-runner to the emulator, run its assertions, destroy it (part of e2e)',
});
integDeploy.exec('scripts/e2e/setup.sh');
integDeploy.exec('jest --config e2e/jest.config.json --runInBand --ci e2e/integ.e2e.ts');

// README and doc-comment snippets must compile (against rosetta/default.ts-fixture).
const snippets = project.addTask('docs:snippets', {
  description: 'Compile the README and API snippets with jsii-rosetta',
  exec: 'jsii-rosetta extract --fail --compile',
});
project.postCompileTask.spawn(snippets);

// The CLI is the package's `bin`: executable in lib/ so that the tarball (and the Python wheel, whose
// console script jsii-pacmak generates to run lib/cli/main.js from the tarball directly) carries the
// bit. npm sets it on install; the wheel's script does not (PermissionError without this).
project.compileTask.exec('chmod +x lib/cli/main.js');

project.addTask('bench:rebuild', {
  description: 'Rebuild-cost benchmark against a naive Dockerfile (real builds and pushes: needs scripts/e2e/setup.sh)',
  exec: 'scripts/e2e/setup.sh && ts-node --transpile-only --project bench/tsconfig.json bench/rebuild.ts',
});

project.addTask('bench:dedup', {
  description: 'De-duplication benchmark: 10 functions in one repository against a naive Dockerfile (needs scripts/e2e/setup.sh)',
  exec: 'scripts/e2e/setup.sh && ts-node --transpile-only --project bench/tsconfig.json bench/dedup.ts',
});

project.addTask('bench:invoke', {
  description: 'Local-invoke benchmark: cold start and warm overhead against the SAM CLI on the same image (needs a compiled lib/)',
  exec: 'scripts/e2e/setup.sh && scripts/e2e/sam.sh && ts-node --transpile-only --project bench/tsconfig.json bench/invoke.ts',
});
project.addTask('bench:api', {
  description: 'Local HTTP API benchmark: start-api against the SAM CLI\'s start-api on the same image (rps, p50/p99), and start-lambda\'s overhead',
  exec: 'scripts/e2e/setup.sh && scripts/e2e/sam.sh && ts-node --transpile-only --project bench/tsconfig.json bench/api.ts',
});
project.addTask('bench:reload', {
  description: 'Edit-to-answer benchmark: start-api --reload against --watch and against sam build && sam local start-api restarted (p50/p90 over 20 edits; needs a compiled lib/)',
  exec: 'scripts/e2e/setup.sh && scripts/e2e/sam.sh && ts-node --transpile-only --project bench/tsconfig.json bench/reload.ts',
});
project.addTask('bench:apigw', {
  description: 'API Gateway conformance: the conformance suite against start-api and against sam local start-api on the same templates (pass rates per case)',
  exec: 'scripts/e2e/setup.sh && scripts/e2e/sam.sh && ts-node --transpile-only --project bench/tsconfig.json bench/apigw-conformance.ts',
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
