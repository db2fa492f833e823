import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { AssumeRoleOutcome, CallerIdentity } from '../model/evidence.js';
import { clientConfig, type AwsContext } from './aws-context.js';
import { withinDeadline } from './deadline.js';

/** sts:GetCallerIdentity needs no permission: it tells who the credentials are, or that there are none. */
export async function collectCaller(
  context: AwsContext,
  credentials: AwsCredentialIdentityProvider = context.credentials,
): Promise<CallerIdentity> {
  const client = new STSClient(clientConfig(context, 'sts', credentials));
  const [answer, identity] = await withinDeadline(context.timeoutMs, async (abortSignal) => [
    await client.send(new GetCallerIdentityCommand({}), { abortSignal }),
    await credentials(),
  ]);
  // The SDK corrects its own signatures by this offset, so its calls work with a wrong clock;
  // tokens minted here (and by `aws eks get-token`) do not, which is why it is evidence.
  const clockOffsetMs = client.config.systemClockOffset;
  return {
    arn: answer.Arn ?? '',
    account: answer.Account ?? '',
    userId: answer.UserId ?? '',
    credentialSource: context.credentialSource,
    ...(identity.expiration ? { expiresAt: identity.expiration.toISOString() } : {}),
    ...(clockOffsetMs ? { clockOffsetMs } : {}),
  };
}

export interface AssumedRole {
  outcome: AssumeRoleOutcome;
  /** Present when assumed: the session's credentials, kept in memory only. */
  credentials?: AwsCredentialIdentityProvider;
}

/** sts:AssumeRole into the target, as `aws eks get-token --role-arn` does; refusal is an outcome, not an error. */
export async function collectAssumeRole(
  context: AwsContext,
  roleArn: string,
  sessionName: string,
  externalId?: string,
): Promise<AssumedRole> {
  const client = new STSClient(clientConfig(context, 'sts'));
  try {
    const answer = await withinDeadline(context.timeoutMs, (abortSignal) =>
      client.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: sessionName,
          ...(externalId ? { ExternalId: externalId } : {}),
        }),
        { abortSignal },
      ),
    );
    const c = answer.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('AssumeRole returned no credentials');
    const identity = {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
      ...(c.Expiration ? { expiration: c.Expiration } : {}),
    };
    return {
      outcome: {
        roleArn,
        sessionName,
        outcome: 'assumed',
        sessionArn: answer.AssumedRoleUser?.Arn ?? '',
        ...(c.Expiration ? { expiresAt: c.Expiration.toISOString() } : {}),
      },
      credentials: () => Promise.resolve(identity),
    };
  } catch (error) {
    const e = error as { name?: string; message?: string };
    if (e.name === 'TimeoutError' || /ECONN|ENOTFOUND|EAI_AGAIN/.test(e.message ?? '')) throw error;
    return {
      outcome: {
        roleArn,
        sessionName,
        outcome: 'refused',
        code: e.name ?? 'Error',
        message: (e.message ?? String(error)).split('\n')[0] ?? '',
      },
    };
  }
}
