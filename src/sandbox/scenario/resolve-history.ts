import { stableId } from '../ids.js';
import { AUTHENTICATOR_ERRORS } from '../logs/authenticator-lines.js';
import type { Node } from './reader.js';
import { refToArn } from './resolve-principal.js';
import {
  HISTORY_EVENTS,
  LOG_TYPES,
  type HistoryActor,
  type ScenarioCreator,
  type ScenarioHistoryItem,
  type ScenarioLogging,
  type ScenarioPrincipal,
} from './types.js';

/** What a history item needs to know about its cluster. */
interface ClusterFacts {
  region: string;
  creator?: ScenarioCreator;
  awsAuthData?: Record<string, string>;
}

const DEFAULT_SOURCE_IP = '198.51.100.23';
const KUBECTL_AGENT = 'kubectl/v1.30.2 (linux/amd64) kubernetes/3968350';

/** `logging: [authenticator, audit]`, or `logging: {types: [...], awsAuthAuditLevel: RequestResponse}`. */
export function readLogging(node: Node): ScenarioLogging {
  if (!node.present) return { enabled: [], awsAuthAuditLevel: 'Metadata' };
  const list = Array.isArray(node.value);
  if (!list) node.only(['types', 'awsAuthAuditLevel']);
  const types = (list ? node : node.field('types')).items().map((t) => t.oneOf(LOG_TYPES));
  return {
    enabled: LOG_TYPES.filter((t) => types.includes(t)),
    awsAuthAuditLevel: list
      ? 'Metadata'
      : node.field('awsAuthAuditLevel').oneOf(['Metadata', 'RequestResponse'] as const, 'Metadata'),
  };
}

export function readHistory(node: Node, principals: ScenarioPrincipal[], cluster: ClusterFacts): ScenarioHistoryItem[] {
  return node
    .items()
    .map((item) => readItem(item, principals, cluster))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}

function readItem(node: Node, principals: ScenarioPrincipal[], cluster: ClusterFacts): ScenarioHistoryItem {
  const kind = node.field('kind').oneOf(['aws-auth-write', 'authenticator', 'cloudtrail'] as const);
  if (!node.field('at').present) node.field('at').fail('is required: when it happened, e.g. -62m');
  const at = node.field('at').date('now');
  const sourceIP = node.field('sourceIP').string(DEFAULT_SOURCE_IP);
  if (kind === 'aws-auth-write') {
    node.only(['kind', 'at', 'by', 'verb', 'sourceIP', 'userAgent', 'username', 'groups', 'awsAuth']);
    const data = node.field('awsAuth');
    return {
      kind,
      at,
      by: actor(node, 'by', principals, cluster),
      verb: node.field('verb').oneOf(['create', 'update', 'patch', 'delete'] as const, 'update'),
      sourceIP,
      userAgent: node.field('userAgent').string(KUBECTL_AGENT),
      ...(data.present ? { data: data.stringMap() } : cluster.awsAuthData ? { data: cluster.awsAuthData } : {}),
    };
  }
  if (kind === 'authenticator') {
    node.only([
      'kind',
      'at',
      'principal',
      'decision',
      'error',
      'stsHost',
      'username',
      'groups',
      'times',
      'every',
      'sourceIP',
      'requestURI',
    ]);
    const decision = node.field('decision').oneOf(['granted', 'denied'] as const);
    const errorNode = node.field('error');
    if (decision === 'granted' && errorNode.present) errorNode.fail('a granted decision has no error');
    const { error, stage } =
      decision === 'denied'
        ? errorText(errorNode, node.field('stsHost'), at)
        : { error: '', stage: 'mapping' as const };
    const times = node.field('times').number(1);
    if (!Number.isInteger(times) || times < 1 || times > 1000)
      node.field('times').fail('must be an integer from 1 to 1000');
    return {
      kind,
      at,
      principal: actor(node, 'principal', principals, cluster),
      decision,
      error,
      stage,
      times,
      everyMs: duration(node.field('every')),
      sourceIP,
      requestURI: node.field('requestURI').string('/api?timeout=32s'),
    };
  }
  node.only(['kind', 'at', 'by', 'event', 'principal', 'policy', 'authenticationMode', 'sourceIP']);
  const event = node.field('event').oneOf(HISTORY_EVENTS);
  const principalNode = node.field('principal');
  const needsPrincipal = event !== 'UpdateClusterConfig';
  if (needsPrincipal && !principalNode.present) principalNode.fail(`${event} names the access entry's principal`);
  const policy = node.field('policy').optionalString();
  if (event === 'AssociateAccessPolicy' && policy === undefined)
    node.field('policy').fail('AssociateAccessPolicy names a policy');
  const mode = node.field('authenticationMode').optionalString();
  if (event === 'UpdateClusterConfig' && mode === undefined)
    node.field('authenticationMode').fail('UpdateClusterConfig names the new authenticationMode');
  return {
    kind,
    at,
    by: actor(node, 'by', principals, cluster),
    event,
    ...(needsPrincipal ? { principalArn: refToArn(principalNode, principals) } : {}),
    ...(policy !== undefined
      ? { policyArn: policy.startsWith('arn:') ? policy : `arn:aws:eks::aws:cluster-access-policy/${policy}` }
      : {}),
    ...(mode !== undefined ? { authenticationMode: mode } : {}),
    sourceIP,
  };
}

