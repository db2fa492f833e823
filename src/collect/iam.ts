import { GetRoleCommand, GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { parseArn } from '../model/arn.js';
import type { IamPrincipalDetails } from '../model/evidence.js';
import { clientConfig, type AwsContext } from './aws-context.js';
import { withinDeadline } from './deadline.js';

/** iam:GetRole / iam:GetUser: the path (which access entries need), unique id and creation date. */
export async function collectIamPrincipal(context: AwsContext, arn: string): Promise<IamPrincipalDetails> {
  const parsed = parseArn(arn);
  if (!parsed.ok) throw new Error(parsed.error);
  const [kind, ...rest] = parsed.value.resource.split('/');
  const name = rest[rest.length - 1] ?? '';
  const client = new IAMClient(clientConfig(context, 'iam'));
  if (kind === 'role') {
    const role = (
      await withinDeadline(context.timeoutMs, (abortSignal) =>
        client.send(new GetRoleCommand({ RoleName: name }), { abortSignal }),
      )
    ).Role;
    return {
      arn: role?.Arn ?? arn,
      path: role?.Path ?? '/',
      ...(role?.RoleId ? { uniqueId: role.RoleId } : {}),
      ...(role?.CreateDate ? { createDate: role.CreateDate.toISOString() } : {}),
    };
  }
  if (kind === 'user') {
    const user = (
      await withinDeadline(context.timeoutMs, (abortSignal) =>
        client.send(new GetUserCommand({ UserName: name }), { abortSignal }),
      )
    ).User;
    return {
      arn: user?.Arn ?? arn,
      path: user?.Path ?? '/',
      ...(user?.UserId ? { uniqueId: user.UserId } : {}),
      ...(user?.CreateDate ? { createDate: user.CreateDate.toISOString() } : {}),
    };
  }
  throw new Error(`${arn} is neither an IAM role nor an IAM user`);
}
