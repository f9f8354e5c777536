/**
 * The HTTP front doors of an app's container-image functions, read from its templates: API
 * Gateway HTTP APIs (v2: routes, `$default`, payload format 1.0 or 2.0), REST APIs (v1: the
 * resource tree, methods, Lambda proxy integrations) and Lambda function URLs. What cannot be
 * served locally (another integration type, a function of another stack) is listed with why.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as cxschema from 'aws-cdk-lib/cloud-assembly-schema';
import { readImageFunctions } from '../local/assembly';

export type PayloadFormat = '1.0' | '2.0';
export type ApiKind = 'http-api' | 'rest-api' | 'function-url';

/** One route to a function. */
export interface ApiRoute {
  readonly method: string;
  /** `/orders/{id}`, `/files/{proxy+}`, or `$default` (every request no other route takes). */
  readonly path: string;
  /** The function's construct path in the assembly. */
  readonly functionPath: string;
  readonly payloadFormat: PayloadFormat;
}

/** An API (or a function URL) and its routes. */
export interface Api {
  readonly kind: ApiKind;
  readonly stack: string;
  readonly logicalId: string;
  readonly stage: string;
  /** Seconds API Gateway waits for the function (29 for REST APIs, 30 for HTTP APIs; the function's own for URLs). */
  readonly timeoutSeconds: number;
  /** REST APIs' binaryMediaTypes: request bodies of these types reach the function base64-encoded. */
  readonly binaryMediaTypes: readonly string[];
  readonly routes: readonly ApiRoute[];
  /** Routes or methods that are not served locally, with why. */
  readonly skipped: readonly string[];
  /** The stage's variables (`StageVariables`, REST `Variables`); values only known after deployment are left out (listed in `skipped`). */
  readonly stageVariables: Readonly<Record<string, string>>;
}

/** A stage's variables with literal values; the others (a Ref, a GetAtt…) are said in `skipped`. */
function literalVariables(variables: Json, skipped: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables ?? {})) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[name] = String(value);
    else skipped.push(`stage variable ${name}: ${JSON.stringify(value)} is known only after deployment: not set`);
  }
  return out;
}

type Json = any;

/** The APIs of every stack of the assembly. */
export function readApis(assemblyDir: string): Api[] {
  const functions = readImageFunctions(assemblyDir);
  const manifest = cxschema.Manifest.loadAssemblyManifest(path.join(assemblyDir, 'manifest.json'));
  const apis: Api[] = [];
  for (const [stack, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== cxschema.ArtifactType.AWS_CLOUDFORMATION_STACK) continue;
    const properties = artifact.properties as cxschema.AwsCloudFormationStackProperties;
    const resources: Record<string, Json> = JSON.parse(fs.readFileSync(path.join(assemblyDir, properties.templateFile), 'utf8')).Resources ?? {};
    const functionOf = (value: unknown): string | undefined => {
      const arn = findGetAttArn(value);
      return functions.find(f => f.stack === stack && f.logicalId === arn)?.path;
    };
    const timeoutOf = (fnPath: string) => functions.find(f => f.path === fnPath)?.timeout ?? 3;
    apis.push(...httpApis(stack, resources, functionOf), ...restApis(stack, resources, functionOf));
    apis.push(...functionUrls(stack, resources, functionOf, timeoutOf));
  }
  return apis;
}

function byType(resources: Record<string, Json>, type: string): Array<[string, Json]> {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

const refTo = (value: Json): string | undefined => (value && typeof value === 'object' && typeof value.Ref === 'string' ? value.Ref : undefined);

/** The logical ID X of the first `{"Fn::GetAtt": [X, "Arn"]}` in a value. */
function findGetAttArn(value: unknown): string | undefined {
  const match = /\{"Fn::GetAtt":\["([^"]+)","Arn"\]\}/.exec(JSON.stringify(value ?? null));
  return match?.[1];
}

function httpApis(stack: string, resources: Record<string, Json>, functionOf: (v: unknown) => string | undefined): Api[] {
  const integrations = new Map(byType(resources, 'AWS::ApiGatewayV2::Integration').map(([id, r]) => [id, r.Properties]));
  return byType(resources, 'AWS::ApiGatewayV2::Api').filter(([, r]) => r.Properties?.ProtocolType === 'HTTP').map(([apiId]) => {
    const routes: ApiRoute[] = [];
    const skipped: string[] = [];
    for (const [, route] of byType(resources, 'AWS::ApiGatewayV2::Route')) {
      const p = route.Properties ?? {};
      if (refTo(p.ApiId) !== apiId) continue;
      const routeKey = String(p.RouteKey);
      const integrationId = /"Ref":"([^"]+)"/.exec(JSON.stringify(p.Target ?? ''))?.[1];
      const integration = integrationId ? integrations.get(integrationId) : undefined;
      const fn = integration?.IntegrationType === 'AWS_PROXY' ? functionOf(integration.IntegrationUri) : undefined;
      if (!fn) {
        skipped.push(`${routeKey}: ${integration ? `its ${integration.IntegrationType} integration is not a container-image function of this stack` : 'no integration'}`);
        continue;
      }
      const [method, routePath] = routeKey === '$default' ? ['ANY', '$default'] : routeKey.split(' ');
      routes.push({ method, path: routePath, functionPath: fn, payloadFormat: integration.PayloadFormatVersion === '1.0' ? '1.0' : '2.0' });
    }
    const stageProps = byType(resources, 'AWS::ApiGatewayV2::Stage').find(([, s]) => refTo(s.Properties?.ApiId) === apiId)?.[1].Properties;
    const stageVariables = literalVariables(stageProps?.StageVariables, skipped);
    return { kind: 'http-api', stack, logicalId: apiId, stage: stageProps?.StageName ?? '$default', timeoutSeconds: 30, binaryMediaTypes: [], routes, skipped, stageVariables };
  });
}

