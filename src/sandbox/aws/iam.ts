import type { ScenarioPrincipal } from '../scenario/types.js';
import type { World } from '../world.js';
import { AwsError } from './http.js';
import { queryProtocol } from './protocols.js';
import type { AwsContext, AwsService } from './service.js';
import { queryParams, queryResponse } from './sts.js';

const NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

const isoSeconds = (date: Date): string => date.toISOString().replace(/\.\d+Z$/, 'Z');

/** The trust policy as IAM returns it: URL-encoded JSON (the SDKs hand it over still encoded). */
export function trustPolicyDocument(role: ScenarioPrincipal): string {
  const aws = role.trustedPrincipals;
  const statements =
    aws.length === 0
      ? []
      : [{ Effect: 'Allow', Principal: { AWS: aws.length === 1 ? aws[0] : aws }, Action: 'sts:AssumeRole' }];
  return encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: statements }));
}

export function iamService(world: World): AwsService {
  return {
    name: 'iam',
    signingName: 'iam',
    protocol: queryProtocol(NAMESPACE, false),
    action(req) {
      const action = queryParams(req).get('Action');
      if (action === 'GetRole' || action === 'GetUser') return action;
      throw new AwsError(400, 'InvalidAction', `Could not find operation ${action ?? '(none)'} for version 2010-05-08`);
    },
    isWrite: () => false,
    handle(ctx) {
      return ctx.action === 'GetRole' ? getRole(world, ctx) : getUser(world, ctx);
    },
  };
}

/** IAM is per account: a caller sees only the roles and users of its own account. */
function inCallerAccount(
  world: World,
  ctx: AwsContext,
  type: 'role' | 'user',
  name: string,
): ScenarioPrincipal | undefined {
  return world.scenario.principals.find(
    (p) =>
      p.type === type && p.accountId === ctx.caller.principal.accountId && p.name.toLowerCase() === name.toLowerCase(),
  );
}

function getRole(world: World, ctx: AwsContext) {
  const name = queryParams(ctx.req).get('RoleName') ?? '';
  if (!name)
    throw new AwsError(
      400,
      'ValidationError',
      "1 validation error detected: Value null at 'roleName' failed to satisfy constraint: Member must not be null",
    );
  const role = inCallerAccount(world, ctx, 'role', name);
  if (!role) throw new AwsError(404, 'NoSuchEntity', `The role with name ${name} cannot be found.`);
  const result = {
    Role: {
      Path: role.path,
      AssumeRolePolicyDocument: trustPolicyDocument(role),
      MaxSessionDuration: role.maxSessionDuration,
      RoleId: role.uniqueId,
      RoleName: role.name,
      Arn: role.arn,
      CreateDate: isoSeconds(role.createDate),
    },
  };
  return queryResponse(NAMESPACE, 'GetRole', result, ctx, false);
}

function getUser(world: World, ctx: AwsContext) {
  const name = queryParams(ctx.req).get('UserName');
  let user: ScenarioPrincipal | undefined;
  if (name) {
    user = inCallerAccount(world, ctx, 'user', name);
    if (!user) throw new AwsError(404, 'NoSuchEntity', `The user with name ${name} cannot be found.`);
  } else {
    if (ctx.caller.principal.type !== 'user')
      throw new AwsError(400, 'ValidationError', 'Must specify userName when calling with non-User credentials');
    user = ctx.caller.principal;
  }
  const result = {
    User: {
      Path: user.path,
      UserName: user.name,
      UserId: user.uniqueId,
      Arn: user.arn,
      CreateDate: isoSeconds(user.createDate),
    },
  };
  return queryResponse(NAMESPACE, 'GetUser', result, ctx, false);
}
