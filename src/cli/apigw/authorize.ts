/**
 * A request's authorization, as API Gateway decides it before the integration runs (API Gateway
 * Developer Guide: "Use API Gateway Lambda authorizers", "Control access to HTTP APIs with AWS
 * Lambda authorizers", "… with JWT authorizers", "Control access to a REST API using Amazon Cognito
 * user pools", "Control access to a REST API with IAM permissions"). Authorizer functions run in the
 * same container pool as the integrations; their decisions are cached for the authorizer's TTL,
 * keyed by the identity sources' values, and a cached policy is evaluated again for each method.
 */
import { IdentitySource, JwtAuthorizer, LambdaAuthorizer, RouteAuthorization } from './authorizers';
import { checkSigV4, evaluatePolicy, executeApiArn, SignedRequest, sigV4Signature } from './iam';
import { KeySets, TokenRefused, tokenScopes, verifyJwt } from './jwt';
import { requestAuthorizerEvent, tokenAuthorizerEvent } from './payloads';
import { gatewayAnswer, HttpResponse } from './responses';
import { Api, PayloadFormat } from './routes';

type Json = any;

/** What the integration event gets: `requestContext.authorizer`, and for IAM the caller's access key. */
export interface Granted {
  readonly allowed: true;
  /** requestContext.authorizer, when the authorizer gives one. */
  readonly authorizer?: Record<string, Json>;
  /** requestContext.identity.accessKey (REST APIs, IAM). */
  readonly accessKey?: string;
}

export type Decision = Granted | { readonly allowed: false; readonly response: HttpResponse };

/** One request, as the authorizers see it: as it was sent (SignedRequest), and where it goes. */
export interface AuthorizationRequest extends SignedRequest {
  readonly api: Api;
  readonly authorization: RouteAuthorization;
  readonly region: string;
  readonly accountId: string;
  readonly apiId: string;
  /** The request's event in a payload format (the integration's, without an authorizer): the base of a REQUEST authorizer's event. */
  readonly eventOf: (format: PayloadFormat) => Json;
  readonly now: Date;
}

export interface AuthorizersOptions {
  /** Runs an authorizer function (in the pool the integrations run in). */
  readonly invoke: (functionPath: string, event: Buffer, timeoutSeconds: number) => Promise<{ payload: string; functionError?: string } | 'timeout'>;
  readonly keys: KeySets;
  /** The secret access key of an access key ID, when start-api has it. @default - none: IAM signatures are checked for form only */
  readonly secretFor?: (accessKeyId: string) => Promise<string | undefined>;
  readonly log?: (line: string) => void;
}

const UNAUTHORIZED = 'Unauthorized';
const SIGNATURE_MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const REST_ERROR_TYPES = { 401: 'UnauthorizedException', 403: 'AccessDeniedException', 500: 'AuthorizerConfigurationException' };
const HTTP_ERROR_TYPES = { 401: 'UnauthorizedException', 403: 'ForbiddenException', 500: 'AuthorizerConfigurationException' };
const HTTP_MESSAGES = { 401: UNAUTHORIZED, 403: 'Forbidden', 500: 'Internal Server Error' };

export class Authorizers {
  private readonly cache = new Map<string, { expires: number; output: Json }>();
  /** Access keys whose signatures cannot be checked here, said once each. */
  private readonly unverifiable = new Set<string>();

  constructor(private readonly options: AuthorizersOptions) {}

  /** Forgets every cached decision (a new assembly: API Gateway flushes its cache on a deployment). */
  public flush(): void {
    this.cache.clear();
  }

  public async authorize(req: AuthorizationRequest): Promise<Decision> {
    const auth = req.authorization;
    switch (auth.type) {
      case 'NONE': return { allowed: true };
      case 'AWS_IAM': return this.iam(req);
      case 'JWT': return this.jwt(req, auth.authorizer, auth.scopes);
      case 'LAMBDA': return this.lambda(req, auth.authorizer);
    }
  }

  /**
   * SigV4 present and well formed, and its signature checked when the secret of the key it names is
   * known (the credentials start-api resolves); a request signed with another key is checked for form only (said once).
   */
  private async iam(req: AuthorizationRequest): Promise<Decision> {
    const rest = req.api.kind === 'rest-api';
    const refuse = (message: string, type: string): Decision => ({
      allowed: false, response: rest ? gatewayAnswer(403, message, type) : gatewayAnswer(403, 'Forbidden', 'ForbiddenException'),
    });
    const checked = checkSigV4(req.headers, req.now);
    if ('refused' in checked) return refuse(checked.refused, checked.refused === 'Missing Authentication Token' ? 'MissingAuthenticationTokenException' : 'IncompleteSignatureException');
    const secret = await this.options.secretFor?.(checked.accessKey);
    if (secret === undefined) {
      if (!this.unverifiable.has(checked.accessKey)) {
        this.options.log?.(`${req.api.logicalId}: IAM: requests signed with ${checked.accessKey} are checked for form only (start-api has the secret of the credentials it resolves, not this key's)`);
      }
      this.unverifiable.add(checked.accessKey);
    } else if (sigV4Signature(req, checked, secret) !== checked.signature) {
      return refuse(SIGNATURE_MISMATCH, 'InvalidSignatureException');
    }
    if (rest) return { allowed: true, accessKey: checked.accessKey };
    return { allowed: true, authorizer: { iam: { accessKey: checked.accessKey } } };
  }

