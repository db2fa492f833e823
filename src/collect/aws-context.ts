import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { Env } from '../token/aws-config.js';
import { maskAccessKeyId } from '../core/redact.js';
import { staticEnvCredentials } from '../token/credentials.js';
import { proxyHandlerOptions } from './proxy-agent.js';
import { readProfileFacts } from './shared-config.js';

export type AwsService = 'sts' | 'eks' | 'iam' | 'cloudtrail' | 'logs';

/** Everything an AWS collector needs, resolved once: no collector reads process.env itself. */
export interface AwsContext {
  env: Env;
  region: string;
  /** Where the region came from, so "cluster not found" can say which region was asked and why. */
  regionSource: string;
  profile?: string;
  credentials: AwsCredentialIdentityProvider;
  /** Which link of the default chain supplied the credentials. */
  credentialSource: string;
  endpoints: Partial<Record<AwsService, string>>;
  timeoutMs: number;
}

/** The region as the aws CLI picks it: flag, AWS_REGION, AWS_DEFAULT_REGION, then the profile's. */
export function resolveRegion(
  flag: string | undefined,
  profile: string | undefined,
  env: Env,
): { region: string; source: string } | undefined {
  if (flag) return { region: flag, source: '--region' };
  if (env.AWS_REGION) return { region: env.AWS_REGION, source: 'AWS_REGION' };
  if (env.AWS_DEFAULT_REGION) return { region: env.AWS_DEFAULT_REGION, source: 'AWS_DEFAULT_REGION' };
  const name = profile ?? env.AWS_PROFILE ?? 'default';
  const { region, regionFile } = readProfileFacts(name, env);
  return region ? { region, source: `profile ${name} (${regionFile ?? '~/.aws/config'})` } : undefined;
}

/** AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL: how the SDKs and the aws CLI are pointed elsewhere. */
export function endpointsFromEnv(env: Env): Partial<Record<AwsService, string>> {
  const endpoints: Partial<Record<AwsService, string>> = {};
  const names: Record<AwsService, string> = {
    sts: 'STS',
    eks: 'EKS',
    iam: 'IAM',
    cloudtrail: 'CLOUDTRAIL',
    logs: 'CLOUDWATCH_LOGS',
  };
  for (const [service, name] of Object.entries(names) as [AwsService, string][]) {
    const url = env[`AWS_ENDPOINT_URL_${name}`] ?? env.AWS_ENDPOINT_URL;
    if (url) endpoints[service] = url;
  }
  return endpoints;
}

/**
 * The link of the SDK's default chain that will answer, in the chain's own order, so a report can
 * say "credentials from EC2 instance metadata" when someone expected their SSO profile.
 */
export function describeCredentialSource(profile: string | undefined, env: Env): string {
  const fromEnv = staticEnvCredentials(env, profile);
  if (fromEnv) return `environment variables (AWS_ACCESS_KEY_ID ${maskAccessKeyId(fromEnv.accessKeyId)})`;
  const name = profile ?? env.AWS_PROFILE;
  if (name) {
    const settings = readProfileFacts(name, env);
    if (settings.ssoSession || settings.ssoStartUrl) return `SSO (profile ${name})`;
    if (settings.credentialProcess) return `credential_process (profile ${name})`;
    if (settings.roleArn) return `assumed role ${settings.roleArn} (profile ${name})`;
    return `profile ${name} (shared credentials file)`;
  }
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN) return `web identity (AWS_ROLE_ARN ${env.AWS_ROLE_ARN})`;
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI)
    return 'container credentials (ECS/EKS Pod Identity)';
  const fallback = readProfileFacts('default', env);
  if (fallback.exists) return 'profile default (shared credentials file)';
  return 'EC2 instance metadata (no other source configured)';
}

/**
 * Environment keys as the aws CLI picks them (the token path's rule, src/token/credentials.ts),
 * else the SDK's default chain.
 */
export async function defaultCredentials(
  profile: string | undefined,
  env: Env,
): Promise<AwsCredentialIdentityProvider> {
  const fromEnv = staticEnvCredentials(env, profile);
  if (fromEnv) {
    const identity: AwsCredentialIdentity = {
      accessKeyId: fromEnv.accessKeyId,
      secretAccessKey: fromEnv.secretAccessKey,
      ...(fromEnv.sessionToken ? { sessionToken: fromEnv.sessionToken } : {}),
    };
    return () => Promise.resolve(identity);
  }
  const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  // The chain's own STS and SSO calls go through the proxy too, as the aws CLI's do.
  const handler = proxyHandlerOptions(env);
  return fromNodeProviderChain({
    ...(profile ? { profile } : {}),
    ...(handler ? { clientConfig: { requestHandler: handler } } : {}),
  });
}

/** Options every SDK client of the doctor gets: region, endpoint, timeouts, retry with backoff. */
export function clientConfig(
  context: AwsContext,
  service: AwsService,
  credentials: AwsCredentialIdentityProvider = context.credentials,
) {
  const endpoint = context.endpoints[service];
  return {
    region: context.region,
    credentials,
    ...(endpoint ? { endpoint } : {}),
    // Standard retry mode backs off exponentially on throttling; three attempts keep a step bounded.
    maxAttempts: 3,
    retryMode: 'standard',
    requestHandler: {
      connectionTimeout: context.timeoutMs,
      requestTimeout: context.timeoutMs,
      ...proxyHandlerOptions(context.env),
    },
  };
}
