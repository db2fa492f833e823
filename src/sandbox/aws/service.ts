import type { Caller, CredentialStore } from '../credentials.js';
import { sleep, type FaultEngine } from '../faults.js';
import { requestId as newRequestId } from '../ids.js';
import { AUTHENTICATOR_USER_AGENT, type RequestLog } from '../request-log.js';
import type { ServiceName } from '../scenario/types.js';
import type { SigV4Auth } from '../sigv4.js';
import { authenticateAws } from './authenticate.js';
import { BODY_LIMIT, BodyTooLarge, ClientGone, readBody, requestTarget } from '../http-input.js';
import type { RequestHandler } from '../listen.js';
import { AwsError, awsRequestHead, send, type AwsRequest, type AwsResponse } from './http.js';
import type { Protocol } from './protocols.js';

export interface AwsContext {
  req: AwsRequest;
  caller: Caller;
  auth: SigV4Auth;
  /** The region the request was signed for: the sandbox serves every region on one endpoint. */
  region: string;
  action: string;
  now: Date;
  requestId: string;
}

/** One AWS service: how to name an operation, which ones write, and how to answer. */
export interface AwsService {
  name: ServiceName;
  signingName: string;
  protocol: Protocol;
  /** The operation a request names; throws AwsError for requests the service does not know. */
  action(req: AwsRequest): string;
  isWrite(action: string): boolean;
  /** Operations that ignore IAM denials (sts:GetCallerIdentity works even under an explicit Deny). */
  neverDenied?: readonly string[];
  /** The ARN an IAM denial names (`on resource: …`), when the operation has one. */
  resourceOf?(req: AwsRequest, region: string, accountId: string): string | undefined;
  handle(ctx: AwsContext): AwsResponse | Promise<AwsResponse>;
}

export interface ServiceDeps {
  store: CredentialStore;
  faults: FaultEngine;
  log: RequestLog;
  clock: () => Date;
}

/** Wraps a service in the steps every AWS front end takes: faults, SigV4, IAM denials, logging. */
export function awsHandler(service: AwsService, deps: ServiceDeps): RequestHandler {
  return async (incoming, res) => {
    const target = requestTarget(incoming.url);
    // A target that is not one keeps its raw text, for the log.
    let req = awsRequestHead(incoming, target ?? { rawPath: incoming.url ?? '', rawQuery: '' });
    const requestId = newRequestId();
    const now = deps.clock();
    let action = 'Unknown';
    let caller: Caller | undefined;
    const finish = (response: AwsResponse, error?: string): void => {
      deps.log.add({
        time: now.toISOString(),
        service: service.name,
        action,
        ...(caller ? { caller: caller.arn, principal: caller.principal.id, accessKeyId: caller.accessKeyId } : {}),
        ...(req.headers['user-agent'] === AUTHENTICATOR_USER_AGENT ? { via: 'eks-authenticator' as const } : {}),
        allowed: response.status < 400,
        write: service.isWrite(action),
        status: response.status,
        ...(error !== undefined ? { error } : {}),
        method: req.method,
        path: req.rawPath,
      });
      send(res, response, requestId, deps.clock());
    };
    try {
      if (!target)
        throw new AwsError(400, 'InvalidRequest', 'The request target is neither a path nor an absolute URL');
      req = { ...req, body: await readBody(incoming, BODY_LIMIT.aws) };
      action = service.action(req);
      const latency = deps.faults.latency(service.name, action);
      if (latency > 0) await sleep(latency);
      if (deps.faults.take({ service: service.name, action }, ['hang'])) return; // never answer
      if (deps.faults.take({ service: service.name, action }, ['refuse'])) {
        incoming.socket.destroy();
        return;
      }
      const authn = authenticateAws(req, deps.store, service.signingName, now);
      if (!authn.ok) throw service.protocol.failure(authn.kind, authn.message);
      caller = authn.caller;
      const query = { service: service.name, action, principalArn: caller.principal.arn };
      const outage = deps.faults.take(query, ['throttle', 'server-error']);
      if (outage?.kind === 'throttle') throw service.protocol.failure('throttled', 'Rate exceeded');
      if (outage?.kind === 'server-error') {
        const status = outage.status ?? 500;
        const error = service.protocol.failure(
          status === 503 ? 'unavailable' : 'server-error',
          status === 503
            ? 'Service is unavailable. Please try again later.'
            : 'An internal error occurred. Please try again.',
        );
        throw new AwsError(status, error.code, error.message);
      }
      if (!service.neverDenied?.includes(action) && deps.faults.take(query, ['access-denied'])) {
        const resource = service.resourceOf?.(req, authn.auth.region, caller.principal.accountId);
        const permission = `${service.signingName}:${action}`;
        throw service.protocol.failure(
          'access-denied',
          resource
            ? `User: ${caller.arn} is not authorized to perform: ${permission} on resource: ${resource}`
            : `User: ${caller.arn} is not authorized to perform: ${permission} because no identity-based policy allows the ${permission} action`,
        );
      }
      const response = await service.handle({
        req,
        caller,
        auth: authn.auth,
        region: authn.auth.region,
        action,
        now,
        requestId,
      });
      finish(response);
    } catch (thrown) {
      if (thrown instanceof ClientGone) return;
      const error =
        thrown instanceof BodyTooLarge
          ? new AwsError(413, 'RequestEntityTooLarge', `Request body is larger than ${thrown.limit} bytes`)
          : thrown;
      if (error instanceof AwsError) {
        finish(service.protocol.render(error, requestId, req), error.code);
        return;
      }
      const internal = service.protocol.failure('server-error', error instanceof Error ? error.message : String(error));
      finish(service.protocol.render(internal, requestId, req), 'internal');
    }
  };
}
