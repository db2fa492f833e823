import { sleep, type FaultEngine } from '../faults.js';
import { BODY_LIMIT, BodyTooLarge, ClientGone, readBody, requestTarget } from '../http-input.js';
import type { RequestHandler } from '../listen.js';
import { recordKubeExchange } from '../logs/kube-recorder.js';
import type { RequestLog } from '../request-log.js';
import type { ClusterRuntime, World } from '../world.js';
import type { Authentication, KubeAuthDeps } from './authn.js';
import { authorize, forbiddenMessage, type Subject } from './authz.js';
import { apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery.js';
import { handleResource, type KubeReply } from './objects.js';
import { decodeKubeProtobuf } from './protobuf.js';
import { openApiV3Document, openApiV3Root } from './openapi.js';
import { routeKube, verbOf } from './route.js';
import type { RequestAttributes } from './rules.js';
import { failure, forbidden, pageNotFound, unauthorized } from './status.js';

export interface KubeServerDeps {
  world: World;
  runtime: ClusterRuntime;
  auth: KubeAuthDeps;
  faults: FaultEngine;
  log: RequestLog;
  /** `127.0.0.1:PORT`, for /api's serverAddressByClientCIDRs. */
  address: string;
}

const REVIEWS = new Set(['selfsubjectreviews', 'selfsubjectaccessreviews', 'selfsubjectrulesreviews']);

/** The cluster's API server: authenticate as EKS, authorize with RBAC + access policies, serve. */
export function kubeHandler(deps: KubeServerDeps): RequestHandler {
  return async (req, res) => {
    const now = deps.auth.clock();
    const target = requestTarget(req.url);
    const query = new URLSearchParams(target?.rawQuery);
    const route = target ? routeKube(target.rawPath) : undefined;
    const verb = route ? verbOf(req.method ?? 'GET', route, query.get('watch') === 'true') : (req.method ?? 'GET');
    // A target that is not one keeps its raw text, for the log.
    const path = target?.rawPath ?? req.url ?? '';
    const action = route?.kind === 'resource' ? `${verb} ${route.type.resource}` : `${verb} ${path}`;
    let authn: Authentication | undefined;
    let body = '';
    const reply = (r: KubeReply): void => {
      recordKubeExchange(deps.runtime, {
        time: now,
        verb,
        requestURI: req.url ?? '',
        ...(route ? { target: route } : {}),
        ...(authn ? { authn } : {}),
        status: r.status,
        ...(typeof r.body === 'object' && typeof (r.body as { message?: unknown }).message === 'string'
          ? { message: (r.body as { message: string }).message }
          : {}),
        body,
        ...(req.headers['user-agent'] !== undefined ? { userAgent: req.headers['user-agent'] } : {}),
        sourceIP: req.socket.remoteAddress ?? '127.0.0.1',
      });
      const subject = authn && authn.kind !== 'rejected' ? authn.subject : undefined;
      const caller = authn?.kind === 'authenticated' ? authn.subject.user.extra.arn?.[0] : undefined;
      const userId = authn?.kind === 'authenticated' ? authn.identity.userId : undefined;
      const principal = userId ? deps.world.scenario.principals.find((p) => p.uniqueId === userId)?.id : undefined;
      const error = r.status >= 400 ? ((r.body as { reason?: string }).reason ?? String(r.status)) : undefined;
      deps.log.add({
        time: now.toISOString(),
        service: 'kube',
        action,
        ...(caller ? { caller } : {}),
        ...(principal ? { principal } : {}),
        ...(authn?.kind === 'authenticated' ? { accessKeyId: authn.identity.accessKeyId } : {}),
        ...(subject ? { username: subject.user.username } : {}),
        allowed: r.status < 400,
        write:
          route?.kind === 'resource' && !REVIEWS.has(route.type.resource) && !['get', 'list', 'watch'].includes(verb),
        status: r.status,
        ...(error !== undefined ? { error } : {}),
        ...(authn?.kind === 'rejected' ? { error: `Unauthorized: ${authn.reason}` } : {}),
        cluster: deps.runtime.cluster.name,
        method: req.method ?? 'GET',
        path,
      });
      const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
      res.writeHead(r.status, {
        'content-type': typeof r.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
        'cache-control': 'no-cache, private',
        ...(r.headers ?? {}),
      });
      res.end(text);
    };
    try {
      if (!route) return reply({ status: 400, body: failure(400, 'BadRequest', 'the request target is not a path') });
      const raw = await readBody(req, BODY_LIMIT.kube);
      // Protobuf bodies of the kinds the sandbox stores become JSON; any other body is read as before
      // (a write then answers 415 or 400 once the caller is authenticated and authorized).
      const decoded = (req.headers['content-type'] ?? '').includes('protobuf') ? decodeKubeProtobuf(raw) : undefined;
      const protobuf = decoded !== undefined && typeof decoded !== 'string';
      body = protobuf ? JSON.stringify(decoded) : raw.toString('utf8');
      const latency = deps.faults.latency('kube', verb);
      if (latency > 0) await sleep(latency);
      if (deps.faults.take({ service: 'kube', action: verb }, ['hang'])) return;
      if (deps.faults.take({ service: 'kube', action: verb }, ['refuse'])) {
        req.socket.destroy();
        return;
      }
      // Loaded on first use: the model's YAML reader is most of the sandbox's start-up time.
      const { authenticateKube } = await import('./authn.js');
      authn = await authenticateKube(req.headers.authorization, deps.runtime, deps.auth);
      if (authn.kind === 'rejected') return reply({ status: 401, body: unauthorized() });
      const outage = deps.faults.take(
        {
          service: 'kube',
          action: verb,
          ...(authn.kind === 'authenticated' ? { principalArn: authn.identity.canonicalArn } : {}),
        },
        ['throttle', 'server-error', 'access-denied'],
      );
      if (outage?.kind === 'throttle')
        return reply({
          status: 429,
          body: failure(429, 'TooManyRequests', 'Too many requests, please try again later.', {
            retryAfterSeconds: 1,
          }),
          headers: { 'retry-after': '1' },
        });
      if (outage?.kind === 'server-error')
        return reply({
          status: outage.status ?? 500,
          body: failure(outage.status ?? 500, 'InternalError', 'Internal error occurred: sandbox fault'),
        });
      const attrs: RequestAttributes =
        route.kind === 'resource'
          ? {
              verb,
              resource: {
                group: route.type.group,
                resource: route.type.resource,
                ...(route.subresource ? { subresource: route.subresource } : {}),
                ...(route.namespace ? { namespace: route.namespace } : {}),
                ...(route.name ? { name: route.name } : {}),
              },
            }
          : { verb, path };
      const subject = authn.subject;
      if (outage?.kind === 'access-denied' || !authorize(deps.runtime.objects, subject, attrs).allowed) {
        return reply({ status: 403, body: forbidden(forbiddenMessage(subject.user, attrs), attrs) });
      }
      const contentType = protobuf ? 'application/json' : req.headers['content-type'];
      reply(serve(deps, route, verb, query, body, subject, now, req.headers.accept, contentType));
    } catch (error) {
      if (error instanceof ClientGone) return;
      if (error instanceof BodyTooLarge)
        return reply({
          status: 413,
          body: failure(413, 'RequestEntityTooLarge', `Request entity too large: ${error.message}`),
        });
      reply({
        status: 500,
        body: failure(500, 'InternalError', `Internal error occurred: ${(error as Error).message}`),
      });
    }
  };
}

function serve(
  deps: KubeServerDeps,
  target: ReturnType<typeof routeKube>,
  verb: string,
  query: URLSearchParams,
  body: string,
  subject: Subject,
  now: Date,
  accept: string | undefined,
  contentType: string | undefined,
): KubeReply {
  if (target.kind === 'unknown') return { status: 404, body: pageNotFound() };
  if (target.kind === 'resource')
    return handleResource({
      store: deps.runtime.objects,
      target,
      verb,
      body,
      subject,
      now,
      accept,
      contentType,
      query,
    });
  const path = target.path.replace(/\/$/, '') || '/';
  if (verb !== 'get')
    return {
      status: 405,
      body: failure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`),
    };
  if (path === '/version') return { status: 200, body: versionInfo(deps.runtime.cluster.version) };
  if (path === '/healthz' || path === '/livez' || path === '/readyz') return { status: 200, body: 'ok' };
  if (path === '/api') return { status: 200, body: apiVersions(deps.address) };
  if (path === '/openapi/v3') return { status: 200, body: openApiV3Root() };
  const openApi = path.startsWith('/openapi/v3/')
    ? openApiV3Document(path.slice('/openapi/v3/'.length), deps.runtime.cluster.version)
    : undefined;
  if (openApi) return { status: 200, body: openApi };
  if (path === '/apis') return { status: 200, body: apiGroupList() };
  const parts = path.split('/').filter(Boolean);
  const list =
    parts[0] === 'api' && parts.length === 2
      ? apiResourceList('', parts[1] ?? '')
      : parts[0] === 'apis' && parts.length === 3
        ? apiResourceList(parts[1] ?? '', parts[2] ?? '')
        : undefined;
  if (list) return { status: 200, body: list };
  if (parts[0] === 'apis' && parts.length === 2) {
    const group = (apiGroupList() as { groups: { name: string }[] }).groups.find((g) => g.name === parts[1]);
    if (group) return { status: 200, body: { kind: 'APIGroup', apiVersion: 'v1', ...group } };
  }
  return { status: 404, body: pageNotFound() };
}
