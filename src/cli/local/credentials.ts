/**
 * The AWS credentials a local function gets, as SAM gives them: the AWS SDK's default chain
 * (environment, shared config and credentials files with AWS_PROFILE, SSO, credential_process,
 * web identity, container and instance providers), placeholder keys when none resolve (so that
 * SDKs still sign requests to LocalStack or moto), none with `--no-credentials`.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';

export type CredentialVariables = Partial<Record<'AWS_ACCESS_KEY_ID' | 'AWS_SECRET_ACCESS_KEY' | 'AWS_SESSION_TOKEN', string>>;

/** What a function gets when no credentials resolve (SAM's placeholders). */
export const PLACEHOLDER_CREDENTIALS: CredentialVariables = { AWS_ACCESS_KEY_ID: 'defaultkey', AWS_SECRET_ACCESS_KEY: 'defaultsecret' };

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export type CredentialSource = () => Promise<Credentials>;

let chain: CredentialSource | undefined;
/** Why the default chain found nothing, once it did not: not asked again in this process (each try can cost seconds). */
let chainFailed: string | undefined;

/** The SDK's default chain (memoized by the SDK: refreshed when they expire). */
function defaultChain(): CredentialSource {
  chain ??= defaultProvider();
  return chain;
}

/**
 * The credential variables for a container: resolved now (each container start: temporary
 * credentials are refreshed), at most `timeoutMs`; the placeholders when nothing resolves.
 */
export async function credentialVariables(
  options: { none?: boolean; source?: CredentialSource; timeoutMs?: number; onFallback?: (why: string) => void } = {},
): Promise<CredentialVariables> {
  if (options.none) return {};
  if (!options.source && chainFailed !== undefined) {
    options.onFallback?.(chainFailed);
    return PLACEHOLDER_CREDENTIALS;
  }
  const source = options.source ?? defaultChain();
  let timer: NodeJS.Timeout | undefined;
  try {
    const credentials = await Promise.race([
      source(),
      new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${(options.timeoutMs ?? 10_000) / 1000} s`)), options.timeoutMs ?? 10_000); }),
    ]);
    return {
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
    };
  } catch (e) {
    if (!options.source) chainFailed = (e as Error).message;
    options.onFallback?.((e as Error).message);
    return PLACEHOLDER_CREDENTIALS;
  } finally {
    clearTimeout(timer);
  }
}
