import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { sameArn, stripRolePath } from '../../model/arn.js';
import type { AccessEntry, Evidence } from '../../model/evidence.js';
import { parseAwsAuth } from '../../model/aws-auth/parse.js';
import { identityFromStsResponse, principalFromArn, type AuthenticatedIdentity } from '../../model/principal.js';
import { simulate, type Simulation } from '../../model/simulate.js';
import { CLUSTER_ID_HEADER, TOKEN_PREFIX } from '../../token/constants.js';
import { validateToken } from '../../token/validate.js';
import type { AuthenticatorOutcome, StsIdentity } from '../logs/authenticator-lines.js';
import { AUTHENTICATOR_USER_AGENT } from '../request-log.js';
import type { ClusterRuntime } from '../world.js';
import type { Subject } from './authz.js';
import { RESOURCE_TYPES } from './resources.js';

export type Authentication =
  | { kind: 'anonymous'; subject: Subject }
  | {
      kind: 'authenticated';
      subject: Subject;
      simulation: Simulation;
      identity: AuthenticatedIdentity;
      /** What the authenticator decided, for its log. */
      decision: AuthenticatorOutcome;
    }
  /** 401: `reason` is what the authenticator would log; `decision` is unset when no token reached it. */
  | { kind: 'rejected'; reason: string; decision?: AuthenticatorOutcome };

const tokenRejected = (error: string): Authentication => ({
  kind: 'rejected',
  reason: error,
  decision: { kind: 'token-rejected', error },
});

export interface KubeAuthDeps {
  /** The sandbox STS, which stands in for every real STS host a token may name. */
  sts: { host: string; port: number };
  clock: () => Date;
}

const anonymous: Subject = {
  user: { username: 'system:anonymous', uid: '', groups: ['system:unauthenticated'], extra: {} },
  policies: [],
};

/**
 * Bearer-token authentication as EKS does it: validate the token offline, replay the presigned
 * GetCallerIdentity to STS with `x-k8s-aws-id` set to this cluster's name, canonicalise the
 * answer, then map it from the cluster's live state with the model's simulate().
 */
export async function authenticateKube(
  authorization: string | undefined,
  runtime: ClusterRuntime,
  deps: KubeAuthDeps,
): Promise<Authentication> {
  if (authorization === undefined) return { kind: 'anonymous', subject: anonymous };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match?.[1]) return { kind: 'rejected', reason: 'no bearer token' };
  let token = match[1];
  const { cluster } = runtime;
  const now = deps.clock();
  // A client pointed at the sandbox STS (AWS_ENDPOINT_URL_STS) signs for the sandbox's own host;
  // that host stands for sts.REGION.amazonaws.com here, and is the only deviation from EKS.
  const sandboxHost = `${deps.sts.host}:${deps.sts.port}`;
  const decoded = decodeUrl(token);
  let replayHost: string | undefined;
  if (decoded && decoded.host === sandboxHost) {
    replayHost = sandboxHost;
    token =
      TOKEN_PREFIX +
      Buffer.from(
        decoded.href.replace(`${decoded.protocol}//${sandboxHost}`, `https://sts.${cluster.region}.amazonaws.com`),
      ).toString('base64url');
  }
  const validation = validateToken(token, { partition: cluster.partition, now, serverRegion: cluster.region });
  if (!validation.ok) return tokenRejected(validation.message);
  const { region, stsHost } = validation.token;
  const sts = await replay(validation.token.url, replayHost ?? stsHost, cluster.name, region || 'global', deps);
  if (!sts.ok) return tokenRejected(sts.reason);
  const identity = identityFromStsResponse(sts.identity, validation.token.accessKeyId);
  if (!identity.ok) return tokenRejected(`sts getCallerIdentity failed: ${identity.error}`);
  const principal = principalFromArn(sts.identity.arn);
  if (!principal.ok) return tokenRejected(`sts getCallerIdentity failed: ${principal.error}`);
  const { accountId, userId, sessionName, accessKeyId, canonicalArn } = identity.value;
  const stsIdentity: StsIdentity = {
    accessKeyId,
    arn: sts.identity.arn,
    accountId,
    userId,
    session: sessionName,
    stsEndpoint: stsHost,
    canonicalArn,
  };
  const simulation = simulate(principal.value, liveEvidence(runtime, identity.value));
  if (!simulation.decision.authenticated) {
    const error = simulation.failureMessage ?? 'identity is not mapped';
    return { kind: 'rejected', reason: error, decision: { kind: 'mapping-failed', sts: stsIdentity, error } };
  }
  const username = privateDnsNames(simulation.decision.username ?? '', cluster.region);
  const extra: Record<string, string[]> = {
    accessKeyId: [accessKeyId],
    arn: [sts.identity.arn],
    canonicalArn: [canonicalArn],
    principalId: [userId],
    sessionName: [sessionName],
    'sigs.k8s.io/aws-iam-authenticator/principalId': [userId],
  };
  return {
    kind: 'authenticated',
    simulation,
    identity: identity.value,
    decision: { kind: 'granted', sts: stsIdentity, username, groups: simulation.decision.groups },
    subject: {
      user: {
        username,
        uid: `aws-iam-authenticator:${accountId}:${userId}`,
        groups: [...simulation.decision.groups, 'system:authenticated'],
        extra,
      },
      policies: simulation.policies,
    },
  };
}

