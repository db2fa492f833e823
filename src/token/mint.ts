/**
 * `eksauth token`: resolve credentials (assuming a role if asked), presign GetCallerIdentity for
 * the cluster, print the ExecCredential. kubectl runs this on every call, so it loads nothing
 * beyond what the request needs, and caches what it can.
 */
import { UsageError } from '../cli/errors.js';
import { assertRegionName } from '../cli/region-name.js';
import { isTrue, profileName, readProfileSettings, type Env } from './aws-config.js';
import { DEFAULT_SESSION_NAME, PRESIGNED_URL_LIFETIME_MS } from './constants.js';
import {
  cacheFileName,
  cacheKey,
  credentialFingerprint,
  readCacheEntry,
  stillFresh,
  writeCacheEntry,
} from './cache.js';
import { assertNotExpired, resolveSourceCredentials, type SourceCredentials } from './credentials.js';
import { stsEndpointFor } from './endpoint.js';
import { unsignableClusterId } from './unsignable.js';
import { discoverApiVersion, formatExecCredential, tokenExpiry } from './exec-credential.js';

export interface TokenOptions {
  cluster: string;
  region?: string | undefined;
  profile?: string | undefined;
  roleArn?: string | undefined;
  sessionName?: string | undefined;
  externalId?: string | undefined;
  cache: boolean;
}

export interface TokenOutput {
  stdout: string;
  /** Lines for standard error (the CLI's KUBERNETES_EXEC_INFO notices). */
  warnings: string[];
}

/** AssumeRole's longest session (DurationSeconds ≤ 43200): a cached role entry claiming more is corrupt. */
const MAX_ROLE_SESSION_MS = 12 * 60 * 60_000;

interface CachedToken {
  key: string;
  token: string;
  expiresAt: number;
}

interface CachedRole {
  key: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiresAt: number;
}

export async function mintToken(
  options: TokenOptions,
  env: Env,
  clock: () => Date = () => new Date(),
): Promise<TokenOutput> {
  const unsignable = unsignableClusterId(options.cluster);
  if (unsignable !== undefined) throw new UsageError(`token: --cluster: ${unsignable}`);
  const { apiVersion, warning } = discoverApiVersion(env.KUBERNETES_EXEC_INFO);
  const warnings = warning ? [warning] : [];
  const profile = profileName(options.profile, env);
  const settings = readProfileSettings(profile, env);
  const region = options.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || settings.region || undefined;
  assertRegionName(region, regionSource(options, env, profile));
  const endpoint = stsEndpointFor({
    region,
    regionalEndpoints: env.AWS_STS_REGIONAL_ENDPOINTS ?? settings.stsRegionalEndpoints,
    useFips: isTrue(env.AWS_USE_FIPS_ENDPOINT ?? settings.useFipsEndpoint),
    useDualStack: isTrue(env.AWS_USE_DUALSTACK_ENDPOINT ?? settings.useDualstackEndpoint),
  });

  const source = await resolveSourceCredentials(env, options.profile);
  assertNotExpired(source, clock());
  const sessionName = options.sessionName ?? DEFAULT_SESSION_NAME;
  const keyParts = {
    cluster: options.cluster,
    host: endpoint.host,
    signingRegion: endpoint.signingRegion,
    role: options.roleArn,
    sessionName: options.roleArn ? sessionName : undefined,
    externalId: options.roleArn ? options.externalId : undefined,
    profile: options.profile ?? env.AWS_PROFILE,
    // Changed credentials (another identity, or the same key id with another secret, session
    // token or expiry) must never be handed a token signed with the old ones.
    source: credentialFingerprint(source),
  };
  const tokenKey = cacheKey(keyParts);
  const tokenFile = cacheFileName('token', tokenKey);
  if (options.cache) {
    const cached = asCachedToken(readCacheEntry(env, tokenFile), tokenKey);
    if (cached && stillFresh(cached.expiresAt, clock(), PRESIGNED_URL_LIFETIME_MS)) {
      return { stdout: formatExecCredential(apiVersion, cached.token, new Date(cached.expiresAt)), warnings };
    }
  }

  const signing = options.roleArn
    ? await roleCredentials(options, { ...keyParts, cluster: undefined }, sessionName, region, source, env, clock)
    : source;
  // The signing code is loaded only here, when a token is really minted: a cache hit never needs it.
  const { presignGetCallerIdentity, tokenFromPresignedUrl } = await import('./presign.js');
  const now = clock();
  const url = presignGetCallerIdentity({
    credentials: signing,
    host: endpoint.host,
    signingRegion: endpoint.signingRegion,
    clusterId: options.cluster,
    now,
  });
  const token = tokenFromPresignedUrl(url);
  const expiresAt = tokenExpiry(now, signing.expiration);
  if (options.cache) {
    writeCacheEntry(env, tokenFile, { key: tokenKey, token, expiresAt: expiresAt.getTime() } satisfies CachedToken);
  }
  return { stdout: formatExecCredential(apiVersion, token, expiresAt), warnings };
}

