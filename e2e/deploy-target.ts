/**
 * Where the deploy suites (deploy.e2e.ts, integ.e2e.ts) deploy, and how they run the real CLIs
 * against it: the emulator (ministack, started by scripts/e2e/ministack.sh; the default, what CI
 * runs), or with E2E_DEPLOY_ENDPOINT another endpoint (LocalStack with an auth token, e.g.
 * http://localhost.localstack.cloud:4566), or with E2E_DEPLOY_ENDPOINT=aws a real account through
 * the usual variables (AWS_PROFILE, AWS_REGION). The emulator's shims and the tests of its gaps
 * apply to the emulator only.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { engineEnv, REPO } from './helpers';

const env = engineEnv();
export const EMULATOR_PORT = env.E2E_MINISTACK_PORT!;
export const EMULATOR = `http://127.0.0.1:${EMULATOR_PORT}`;
const TARGET = process.env.E2E_DEPLOY_ENDPOINT;
export const ON_EMULATOR = TARGET === undefined;
/** The endpoint the AWS SDK and the CLIs are pointed at (undefined: AWS's own). */
export const ENDPOINT = ON_EMULATOR ? EMULATOR : TARGET === 'aws' ? undefined : TARGET;
export const REGION = ON_EMULATOR ? env.E2E_MINISTACK_REGION! : process.env.AWS_REGION ?? 'us-east-1';
/** The emulator's account ('' elsewhere: read it from what was deployed). */
export const EMULATOR_ACCOUNT = ON_EMULATOR ? env.E2E_MINISTACK_ACCOUNT! : '';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
/** AWS SDK v3 client configuration for the target. */
export const clientConfig = { endpoint: ENDPOINT, region: REGION, credentials: ON_EMULATOR ? credentials : undefined };
/** The fidelity shim scripts/e2e/ministack.sh starts in front of the emulator (e2e/ministack-shim.ts). */
export const EMULATOR_SHIM = `http://127.0.0.1:${env.E2E_MINISTACK_SHIM_PORT}`;

/**
 * The environment of the CDK CLI and integ-runner: on the emulator, its endpoint through an ECR
 * fidelity shim (`shimEndpoint`), test credentials only, and cdk-assets' pushes redirected to the
 * emulator's registry (scripts/e2e/ecr-push-shim.sh, logging each push to `pushLog`); elsewhere the
 * target as the caller's environment gives it.
 */
export function cliEnv(o: { shimEndpoint?: string; pushLog?: string } = {}): NodeJS.ProcessEnv {
  const common = { ...env, AWS_REGION: REGION, AWS_DEFAULT_REGION: REGION, CDK_DISABLE_CLI_TELEMETRY: 'true' };
  if (!ON_EMULATOR) return { ...common, ...(ENDPOINT ? { AWS_ENDPOINT_URL: ENDPOINT } : {}) };
  return {
    ...common,
    AWS_ENDPOINT_URL: o.shimEndpoint ?? EMULATOR_SHIM,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    CDK_DOCKER: path.join(REPO, 'scripts/e2e/ecr-push-shim.sh'),
    ...(o.pushLog ? { E2E_PUSH_LOG: o.pushLog } : {}),
  };
}

export interface Ran { readonly code: number; readonly output: string; readonly seconds: number }

/** Runs one of the project's CLIs (node_modules/.bin) to the end: exit code, stdout+stderr, wall time. */
export async function runCli(bin: string, args: string[], o: { env: NodeJS.ProcessEnv; cwd?: string }): Promise<Ran> {
  const started = Date.now();
  const child = spawn(path.join(REPO, 'node_modules/.bin', bin), args, { env: o.env, cwd: o.cwd ?? REPO });
  let output = '';
  child.stdout.on('data', d => output += d);
  child.stderr.on('data', d => output += d);
  const code = await new Promise<number>(resolve => child.on('close', c => resolve(c ?? -1)));
  return { code, output, seconds: (Date.now() - started) / 1000 };
}

/** The real CDK CLI, as a user runs it, on a cloud assembly (or an app command). */
export function cdk(app: string, cliEnvironment: NodeJS.ProcessEnv, ...args: string[]): Promise<Ran> {
  return runCli('cdk', [...args, '--app', app, '--no-notices', '--require-approval', 'never', '--progress', 'events'], { env: cliEnvironment });
}

/** `cdk bootstrap` of the target's environment as a user runs it, from a directory without an app. */
export async function bootstrap(cliEnvironment: NodeJS.ProcessEnv): Promise<void> {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'clc-e2e-bootstrap-'));
  const out = await runCli('cdk', ['bootstrap', ...(ON_EMULATOR ? [`aws://${EMULATOR_ACCOUNT}/${REGION}`] : []), '--no-notices'], { env: cliEnvironment, cwd });
  if (out.code !== 0) throw new Error(`cdk bootstrap failed:\n${out.output}`);
}

/** Whether the stack is on the target (and not DELETE_COMPLETE). */
export async function stackExists(cfn: CloudFormationClient, name: string): Promise<boolean> {
  try {
    const out = await cfn.send(new DescribeStacksCommand({ StackName: name }));
    return (out.Stacks ?? []).some(s => s.StackStatus !== 'DELETE_COMPLETE');
  } catch (err: any) {
    if (/does not exist/.test(String(err.message))) return false;
    throw err;
  }
}
