/**
 * Source credentials for minting: the AWS SDK v3 default chain (env, shared files and profiles,
 * SSO, credential_process, web identity, container and instance metadata), loaded only when it
 * can matter. Static keys in the environment with no profile selected are what the SDK would
 * return anyway, so that path never loads the SDK (~45 ms of the ~60 ms budget).
 */
import { EnvironmentError } from '../cli/errors.js';
import type { Env } from './aws-config.js';
import type { SigningCredentials } from './presign.js';

export interface SourceCredentials extends SigningCredentials {
  expiration?: Date;
}

/**
 * The SDK's env provider, when the SDK's chain would pick it: the chain skips env keys when a
 * profile is selected (flag or AWS_PROFILE), so we do too.
 */
export function staticEnvCredentials(env: Env, profileFlag: string | undefined): SourceCredentials | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey || profileFlag !== undefined || env.AWS_PROFILE) return undefined;
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
    const credentials = await fromNodeProviderChain(profileFlag !== undefined ? { profile: profileFlag } : {})();
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
