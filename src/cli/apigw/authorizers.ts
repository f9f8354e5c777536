/**
 * The authorization of a route or method, read from the templates: none, IAM (SigV4), a JWT
 * authorizer (HTTP APIs) or a Cognito user-pool authorizer (REST APIs: a JWT authorizer whose
 * issuers are the pools'), or a Lambda authorizer (REST TOKEN and REQUEST, HTTP REQUEST with payload
 * 1.0 or 2.0). Pure: templates in, descriptions out; a route that cannot be served is said in
 * `skipped`, one served otherwise than in AWS in `notes`.
 */
type Json = any;

/** Where an identity source is read: `method.request.header.Authorization`, `$request.querystring.tenant`, `$stageVariables.x`, `$context.y`. */
export interface IdentitySource {
  readonly from: 'header' | 'query' | 'stage' | 'context';
  readonly name: string;
  /** As the template writes it. */
  readonly expression: string;
}

export interface JwtAuthorizer {
  readonly kind: 'jwt';
  readonly name: string;
  readonly identitySource: IdentitySource;
  /** Accepted `iss` values; a `*` matches any run of characters but `/` (a user pool known only after deployment). */
  readonly issuers: readonly string[];
  /** Accepted `aud` (or `client_id`) values; empty: not checked (Cognito user-pool authorizers). */
  readonly audience: readonly string[];
  /** A REST API's Cognito user-pool authorizer (claims in `authorizer.claims`, every failure 401) or an HTTP API's JWT authorizer. */
  readonly flavour: 'cognito' | 'http-jwt';
}

export interface LambdaAuthorizer {
  readonly kind: 'lambda';
  readonly name: string;
  /** REST TOKEN, REST REQUEST, or an HTTP API REQUEST authorizer. */
  readonly type: 'rest-token' | 'rest-request' | 'http-request';
  /** The authorizer function's construct path. */
  readonly functionPath: string;
  readonly identitySources: readonly IdentitySource[];
  /** TOKEN authorizers: a token that does not match it is refused (401) without calling the function. */
  readonly validationExpression?: string;
  /** 0: no caching. */
  readonly ttlSeconds: number;
  /** What an HTTP API sends and expects (REST authorizers: 1.0). */
  readonly payloadFormat: '1.0' | '2.0';
  /** HTTP API `EnableSimpleResponses`: `{isAuthorized, context}` instead of an IAM policy. */
  readonly simpleResponses: boolean;
}

export type RouteAuthorization =
  | { readonly type: 'NONE' }
  | { readonly type: 'AWS_IAM' }
  | { readonly type: 'JWT'; readonly authorizer: JwtAuthorizer; readonly scopes: readonly string[] }
  | { readonly type: 'LAMBDA'; readonly authorizer: LambdaAuthorizer };

const NONE: RouteAuthorization = { type: 'NONE' };

/** `method.request.header.X` (REST) or `$request.header.X` (HTTP APIs) and their query, stage-variable and context kin. */
export function identitySource(expression: string): IdentitySource | undefined {
  const match = /^(?:method\.request\.|\$request\.)(header|querystring)\.(.+)$/.exec(expression)
    ?? /^\$?(stageVariables|context)\.(.+)$/.exec(expression);
  if (!match) return undefined;
  const from = ({ header: 'header', querystring: 'query', stageVariables: 'stage', context: 'context' } as const)[match[1] as 'header'];
  return { from, name: match[2], expression };
}

