/**
 * `--role-arn`: sts:AssumeRole with the source credentials, as `aws eks get-token --role-arn`
 * does (session name `EKSGetTokenAuth` by default, so `{{SessionName}}` mappings render the same).
 * Uses the SDK's STS client, loaded only here: AssumeRole answers in XML and the SDK already
 * honours the endpoint settings (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL) the sandbox relies on.
 */
import { EnvironmentError } from '../cli/errors.js';
import { withinDeadline } from '../collect/deadline.js';
import { proxyConfigured } from '../collect/proxy.js';
import type { Env } from './aws-config.js';
import type { SourceCredentials } from './credentials.js';

export { DEFAULT_SESSION_NAME } from './constants.js';

export interface AssumeRoleInput {
  roleArn: string;
  sessionName: string;
  externalId?: string | undefined;
  region: string | undefined;
  source: SourceCredentials;
  env: Env;
  /** The whole call, retries included: kubectl waits on `eksauth token`, so a silent STS must not hang it. */
  timeoutMs?: number;
}

/** As long as the aws CLI's own default read timeout. */
export const ASSUME_ROLE_TIMEOUT_MS = 60_000;

/** The endpoint override the SDKs read from the environment, unless told to ignore it. */
export function stsEndpointOverride(env: Env): string | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true') return undefined;
  return env.AWS_ENDPOINT_URL_STS || env.AWS_ENDPOINT_URL || undefined;
}

export async function assumeRole(
  input: AssumeRoleInput,
): Promise<SourceCredentials & { sessionToken: string; expiration: Date }> {
  const { STSClient, AssumeRoleCommand } = await import('@aws-sdk/client-sts');
  const endpoint = stsEndpointOverride(input.env);
  // The proxy code is loaded only when a proxy variable is set: most token runs never need it.
  const requestHandler = proxyConfigured(input.env)
    ? (await import('../collect/proxy-agent.js')).proxyHandlerOptions(input.env)
    : undefined;
  const client = new STSClient({
    ...(requestHandler ? { requestHandler } : {}),
    // No region at all: the global endpoint, as botocore does.
    region: input.region ?? 'aws-global',
    credentials: {
      accessKeyId: input.source.accessKeyId,
      secretAccessKey: input.source.secretAccessKey,
      ...(input.source.sessionToken ? { sessionToken: input.source.sessionToken } : {}),
    },
    ...(endpoint ? { endpoint } : {}),
  });
  try {
    const { Credentials: c } = await withinDeadline(input.timeoutMs ?? ASSUME_ROLE_TIMEOUT_MS, (abortSignal) =>
      client.send(
        new AssumeRoleCommand({
          RoleArn: input.roleArn,
          RoleSessionName: input.sessionName,
          ...(input.externalId ? { ExternalId: input.externalId } : {}),
        }),
        { abortSignal },
      ),
    );
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
      throw new Error('STS answered without credentials');
    }
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: new Date(c.Expiration),
    };
  } catch (error) {
    const name = error instanceof Error && error.name !== 'Error' ? `${error.name}: ` : '';
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new EnvironmentError(`cannot assume role ${input.roleArn}: ${name}${reason}`);
  } finally {
    client.destroy();
  }
}
