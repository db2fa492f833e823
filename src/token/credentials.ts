/**
 * Source credentials for minting: the AWS SDK v3 default chain (env, shared files and profiles,
 * SSO, credential_process, web identity, container and instance metadata), loaded only when it
 * can matter. Static keys in the environment are answered here without loading the SDK (~45 ms
 * of the ~60 ms budget). This is the one resolver: `token`, doctor and verify all use it.
 */
import { EnvironmentError } from '../cli/errors.js';
import { proxyConfigured } from '../collect/proxy.js';
import type { Env } from './aws-config.js';
import type { SigningCredentials } from './presign.js';

export interface SourceCredentials extends SigningCredentials {
  expiration?: Date;
}

/**
 * Environment keys, when the aws CLI would sign with them: botocore's chain starts with its env
 * provider and drops it only for an explicit `--profile` (create_credential_resolver's
 * disable_env_vars), so AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY beat AWS_PROFILE. The JS SDK's
 * fromNodeProviderChain does the opposite (AWS_PROFILE wins, with a "Multiple credential sources
 * detected" warning); eksauth follows the aws CLI, since `token` is its drop-in and doctor must
 * diagnose the identity kubectl's `aws eks get-token` really uses. An empty AWS_SESSION_TOKEN is
 * unset, as botocore's EnvProvider reads it.
 */
export function staticEnvCredentials(env: Env, profileFlag: string | undefined): SourceCredentials | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey || profileFlag !== undefined) return undefined;
  const expiration = env.AWS_CREDENTIAL_EXPIRATION ? new Date(env.AWS_CREDENTIAL_EXPIRATION) : undefined;
  return {
    accessKeyId,
    secretAccessKey,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    ...(expiration && !Number.isNaN(expiration.getTime()) ? { expiration } : {}),
  };
}

export async function resolveSourceCredentials(env: Env, profileFlag: string | undefined): Promise<SourceCredentials> {
  const fromEnv = staticEnvCredentials(env, profileFlag);
  if (fromEnv) return fromEnv;
  const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  try {
    // SSO and web-identity calls go through the proxy as the aws CLI's do; loaded only when one is set.
    const requestHandler = proxyConfigured(env)
      ? (await import('../collect/proxy-agent.js')).proxyHandlerOptions(env)
      : undefined;
    const credentials = await fromNodeProviderChain({
      ...(profileFlag !== undefined ? { profile: profileFlag } : {}),
      ...(requestHandler ? { clientConfig: { requestHandler } } : {}),
    })();
    return {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
      ...(credentials.expiration ? { expiration: credentials.expiration } : {}),
    };
  } catch (error) {
    // SDK messages name the provider that failed, never a secret.
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new EnvironmentError(
      `no usable AWS credentials${profileFlag ? ` for profile '${profileFlag}'` : ''}: ${reason}`,
    );
  }
}

/**
 * Credentials past their expiry: a token signed with them is refused by STS, so kubectl would
 * only see 401 Unauthorized. Exit 3 with the reason instead (the aws CLI mints the doomed token).
 */
export function assertNotExpired(credentials: SourceCredentials, now: Date): void {
  if (credentials.expiration === undefined || credentials.expiration.getTime() > now.getTime()) return;
  throw new EnvironmentError(
    `the AWS credentials expired at ${credentials.expiration.toISOString()}: refresh them (aws sso login, a new session) and run again`,
  );
}