function validRegExp(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/** The logical ID X of the first `{"Fn::GetAtt": [X, "Arn"]}` in a value. */
export function findGetAttArn(value: unknown): string | undefined {
  return /\{"Fn::GetAtt":\["([^"]+)","Arn"\]\}/.exec(JSON.stringify(value ?? null))?.[1];
}

/** X of `{"Ref": X}`. */
export const refTo = (value: Json): string | undefined => (value && typeof value === 'object' && typeof value.Ref === 'string' ? value.Ref : undefined);

/**
 * Reads authorizers as they are attached: `authorization(props, label)` for a route's or method's
 * properties. `functionOf` resolves an authorizer's function (a container-image function of the stack).
 */
export class AuthorizerReader {
  constructor(
    private readonly resources: Record<string, Json>,
    private readonly functionOf: (value: unknown) => string | undefined,
    private readonly skipped: string[],
    private readonly notes: string[],
  ) {}

  /** The authorization of an HTTP API route (`AWS::ApiGatewayV2::Route`) or a REST method (`AWS::ApiGateway::Method`); undefined: cannot be served (said). */
  public authorization(props: Json, label: string): RouteAuthorization | undefined {
    const type = String(props.AuthorizationType ?? 'NONE');
    if (type === 'NONE') return NONE;
    if (type === 'AWS_IAM') return { type: 'AWS_IAM' };
    const id = refTo(props.AuthorizerId);
    const resource = id ? this.resources[id] : undefined;
    if (!resource) {
      this.skipped.push(`${label}: its ${type} authorizer is not a resource of this stack`);
      return undefined;
    }
    const scopes: string[] = (props.AuthorizationScopes ?? []).filter((s: unknown) => typeof s === 'string');
    const authorizer = resource.Type === 'AWS::ApiGatewayV2::Authorizer' ? this.httpAuthorizer(id!, resource.Properties ?? {}) : this.restAuthorizer(id!, resource.Properties ?? {});
    if (typeof authorizer === 'string') {
      this.skipped.push(`${label}: ${authorizer}`);
      return undefined;
    }
    return authorizer.kind === 'jwt' ? { type: 'JWT', authorizer, scopes } : { type: 'LAMBDA', authorizer };
  }

  private httpAuthorizer(id: string, p: Json): JwtAuthorizer | LambdaAuthorizer | string {
    const name = String(p.Name ?? id);
    const sources = ((p.IdentitySource ?? []) as unknown[]).map(s => identitySource(String(s)));
    if (sources.some(s => !s)) return `authorizer ${name}: identity source ${JSON.stringify(p.IdentitySource)} is not one start-api reads`;
    if (p.AuthorizerType === 'JWT') {
      const issuer = p.JwtConfiguration?.Issuer;
      if (typeof issuer !== 'string') return `authorizer ${name}: its issuer ${JSON.stringify(issuer)} is known only after deployment`;
      const audience: string[] = (p.JwtConfiguration?.Audience ?? []).filter((a: unknown) => typeof a === 'string');
      return { kind: 'jwt', name, identitySource: sources[0] ?? identitySource('$request.header.Authorization')!, issuers: [issuer], audience, flavour: 'http-jwt' };
    }
    const functionPath = this.functionOf(p.AuthorizerUri);
    if (!functionPath) return `authorizer ${name}: its function is not a container-image function of this stack`;
    return {
      kind: 'lambda',
      name,
      type: 'http-request',
      functionPath,
      identitySources: sources as IdentitySource[],
      ttlSeconds: Number(p.AuthorizerResultTtlInSeconds ?? 0),
      payloadFormat: p.AuthorizerPayloadFormatVersion === '1.0' ? '1.0' : '2.0',
      simpleResponses: p.EnableSimpleResponses === true,
    };
  }

  private restAuthorizer(id: string, p: Json): JwtAuthorizer | LambdaAuthorizer | string {
    const name = String(p.Name ?? id);
    const expressions = String(p.IdentitySource ?? '').split(',').map(s => s.trim()).filter(Boolean);
    const sources = expressions.map(identitySource);
    if (sources.some(s => !s)) return `authorizer ${name}: identity source ${JSON.stringify(p.IdentitySource)} is not one start-api reads`;
    if (p.Type === 'COGNITO_USER_POOLS') {
      const issuers = ((p.ProviderARNs ?? []) as unknown[]).map(arn => this.userPoolIssuer(arn, name));
      return { kind: 'jwt', name, identitySource: sources[0] ?? identitySource('method.request.header.Authorization')!, issuers, audience: [], flavour: 'cognito' };
    }
    const functionPath = this.functionOf(p.AuthorizerUri);
    if (!functionPath) return `authorizer ${name}: its function is not a container-image function of this stack`;
    const token = p.Type !== 'REQUEST';
    const validation = token && typeof p.IdentityValidationExpression === 'string' ? p.IdentityValidationExpression : undefined;
    if (validation !== undefined && !validRegExp(validation)) return `authorizer ${name}: its identityValidationExpression ${JSON.stringify(validation)} is not a valid regular expression`;
    return {
      kind: 'lambda',
      name,
      type: token ? 'rest-token' : 'rest-request',
      functionPath,
      identitySources: token ? [sources[0] ?? identitySource('method.request.header.Authorization')!] : sources as IdentitySource[],
      validationExpression: validation,
      ttlSeconds: Number(p.AuthorizerResultTtlInSeconds ?? 300),
      payloadFormat: '1.0',
      simpleResponses: false,
    };
  }

  /** A user pool's issuer, https://cognito-idp.<region>.amazonaws.com/<pool id>, from its ARN; `*` for what is known only after deployment. */
  private userPoolIssuer(arn: unknown, authorizer: string): string {
    const literal = typeof arn === 'string' ? /^arn:[^:]+:cognito-idp:([^:]+):[^:]*:userpool\/(.+)$/.exec(arn) : null;
    if (literal) return `https://cognito-idp.${literal[1]}.amazonaws.com/${literal[2]}`;
    const message = `authorizer ${authorizer}: the user pool ${JSON.stringify(arn)} is known only after deployment: any https://cognito-idp.*.amazonaws.com/* issuer is accepted (signatures still checked against the keys given)`;
    if (!this.notes.includes(message)) this.notes.push(message);
    return 'https://cognito-idp.*.amazonaws.com/*';
  }
}
