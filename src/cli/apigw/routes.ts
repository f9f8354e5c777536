/**
 * The HTTP front doors of an app's container-image functions, read from its templates: API
 * Gateway HTTP APIs (v2: routes, `$default`, payload format 1.0 or 2.0), REST APIs (v1: the
 * resource tree, methods, Lambda proxy integrations) and Lambda function URLs. What cannot be
 * served locally (another integration type, a function of another stack) is listed with why.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as cxschema from 'aws-cdk-lib/cloud-assembly-schema';
import { AuthorizerReader, findGetAttArn, refTo, RouteAuthorization } from './authorizers';
import { CorsConfiguration, readCorsConfiguration } from './cors';
import { ImageFunction, readImageFunctions } from '../local/assembly';

export type PayloadFormat = '1.0' | '2.0';
export type ApiKind = 'http-api' | 'rest-api' | 'function-url';

/** One route to a function. */
export interface ApiRoute {
  readonly method: string;
  /** `/orders/{id}`, `/files/{proxy+}`, or `$default` (every request no other route takes). */
  readonly path: string;
  /** The function's construct path in the assembly; none for a MOCK integration (`mock`). */
  readonly functionPath?: string;
  readonly payloadFormat: PayloadFormat;
  /** Who may call it: checked before the function is. */
  readonly authorization: RouteAuthorization;
  /** A REST API's MOCK integration (CDK's CORS preflight methods): the answer its integration response gives. */
  readonly mock?: MockResponse;
}

/** What a MOCK integration answers: its default integration response, with the headers its parameters set to literals. */
export interface MockResponse {
  readonly statusCode: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** Origins CDK's response template puts in Access-Control-Allow-Origin when the request comes from one (CORS with several origins). */
  readonly echoOrigins: readonly string[];
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
  /** What is served otherwise than in AWS, with why (a value known only after deployment…). */
  readonly notes: readonly string[];
  /** The stage's variables (`StageVariables`, REST `Variables`); values only known after deployment are left out (said in `notes`). */
  readonly stageVariables: Readonly<Record<string, string>>;
  /** An HTTP API's CorsConfiguration: the gateway answers preflights and adds the headers itself. */
  readonly cors?: CorsConfiguration;
}

/** A stage's variables with literal values; the others (a Ref, a GetAtt…) are said in `notes`. */
function literalVariables(variables: Json, notes: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables ?? {})) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[name] = String(value);
    else notes.push(`stage variable ${name}: ${JSON.stringify(value)} is known only after deployment: not set`);
  }
  return out;
}

type Json = any;