/** `every: 1m` (default) between repeated decisions. */
function duration(node: Node): number {
  const text = node.string('1m');
  const match = /^(\d+)([smh])$/.exec(text);
  if (!match) node.fail(`must be a duration such as 30s, 1m or 2h (got "${text}")`);
  return Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 's' | 'm' | 'h'];
}

/**
 * A denial's error: a name for one of the authenticator's texts (`not-mapped`, `expired`,
 * `wrong-sts-host`, `cluster-id-not-signed`, `sts-throttled`) or the text itself, verbatim.
 */
function errorText(node: Node, stsHost: Node, at: Date): { error: string; stage: 'token' | 'mapping' } {
  const value = node.string('not-mapped');
  switch (value) {
    case 'not-mapped':
      return { error: AUTHENTICATOR_ERRORS.notMapped, stage: 'mapping' };
    case 'expired':
      return {
        error: AUTHENTICATOR_ERRORS.expired(new Date(Math.floor(at.getTime() / 1000) * 1000 - 16 * 60_000)),
        stage: 'token',
      };
    case 'wrong-sts-host':
      return { error: AUTHENTICATOR_ERRORS.wrongStsHost(stsHost.string('sts.example.com')), stage: 'token' };
    case 'cluster-id-not-signed':
      return { error: AUTHENTICATOR_ERRORS.clusterIdNotSigned, stage: 'token' };
    case 'sts-throttled':
      return {
        error: AUTHENTICATOR_ERRORS.stsThrottled(stableId('', `throttle:${at.toISOString()}`, 8)),
        stage: 'token',
      };
    default:
      // Verify's errors all start with one of these; anything else came from the mappers.
      return {
        error: value,
        stage: /^(input token was not properly formatted|sts getCallerIdentity)/.test(value) ? 'token' : 'mapping',
      };
  }
}

/**
 * A principal of the scenario or an ARN from elsewhere, with the ids AWS would show for it. Its
 * Kubernetes user defaults to what EKS gives the cluster creator (`kubernetes-admin`,
 * system:masters), else the session ARN with no groups; `username`/`groups` override.
 */
function actor(item: Node, key: string, principals: ScenarioPrincipal[], cluster: ClusterFacts): HistoryActor {
  const arn = refToArn(item.field(key), principals);
  const principal = principals.find((p) => p.arn === arn);
  const [, partition = 'aws', , , accountId = '', resource = ''] = arn.split(':');
  const type = resource.startsWith('role/') ? 'role' : 'user';
  const name = resource.split('/').pop() ?? '';
  const sessionName = principal?.sessionName ?? 'eksauth-sandbox';
  const isCreator = cluster.creator?.principalArn === arn;
  const groupsNode = item.field('groups');
  return {
    arn,
    type,
    accountId,
    uniqueId:
      principal?.uniqueId ??
      (isCreator ? cluster.creator?.uniqueId : undefined) ??
      stableId(type === 'role' ? 'AROA' : 'AIDA', arn, 17),
    sessionName,
    accessKeyId:
      principal?.accessKeys[0]?.accessKeyId ?? stableId(type === 'role' ? 'ASIA' : 'AKIA', `history:${arn}`, 16),
    username: item
      .field('username')
      .string(
        isCreator
          ? 'kubernetes-admin'
          : type === 'role'
            ? `arn:${partition}:sts::${accountId}:assumed-role/${name}/${sessionName}`
            : arn,
      ),
    groups: groupsNode.present ? groupsNode.strings() : isCreator ? ['system:masters'] : [],
  };
}