function decodeUrl(token: string): URL | undefined {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  try {
    return new URL(Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

type Replay = { ok: true; identity: { arn: string; userId: string; account: string } } | { ok: false; reason: string };

/**
 * GET the presigned URL from the sandbox STS with the Host it was signed for, as the authenticator
 * does; failures worded as pkg/token/token.go Verify words them (`stsRegion` is `global` or the region).
 */
function replay(url: string, host: string, clusterId: string, stsRegion: string, deps: KubeAuthDeps): Promise<Replay> {
  const parsed = new URL(url);
  return new Promise((resolve) => {
    const req = request(
      {
        host: deps.sts.host,
        port: deps.sts.port,
        method: 'GET',
        path: `/${parsed.search}`,
        headers: {
          host,
          [CLUSTER_ID_HEADER]: clusterId,
          accept: 'application/json',
          'user-agent': AUTHENTICATOR_USER_AGENT,
        },
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) {
            resolve({
              ok: false,
              reason: body.includes('Throttling')
                ? `sts getCallerIdentity was throttled: ${body}`
                : `sts getCallerIdentity failed: error from AWS (expected 200, got ${res.statusCode ?? 0}) on ${stsRegion} endpoint. Body: ${body}`,
            });
            return;
          }
          try {
            const result = (
              JSON.parse(body) as {
                GetCallerIdentityResponse: {
                  GetCallerIdentityResult: { Arn: string; UserId: string; Account: string };
                };
              }
            ).GetCallerIdentityResponse.GetCallerIdentityResult;
            resolve({ ok: true, identity: { arn: result.Arn, userId: result.UserId, account: result.Account } });
          } catch (error) {
            resolve({ ok: false, reason: `sts getCallerIdentity failed: ${(error as Error).message}` });
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) =>
      resolve({
        ok: false,
        reason: `sts getCallerIdentity failed: error during GET: ${error.message} on ${stsRegion} endpoint`,
      }),
    );
    req.end();
  });
}

/**
 * The Evidence EKS would act on right now: mode, access entries whose stored unique id still
 * matches, the live aws-auth ConfigMap text, and the creator (only while its unique id matches:
 * the grant follows the id, not the ARN, facts §3.2).
 */
export function liveEvidence(runtime: ClusterRuntime, identity: AuthenticatedIdentity): Evidence {
  const { cluster } = runtime;
  const configMaps = RESOURCE_TYPES.find((t) => t.resource === 'configmaps');
  const awsAuthObject = configMaps ? runtime.objects.get(configMaps, 'kube-system', 'aws-auth') : undefined;
  const parsed = awsAuthObject ? parseAwsAuth(JSON.stringify(awsAuthObject)) : undefined;
  // Only a mapping of the caller can be stale; another principal's stored id is not ours to judge.
  const sameId = (stored: string | undefined, arn: string): boolean =>
    stored === undefined || !sameArn(stripRolePath(arn), identity.canonicalArn) || stored === identity.userId;
  const accessEntries: AccessEntry[] | undefined =
    cluster.authenticationMode === 'CONFIG_MAP'
      ? undefined
      : cluster.accessEntries
          .filter((e) => sameId(e.principalUniqueId, e.principalArn))
          .map((e) => ({
            principalArn: e.principalArn,
            type: e.type,
            ...(e.username !== undefined ? { username: e.username } : {}),
            kubernetesGroups: e.kubernetesGroups,
            associatedAccessPolicies: e.policies.map((p) => ({ policyArn: p.policyArn, accessScope: p.accessScope })),
          }));
  const creator =
    cluster.creator && sameId(cluster.creator.uniqueId, cluster.creator.principalArn)
      ? { arn: cluster.creator.principalArn, source: 'evidence' as const }
      : undefined;
  return {
    cluster: {
      name: cluster.name,
      arn: cluster.arn,
      region: cluster.region,
      accountId: cluster.accountId,
      partition: cluster.partition,
      authenticationMode: cluster.authenticationMode,
      ...(cluster.bootstrapClusterCreatorAdminPermissions !== undefined
        ? { bootstrapClusterCreatorAdminPermissions: cluster.bootstrapClusterCreatorAdminPermissions }
        : {}),
      status: cluster.status,
      version: cluster.version,
    },
    awsAuth: parsed?.ok ? { state: 'present', configMap: parsed.value } : { state: 'absent' },
    ...(accessEntries ? { accessEntries } : {}),
    ...(creator ? { creator } : {}),
  };
}

/**
 * The model renders {{EC2PrivateDNSName}} as a placeholder because it cannot call EC2; the
 * sandbox plays EC2 and gives each instance id a stable private DNS name in the cluster's region.
 */
function privateDnsNames(username: string, region: string): string {
  return username.replace(/<private DNS name of (i-[0-9a-zA-Z]+)>/g, (_m, id: string) => {
    const bytes = createHash('sha256').update(id).digest();
    const ip = `10-0-${bytes[0] ?? 0}-${((bytes[1] ?? 0) % 254) + 1}`;
    return region === 'us-east-1' ? `ip-${ip}.ec2.internal` : `ip-${ip}.${region}.compute.internal`;
  });
}