  private async jwt(req: AuthorizationRequest, authorizer: JwtAuthorizer, scopes: readonly string[]): Promise<Decision> {
    const cognito = authorizer.flavour === 'cognito';
    const token = identityValue(req, authorizer.identitySource);
    const refuse = (e: TokenRefused): Decision => {
      if (cognito) return { allowed: false, response: gatewayAnswer(401, UNAUTHORIZED, 'UnauthorizedException') };
      const challenge: [string, string] = ['www-authenticate', `Bearer scope="${e.error === 'insufficient_scope' ? scopes.join(' ') : ''}" error="${e.error}" error_description="${e.message}"`];
      return { allowed: false, response: e.error === 'insufficient_scope' ? gatewayAnswer(403, 'Forbidden', 'ForbiddenException', [challenge]) : gatewayAnswer(401, UNAUTHORIZED, 'UnauthorizedException', [challenge]) };
    };
    if (!token) return refuse(new TokenRefused('the token is missing'));
    let claims: Record<string, Json>;
    try {
      // The keys of the issuer the token names when it is one of the authorizer's (a token from another is refused by verifyJwt).
      const issuer = authorizer.issuers.find(i => i === peekIssuer(token)) ?? authorizer.issuers[0];
      const keys = await this.options.keys.keysFor(issuer, peekHeader(token)?.kid).catch((e: Error) => {
        this.options.log?.(`${req.api.logicalId}: authorizer ${authorizer.name}: the issuer's keys cannot be had (${e.message}): 401`);
        throw new TokenRefused('the issuer\'s keys cannot be had');
      });
      claims = verifyJwt(token, keys, { issuers: authorizer.issuers, audience: authorizer.audience, scopes, now: req.now });
    } catch (e) {
      if (e instanceof TokenRefused) return refuse(e);
      throw e;
    }
    if (cognito) return { allowed: true, authorizer: { claims: stringValues(claims) } };
    const granted = scopes.length > 0 ? tokenScopes(claims) : null;
    return { allowed: true, authorizer: { jwt: { claims: stringValues(claims), scopes: granted } } };
  }

  private async lambda(req: AuthorizationRequest, authorizer: LambdaAuthorizer): Promise<Decision> {
    const rest = authorizer.type !== 'http-request';
    const refused = (status: 401 | 403 | 500, restMessage: string | null): Decision => ({
      allowed: false,
      response: rest
        ? gatewayAnswer(status, restMessage, REST_ERROR_TYPES[status])
        : gatewayAnswer(status, HTTP_MESSAGES[status], HTTP_ERROR_TYPES[status]),
    });
    const values = authorizer.identitySources.map(s => identityValue(req, s));
    if (values.some(v => v === undefined || v === '')) return refused(401, UNAUTHORIZED);
    if (authorizer.validationExpression && !new RegExp(`^(?:${authorizer.validationExpression})$`).test(values[0]!)) return refused(401, UNAUTHORIZED);

    const arn = executeApiArn(req.region, req.accountId, req.apiId, req.api.stage, req.method, req.path);
    const cacheKey = `${req.api.stack}/${req.api.logicalId}/${authorizer.name}\n${values.join('\n')}`;
    const started = Date.now();
    let output = authorizer.ttlSeconds > 0 ? this.cached(cacheKey, req.now) : undefined;
    if (output === undefined) {
      const event = this.authorizerEvent(req, authorizer, arn, values as string[]);
      let answer: Awaited<ReturnType<AuthorizersOptions['invoke']>>;
      try {
        answer = await this.options.invoke(authorizer.functionPath, Buffer.from(JSON.stringify(event)), req.api.timeoutSeconds);
        if (answer === 'timeout') throw new Error(`no answer within ${req.api.timeoutSeconds} s`);
      } catch (e) {
        // The authorizer could not run (its image, the engine): API Gateway's answer to an authorizer that fails.
        this.options.log?.(`${req.api.logicalId}: authorizer ${authorizer.name} could not run (${(e as Error).message}): 500`);
        return refused(500, null);
      }
      if (answer.functionError) {
        const message = parseOr(answer.payload)?.errorMessage;
        // A REST authorizer that fails with "Unauthorized" asks for a 401.
        if (rest && message === UNAUTHORIZED) return refused(401, UNAUTHORIZED);
        this.options.log?.(`${req.api.logicalId}: authorizer ${authorizer.name} failed (${message ?? answer.functionError}): 500`);
        return refused(500, null);
      }
      output = parseOr(answer.payload);
      const expires = req.now.getTime() + authorizer.ttlSeconds * 1000;
      if (authorizer.ttlSeconds > 0 && output !== undefined) this.cache.set(cacheKey, { expires, output });
    }
    const latency = Date.now() - started;

    if (authorizer.simpleResponses) {
      if (!output || typeof output.isAuthorized !== 'boolean') return this.malformed(req, authorizer, 'no boolean isAuthorized', refused);
      if (!output.isAuthorized) return refused(403, 'Forbidden');
      return { allowed: true, authorizer: { lambda: output.context ?? null } };
    }
    let effect: ReturnType<typeof evaluatePolicy>;
    try {
      const principal = output?.principalId;
      if (rest && typeof principal !== 'string' && typeof principal !== 'number') throw new Error('no principalId');
      effect = evaluatePolicy(output?.policyDocument, arn);
      if (output.context !== undefined && !isFlatContext(output.context)) throw new Error('its context has a value that is not a string, number or boolean');
    } catch (e) {
      return this.malformed(req, authorizer, (e as Error).message, refused);
    }
    if (effect === 'Deny') return refused(403, 'User is not authorized to access this resource with an explicit deny');
    if (effect === 'None') return refused(403, 'User is not authorized to access this resource');
    const context = output.context ?? {};
    if (!rest) return { allowed: true, authorizer: { lambda: context } };
    return { allowed: true, authorizer: { ...stringValues(context), principalId: String(output.principalId), integrationLatency: latency } };
  }