function restApis(stack: string, resources: Record<string, Json>, functionOf: (v: unknown) => string | undefined): Api[] {
  return byType(resources, 'AWS::ApiGateway::RestApi').map(([apiId, api]) => {
    // The resource tree: each resource's path from its parent's (the root is a GetAtt of the API).
    const paths = new Map<string, string>();
    const pathOf = (resourceId: Json): string | undefined => {
      if (JSON.stringify(resourceId) === JSON.stringify({ 'Fn::GetAtt': [apiId, 'RootResourceId'] })) return '/';
      const id = refTo(resourceId);
      if (!id || !resources[id]) return undefined;
      if (!paths.has(id)) {
        const parent = pathOf(resources[id].Properties.ParentId);
        if (parent === undefined) return undefined;
        paths.set(id, `${parent === '/' ? '' : parent}/${resources[id].Properties.PathPart}`);
      }
      return paths.get(id);
    };
    const routes: ApiRoute[] = [];
    const skipped: string[] = [];
    for (const [, method] of byType(resources, 'AWS::ApiGateway::Method')) {
      const p = method.Properties ?? {};
      if (refTo(p.RestApiId) !== apiId) continue;
      const resourcePath = pathOf(p.ResourceId) ?? '?';
      const fn = p.Integration?.Type === 'AWS_PROXY' ? functionOf(p.Integration.Uri) : undefined;
      if (!fn) {
        const type = p.Integration?.Type ?? 'missing';
        if (p.HttpMethod !== 'OPTIONS') skipped.push(`${p.HttpMethod} ${resourcePath}: its ${type} integration is not a container-image function of this stack`);
        continue;
      }
      routes.push({ method: p.HttpMethod, path: resourcePath, functionPath: fn, payloadFormat: '1.0' });
    }
    const stageProps = byType(resources, 'AWS::ApiGateway::Stage').find(([, s]) => refTo(s.Properties?.RestApiId) === apiId)?.[1].Properties;
    const stageVariables = literalVariables(stageProps?.Variables, skipped);
    const binaryMediaTypes = api.Properties?.BinaryMediaTypes ?? [];
    return { kind: 'rest-api', stack, logicalId: apiId, stage: stageProps?.StageName ?? 'prod', timeoutSeconds: 29, binaryMediaTypes, routes, skipped, stageVariables };
  });
}

function functionUrls(
  stack: string, resources: Record<string, Json>, functionOf: (v: unknown) => string | undefined, timeoutOf: (fn: string) => number,
): Api[] {
  return byType(resources, 'AWS::Lambda::Url').flatMap(([id, url]) => {
    const fn = functionOf(url.Properties?.TargetFunctionArn);
    if (!fn) return [];
    return [{
      kind: 'function-url' as const,
      stack,
      logicalId: id,
      stage: '$default',
      timeoutSeconds: timeoutOf(fn),
      binaryMediaTypes: [],
      routes: [{ method: 'ANY', path: '$default', functionPath: fn, payloadFormat: '2.0' as const }],
      skipped: [],
      stageVariables: {},
    }];
  });
}

/** A route that takes a request, and the path parameters it gives. */
export interface RouteMatch {
  readonly route: ApiRoute;
  readonly pathParameters: Record<string, string>;
}

/**
 * The route API Gateway picks for a request: an exact path before one with variables, a variable
 * before a greedy `{proxy+}`, the method before `ANY`, and `$default` last.
 */
export function matchRoute(routes: readonly ApiRoute[], method: string, requestPath: string): RouteMatch | undefined {
  const candidates: Array<RouteMatch & { score: number[] }> = [];
  const requestParts = requestPath.split('/').filter(Boolean);
  for (const route of routes) {
    if (route.method !== 'ANY' && route.method !== method) continue;
    const methodScore = route.method === 'ANY' ? 0 : 1;
    if (route.path === '$default') {
      candidates.push({ route, pathParameters: {}, score: [0, 0, 0, methodScore] });
      continue;
    }
    const parts = route.path.split('/').filter(Boolean);
    const params: Record<string, string> = {};
    let ok = true;
    let exact = 0;
    let greedy = false;
    for (let i = 0; i < parts.length && ok; i++) {
      const part = parts[i];
      const greedyName = /^\{(.+)\+\}$/.exec(part)?.[1];
      if (greedyName) {
        const rest = requestParts.slice(i);
        ok = rest.length > 0 && i === parts.length - 1;
        params[greedyName] = rest.map(decodeURIComponent).join('/');
        greedy = true;
        break;
      }
      const name = /^\{(.+)\}$/.exec(part)?.[1];
      if (i >= requestParts.length) ok = false;
      else if (name) params[name] = decodeURIComponent(requestParts[i]);
      else if (part === requestParts[i]) exact++;
      else ok = false;
    }
    if (ok && !greedy && parts.length !== requestParts.length) ok = false;
    if (ok) candidates.push({ route, pathParameters: params, score: [1, greedy ? 0 : 1, exact, methodScore] });
  }
  candidates.sort((a, b) => compareScores(b.score, a.score));
  const best = candidates[0];
  return best && { route: best.route, pathParameters: best.pathParameters };
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