/** The APIs of every stack of the assembly (`functions`: its image functions, when already read). */
export function readApis(assemblyDir: string, functions: readonly ImageFunction[] = readImageFunctions(assemblyDir)): Api[] {
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

function httpApis(stack: string, resources: Record<string, Json>, functionOf: (v: unknown) => string | undefined): Api[] {
  const integrations = new Map(byType(resources, 'AWS::ApiGatewayV2::Integration').map(([id, r]) => [id, r.Properties]));
  return byType(resources, 'AWS::ApiGatewayV2::Api').filter(([, r]) => r.Properties?.ProtocolType === 'HTTP').map(([apiId, api]) => {
    const routes: ApiRoute[] = [];
    const skipped: string[] = [];
    const notes: string[] = [];
    const authorizers = new AuthorizerReader(resources, functionOf, skipped, notes);
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
      const authorization = authorizers.authorization(p, routeKey);
      if (!authorization) continue;
      const [method, routePath] = routeKey === '$default' ? ['ANY', '$default'] : routeKey.split(' ');
      routes.push({ method, path: routePath, functionPath: fn, payloadFormat: integration.PayloadFormatVersion === '1.0' ? '1.0' : '2.0', authorization });
    }
    const stageProps = byType(resources, 'AWS::ApiGatewayV2::Stage').find(([, s]) => refTo(s.Properties?.ApiId) === apiId)?.[1].Properties;
    const stageVariables = literalVariables(stageProps?.StageVariables, notes);
    const cors = readCorsConfiguration(api.Properties?.CorsConfiguration, notes);
    return { kind: 'http-api', stack, logicalId: apiId, stage: stageProps?.StageName ?? '$default', timeoutSeconds: 30, binaryMediaTypes: [], routes, skipped, notes, stageVariables, cors };
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
    const notes: string[] = [];
    const authorizers = new AuthorizerReader(resources, functionOf, skipped, notes);
    for (const [, method] of byType(resources, 'AWS::ApiGateway::Method')) {
      const p = method.Properties ?? {};
      if (refTo(p.RestApiId) !== apiId) continue;
      const resourcePath = pathOf(p.ResourceId) ?? '?';
      const label = `${p.HttpMethod} ${resourcePath}`;
      const mock = p.Integration?.Type === 'MOCK' ? mockResponse(p.Integration, notes, label) : undefined;
      const fn = p.Integration?.Type === 'AWS_PROXY' ? functionOf(p.Integration.Uri) : undefined;
      if (!fn && !mock) {
        skipped.push(`${label}: its ${p.Integration?.Type ?? 'missing'} integration is not a container-image function of this stack`);
        continue;
      }
      const authorization = authorizers.authorization(p, label);
      if (!authorization) continue;
      routes.push({ method: p.HttpMethod, path: resourcePath, ...(fn ? { functionPath: fn } : { mock }), payloadFormat: '1.0', authorization });
    }
    const stageProps = byType(resources, 'AWS::ApiGateway::Stage').find(([, s]) => refTo(s.Properties?.RestApiId) === apiId)?.[1].Properties;
    const stageVariables = literalVariables(stageProps?.Variables, notes);
    const binaryMediaTypes = api.Properties?.BinaryMediaTypes ?? [];
    return { kind: 'rest-api', stack, logicalId: apiId, stage: stageProps?.StageName ?? 'prod', timeoutSeconds: 29, binaryMediaTypes, routes, skipped, notes, stageVariables };
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
      routes: [{ method: 'ANY', path: '$default', functionPath: fn, payloadFormat: '2.0' as const, authorization: { type: 'NONE' as const } }],
      skipped: [],
      notes: [],
      stageVariables: {},
    }];
  });
}

/**
 * What a MOCK integration answers, as API Gateway renders its default integration response (the one
 * without a SelectionPattern): its status and the headers its ResponseParameters set to literals
 * (`'value'`). CDK's CORS preflight for several origins adds a response template that echoes an
 * allowed Origin: read as `echoOrigins`. Other templates are not rendered (said).
 */
function mockResponse(integration: Json, notes: string[], label: string): MockResponse | undefined {
  const response = (integration.IntegrationResponses ?? []).find((r: Json) => !r.SelectionPattern);
  if (!response) return undefined; // said by the caller: not served
  const headers: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(response.ResponseParameters ?? {})) {
    const name = /^method\.response\.header\.(.+)$/.exec(key)?.[1];
    const literal = typeof value === 'string' ? /^'(.*)'$/.exec(value)?.[1] : undefined;
    if (name && literal !== undefined) headers.push([name, literal]);
    else notes.push(`${label}: MOCK response parameter ${key} = ${JSON.stringify(value)} is not a literal: not set`);
  }
  const template = Object.values(response.ResponseTemplates ?? {}).join('\n');
  const echoOrigins = /responseOverride\.header\.Access-Control-Allow-Origin\s*=\s*\$origin/.test(template)
    ? [...template.matchAll(/\$origin == "([^"]*)"/g)].map(m => m[1]) : [];
  if (template.trim() && echoOrigins.length === 0) notes.push(`${label}: its MOCK response template is not rendered (the body is empty)`);
  return { statusCode: Number(response.StatusCode ?? 200), headers, echoOrigins };
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