  private malformed(
    req: AuthorizationRequest, authorizer: LambdaAuthorizer, why: string, refused: (status: 500, message: null) => Decision,
  ): Decision {
    this.options.log?.(`${req.api.logicalId}: authorizer ${authorizer.name} answered what API Gateway cannot use (${why}): 500`);
    return refused(500, null);
  }

  private cached(key: string, now: Date): Json {
    const hit = this.cache.get(key);
    if (hit && hit.expires > now.getTime()) return hit.output;
    this.cache.delete(key);
    return undefined;
  }

  /** The event an authorizer function gets: TOKEN's three fields, or the request (REQUEST) in the authorizer's payload format. */
  private authorizerEvent(req: AuthorizationRequest, authorizer: LambdaAuthorizer, arn: string, values: string[]): Json {
    if (authorizer.type === 'rest-token') return tokenAuthorizerEvent(values[0], arn);
    return requestAuthorizerEvent(authorizer.type === 'rest-request' ? 'rest-api' : 'http-api', req.eventOf(authorizer.payloadFormat), arn, values);
  }
}

/** The value of an identity source in a request: a header (any case; several values comma-joined), a query parameter, a stage variable or a context variable. */
function identityValue(req: AuthorizationRequest, source: IdentitySource): string | undefined {
  const lower = source.name.toLowerCase();
  switch (source.from) {
    case 'header': {
      const values = req.headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
      return values.length > 0 ? values.join(',') : undefined;
    }
    case 'query': {
      const values = req.query.filter(([n]) => n === source.name).map(([, v]) => v);
      return values.length > 0 ? values.join(',') : undefined;
    }
    case 'stage': return req.api.stageVariables[source.name];
    case 'context': {
      const value = source.name.split('.').reduce<Json>((o, k) => (o && typeof o === 'object' ? o[k] : undefined), req.eventOf('1.0').requestContext);
      return value === undefined || value === null ? undefined : String(value);
    }
  }
}

/** A part of a token (0: its header, 1: its claims), read without checking anything (to pick the issuer's keys). */
function peek(token: string, part: 0 | 1): Json {
  try {
    return JSON.parse(Buffer.from(token.replace(/^Bearer\s+/i, '').split('.')[part] ?? '', 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}
const peekIssuer = (token: string): string | undefined => {
  const iss = peek(token, 1)?.iss;
  return typeof iss === 'string' ? iss : undefined;
};
const peekHeader = (token: string): { kid?: string } | undefined => peek(token, 0);

const parseOr = (text: string): Json => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** An authorizer's context: a flat map of strings, numbers and booleans. */
function isFlatContext(context: Json): boolean {
  return context !== null && typeof context === 'object' && !Array.isArray(context)
    && Object.values(context).every(v => ['string', 'number', 'boolean'].includes(typeof v));
}

/**
 * Values as API Gateway passes claims and a REST authorizer's context to the integration: strings
 * (`1`, `true`), a list as `[a b]`.
 */
function stringValues(values: Record<string, Json>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Array.isArray(v) ? `[${v.join(' ')}]` : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)]));
}
