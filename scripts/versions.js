// `npx projen versions`: what the project's tasks run with — the Node.js that projen's PATH gives
// them (node_modules/.bin/node from npm's `node` package, Node.js 22, where the machine has an older
// one), aws-cdk-lib, the CDK CLI, integ-runner and cdk-assets — and the package's own CLI
// (lib/cli/main.js, compiled) started on that Node.js. Fails if that Node.js is not one package.json's
// `engines` allows, or if the CLI does not start on it. .ci/run and scripts/compat.sh print it.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const version = name => {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return '(not installed)';
  }
};
const engines = pkg.engines?.node ?? '';
const min = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(engines.trim());
if (!min) throw new Error(`package.json engines.node is "${engines}": expected ">= X.Y.Z"`);
const compare = (a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
const ok = compare(process.versions.node.split('.').map(Number), min.slice(1).map(Number)) >= 0;
const cli = path.join(root, 'lib/cli/main.js');
const cliVersion = fs.existsSync(cli) ? execFileSync(process.execPath, [cli, '--version'], { encoding: 'utf8' }).trim() : '(not compiled: lib/cli/main.js)';
console.log([
  `node ${process.version} (${path.relative(root, process.execPath) || process.execPath}; engines "${engines}")`,
  `cdk-lambda-container CLI ${cliVersion} on it`,
  `aws-cdk-lib ${version('aws-cdk-lib')}`,
  `aws-cdk (CLI) ${version('aws-cdk')}`,
  `@aws-cdk/integ-runner ${version('@aws-cdk/integ-runner')}`,
  `cdk-assets ${version('cdk-assets')}`,
].join('; '));
if (!ok) {
  console.error(`Node.js ${process.version} does not satisfy engines "${engines}": run the tasks through npx/projen after npm install (node_modules/.bin/node)`);
  process.exit(1);
}