/** Where `region` above came from, in the same order, for an error that says what to fix. */
function regionSource(options: TokenOptions, env: Env, profile: string): string {
  if (options.region) return '--region';
  if (env.AWS_REGION) return 'AWS_REGION';
  if (env.AWS_DEFAULT_REGION) return 'AWS_DEFAULT_REGION';
  return `the region of profile ${profile}`;
}

async function roleCredentials(
  options: TokenOptions,
  keyParts: Record<string, string | undefined>,
  sessionName: string,
  region: string | undefined,
  source: SourceCredentials,
  env: Env,
  clock: () => Date,
): Promise<SourceCredentials> {
  const roleArn = options.roleArn ?? '';
  // Only role users pay for loading the AssumeRole code (and, later, the SDK's STS client).
  const { assumeRole, stsEndpointOverride } = await import('./assume-role.js');
  const roleKey = cacheKey({ ...keyParts, endpointOverride: stsEndpointOverride(env), region });
  const roleFile = cacheFileName('role', roleKey);
  if (options.cache) {
    const cached = asCachedRole(readCacheEntry(env, roleFile), roleKey);
    if (cached && stillFresh(cached.expiresAt, clock(), MAX_ROLE_SESSION_MS)) {
      const { expiresAt, ...credentials } = cached;
      return { ...credentials, expiration: new Date(expiresAt) };
    }
  }
  const assumed = await assumeRole({ roleArn, sessionName, externalId: options.externalId, region, source, env });
  if (options.cache) {
    const { expiration, ...credentials } = assumed;
    writeCacheEntry(env, roleFile, {
      key: roleKey,
      ...credentials,
      expiresAt: expiration.getTime(),
    } satisfies CachedRole);
  }
  return assumed;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An entry is used only if it was written for exactly this key (see cacheKey). */
function asCachedToken(value: unknown, key: string): CachedToken | undefined {
  if (!isRecord(value) || value.key !== key) return undefined;
  const { token, expiresAt } = value;
  if (typeof token !== 'string' || !token.startsWith('k8s-aws-v1.') || typeof expiresAt !== 'number') return undefined;
  return { key, token, expiresAt };
}

function asCachedRole(value: unknown, key: string): Omit<CachedRole, 'key'> | undefined {
  if (!isRecord(value) || value.key !== key) return undefined;
  const { accessKeyId, secretAccessKey, sessionToken, expiresAt } = value;
  if (
    typeof accessKeyId !== 'string' ||
    typeof secretAccessKey !== 'string' ||
    typeof sessionToken !== 'string' ||
    typeof expiresAt !== 'number'
  ) {
    return undefined;
  }
  return { accessKeyId, secretAccessKey, sessionToken, expiresAt };
}
