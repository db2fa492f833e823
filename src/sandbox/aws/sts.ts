import { AwsError, toXml, type AwsRequest, type AwsResponse, type XmlValue } from './http.js';
import { queryProtocol, wantsJson } from './protocols.js';
import type { AwsContext, AwsService } from './service.js';
import { principalByArn, type World } from '../world.js';

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** Query-protocol parameters: from the form body (POST, what SDKs send) or the URL (presigned GET). */
export function queryParams(req: AwsRequest): URLSearchParams {
  const params = new URLSearchParams(req.rawQuery);
  if (req.method === 'POST' && req.body.length > 0) {
    for (const [key, value] of new URLSearchParams(req.body.toString('utf8'))) params.set(key, value);
  }
  return params;
}

/** `<XResponse xmlns><XResult>…</XResult><ResponseMetadata>…` or, when asked, the JSON twin. */
export function queryResponse(
  namespace: string,
  action: string,
  result: Record<string, XmlValue>,
  ctx: AwsContext,
  json: boolean,
  jsonResult?: unknown,
): AwsResponse {
  if (json) {
    return {
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({
        [`${action}Response`]: {
          [`${action}Result`]: jsonResult ?? result,
          ResponseMetadata: { RequestId: ctx.requestId },
        },
      }),
    };
  }
  const body = `<${action}Response xmlns="${namespace}">\n  <${action}Result>${toXml(result)}</${action}Result>\n  <ResponseMetadata>\n    <RequestId>${ctx.requestId}</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`;
  return { status: 200, contentType: 'text/xml', body };
}

export function stsService(world: World): AwsService {
  const protocol = queryProtocol(NAMESPACE, true);
  return {
    name: 'sts',
    signingName: 'sts',
    protocol,
    action(req) {
      const action = queryParams(req).get('Action');
      if (action === 'GetCallerIdentity' || action === 'AssumeRole') return action;
      throw new AwsError(400, 'InvalidAction', `Could not find operation ${action ?? '(none)'} for version 2011-06-15`);
    },
    isWrite: () => false,
    neverDenied: ['GetCallerIdentity'],
    handle(ctx) {
      const json = wantsJson(ctx.req);
      if (ctx.action === 'GetCallerIdentity') {
        const identity = { Arn: ctx.caller.arn, UserId: ctx.caller.userId, Account: ctx.caller.principal.accountId };
        return queryResponse(NAMESPACE, 'GetCallerIdentity', identity, ctx, json);
      }
      return assumeRole(world, ctx, json, protocol.failure('access-denied', '').code);
    },
  };
}

function assumeRole(world: World, ctx: AwsContext, json: boolean, deniedCode: string): AwsResponse {
  const params = queryParams(ctx.req);
  const roleArn = params.get('RoleArn') ?? '';
  const sessionName = params.get('RoleSessionName') ?? '';
  if (!roleArn)
    throw new AwsError(
      400,
      'ValidationError',
      "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
    );
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
    throw new AwsError(
      400,
      'ValidationError',
      `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  }
  const denied = new AwsError(
    403,
    deniedCode,
    `User: ${ctx.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
  );
  const role = principalByArn(world, roleArn);
  if (!role || role.type !== 'role') throw denied;
  const callerArn = ctx.caller.principal.arn.toLowerCase();
  const callerRoot = `arn:${ctx.caller.principal.partition}:iam::${ctx.caller.principal.accountId}:root`;
  const trusted = role.trustedPrincipals.some((t) => t.toLowerCase() === callerArn || t === callerRoot);
  if (!trusted) throw denied;
  const duration = Number(params.get('DurationSeconds') ?? '3600');
  if (!Number.isInteger(duration) || duration < 900 || duration > role.maxSessionDuration) {
    throw new AwsError(
      400,
      'ValidationError',
      `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`,
    );
  }
  const issued = world.store.issueSession(role, sessionName, duration, ctx.now);
  const expiration = issued.expiration.toISOString().replace(/\.\d+Z$/, 'Z');
  const result = {
    AssumedRoleUser: { AssumedRoleId: issued.caller.userId, Arn: issued.caller.arn },
    Credentials: {
      AccessKeyId: issued.accessKeyId,
      SecretAccessKey: issued.secretAccessKey,
      SessionToken: issued.sessionToken,
      Expiration: expiration,
    },
  };
  const jsonResult = {
    ...result,
    Credentials: { ...result.Credentials, Expiration: issued.expiration.getTime() / 1000 },
    PackedPolicySize: null,
    SourceIdentity: null,
  };
  return queryResponse(NAMESPACE, 'AssumeRole', result, ctx, json, jsonResult);
}
