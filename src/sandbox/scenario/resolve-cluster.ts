import { AUTHENTICATION_MODES } from '../../model/evidence.js';
import { partitionOfRegion } from '../../model/partitions.js';
import { stableId } from '../ids.js';
import type { Node } from './reader.js';
import { readHistory, readLogging } from './resolve-history.js';
import { refToArn } from './resolve-principal.js';
import type {
  HealthIssue,
  KubeObject,
  ScenarioAccessEntry,
  ScenarioCluster,
  ScenarioCreator,
  ScenarioPrincipal,
} from './types.js';

const CLUSTER_ADMIN_POLICY_ARN = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

const CLUSTER_KEYS = [
  'name',
  'region',
  'account',
  'version',
  'platformVersion',
  'status',
  'createdAt',
  'roleArn',
  'authenticationMode',
  'bootstrapClusterCreatorAdminPermissions',
  'endpoint',
  'creator',
  'awsAuth',
  'accessEntries',
  'nodegroups',
  'fargateProfiles',
  'kubernetesObjects',
  'withoutDefaultObjects',
  'tags',
  'health',
  'logging',
  'history',
] as const;

export function readCluster(
  node: Node,
  accountOf: (n: Node) => string,
  principals: ScenarioPrincipal[],
): ScenarioCluster {
  node.only(CLUSTER_KEYS);
  const name = node.field('name').string();
  if (!/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(name))
    node.field('name').fail(`"${name}" is not a valid EKS cluster name`);
  const region = node.field('region').string('us-east-1');
  const accountId = accountOf(node.field('account'));
  const partition = partitionOfRegion(region);
  const authenticationMode = node.field('authenticationMode').oneOf(AUTHENTICATION_MODES, 'CONFIG_MAP');
  const bootstrap = node.field('bootstrapClusterCreatorAdminPermissions').optionalBoolean();
  if (authenticationMode === 'CONFIG_MAP' && bootstrap === false) {
    node
      .field('bootstrapClusterCreatorAdminPermissions')
      .fail('EKS rejects false in CONFIG_MAP mode (InvalidParameterException at CreateCluster)');
  }
  const endpoint = node.field('endpoint');
  endpoint.only(['public', 'private', 'publicAccessCidrs']);
  const endpointPublicAccess = endpoint.field('public').boolean(true);
  const endpointPrivateAccess = endpoint.field('private').boolean(false);
  if (!endpointPublicAccess && !endpointPrivateAccess) endpoint.fail('at least one of public or private must be true');
  const createdAt = node.field('createdAt').date('-30d');
  const creator = readCreator(node.field('creator'), principals);
  const awsAuthNode = node.field('awsAuth');
  const awsAuthData = awsAuthNode.present ? awsAuthNode.stringMap() : undefined;
  const accessEntries = node
    .field('accessEntries')
    .items()
    .map((e) => readAccessEntry(e, principals, createdAt));
  const creatorNode = node.field('creator');
  const creatorWantsEntry = creatorNode.present ? creatorNode.field('accessEntry').boolean(true) : false;
  // EKS makes the creator's admin rights a visible access entry in the API modes (facts §3.2).
  if (
    creator &&
    authenticationMode !== 'CONFIG_MAP' &&
    bootstrap !== false &&
    creatorWantsEntry &&
    !accessEntries.some((e) => e.principalArn.toLowerCase() === creator.principalArn.toLowerCase())
  ) {
    accessEntries.unshift({
      principalArn: creator.principalArn,
      type: 'STANDARD',
      kubernetesGroups: [],
      createdAt,
      modifiedAt: createdAt,
      principalUniqueId: creator.uniqueId,
      policies: [
        {
          policyArn: CLUSTER_ADMIN_POLICY_ARN,
          accessScope: { type: 'cluster', namespaces: [] },
          associatedAt: createdAt,
        },
      ],
      tags: {},
    });
  }
  if (authenticationMode === 'CONFIG_MAP' && accessEntries.length > 0)
    node.field('accessEntries').fail('a CONFIG_MAP cluster cannot have access entries');
  return {
    name,
    region,
    accountId,
    partition,
    arn: `arn:${partition}:eks:${region}:${accountId}:cluster/${name}`,
    version: node.field('version').string('1.31'),
    platformVersion: node.field('platformVersion').string('eks.14'),
    status: node
      .field('status')
      .oneOf(['CREATING', 'ACTIVE', 'DELETING', 'FAILED', 'UPDATING', 'PENDING'] as const, 'ACTIVE'),
    createdAt,
    roleArn: node.field('roleArn').string(`arn:${partition}:iam::${accountId}:role/eksClusterRole`),
    authenticationMode,
    bootstrapClusterCreatorAdminPermissions: bootstrap,
    endpointPublicAccess,
    endpointPrivateAccess,
    publicAccessCidrs: endpoint.field('publicAccessCidrs').present
      ? endpoint.field('publicAccessCidrs').strings()
      : ['0.0.0.0/0'],
    ...(creator ? { creator } : {}),
    ...(awsAuthData ? { awsAuthData } : {}),
    accessEntries,
    nodegroups: node
      .field('nodegroups')
      .items()
      .map((n) => readNodegroup(n, principals, createdAt)),
    fargateProfiles: node
      .field('fargateProfiles')
      .items()
      .map((f) => {
        f.only(['name', 'podExecutionRole', 'status', 'selectors']);
        return {
          name: f.field('name').string(),
          podExecutionRoleArn: refToArn(f.field('podExecutionRole'), principals),
          status: f.field('status').string('ACTIVE'),
          selectors: f
            .field('selectors')
            .items()
            .map((s) => {
              s.only(['namespace', 'labels']);
              const labels = s.field('labels');
              return {
                namespace: s.field('namespace').string(),
                ...(labels.present ? { labels: labels.stringMap() } : {}),
              };
            }),
          createdAt,
        };
      }),
    objects: node.field('kubernetesObjects').items().map(readKubeObject),
    withoutDefaults: node.field('withoutDefaultObjects').strings(),
    tags: node.field('tags').stringMap(),
    health: readHealth(node.field('health')),
    logging: readLogging(node.field('logging')),
    history: readHistory(node.field('history'), principals, {
      region,
      ...(creator ? { creator } : {}),
      ...(awsAuthData ? { awsAuthData } : {}),
    }),
  };
}

function readCreator(node: Node, principals: ScenarioPrincipal[]): ScenarioCreator | undefined {
  if (!node.present) return undefined;
  node.only(['principal', 'sessionName', 'uniqueId', 'cloudTrail', 'accessEntry']);
  const arn = refToArn(node.field('principal'), principals);
  const principal = principals.find((p) => p.arn === arn);
  const type = arn.includes(':role/') ? 'role' : 'user';
  const uniqueId = node
    .field('uniqueId')
    .string(principal?.uniqueId ?? stableId(type === 'role' ? 'AROA' : 'AIDA', arn, 17));
  return {
    principalArn: arn,
    uniqueId,
    principalType: type,
    sessionName: node.field('sessionName').string(principal?.sessionName ?? 'eksauth-sandbox'),
    accessKeyId: stableId(type === 'role' ? 'ASIA' : 'AKIA', `creator:${arn}`, 16),
    cloudTrail: node.field('cloudTrail').boolean(true),
  };
}

function readAccessEntry(node: Node, principals: ScenarioPrincipal[], createdAt: Date): ScenarioAccessEntry {
  node.only([
    'principal',
    'type',
    'username',
    'kubernetesGroups',
    'createdAt',
    'principalUniqueId',
    'policies',
    'tags',
  ]);
  const principalArn = refToArn(node.field('principal'), principals);
  const created = node.field('createdAt').date(createdAt);
  const username = node.field('username').optionalString();
  const uniqueId =
    node.field('principalUniqueId').optionalString() ?? principals.find((p) => p.arn === principalArn)?.uniqueId;
  return {
    principalArn,
    type: node.field('type').string('STANDARD'),
    ...(username !== undefined ? { username } : {}),
    kubernetesGroups: node.field('kubernetesGroups').strings(),
    createdAt: created,
    modifiedAt: created,
    ...(uniqueId !== undefined ? { principalUniqueId: uniqueId } : {}),
    policies: node
      .field('policies')
      .items()
      .map((p) => {
        p.only(['policy', 'namespaces']);
        const policy = p.field('policy').string();
        const policyArn = policy.startsWith('arn:') ? policy : `arn:aws:eks::aws:cluster-access-policy/${policy}`;
        const namespaces = p.field('namespaces');
        return {
          policyArn,
          accessScope: namespaces.present
            ? { type: 'namespace' as const, namespaces: namespaces.strings() }
            : { type: 'cluster' as const, namespaces: [] },
          associatedAt: created,
        };
      }),
    tags: node.field('tags').stringMap(),
  };
}

function readNodegroup(node: Node, principals: ScenarioPrincipal[], createdAt: Date): ScenarioNodegroup {
  node.only(['name', 'nodeRole', 'status', 'amiType', 'instanceTypes', 'capacityType', 'scaling', 'health']);
  const scaling = node.field('scaling');
  scaling.only(['minSize', 'maxSize', 'desiredSize']);
  return {
    name: node.field('name').string(),
    nodeRoleArn: refToArn(node.field('nodeRole'), principals),
    status: node.field('status').string('ACTIVE'),
    amiType: node.field('amiType').string('AL2023_x86_64_STANDARD'),
    instanceTypes: node.field('instanceTypes').present ? node.field('instanceTypes').strings() : ['t3.medium'],
    capacityType: node.field('capacityType').string('ON_DEMAND'),
    scaling: {
      minSize: scaling.field('minSize').number(1),
      maxSize: scaling.field('maxSize').number(3),
      desiredSize: scaling.field('desiredSize').number(2),
    },
    createdAt,
    health: readHealth(node.field('health')),
  };
}

type ScenarioNodegroup = ScenarioCluster['nodegroups'][number];

function readHealth(node: Node): HealthIssue[] {
  return node.items().map((h) => {
    h.only(['code', 'message', 'resourceIds']);
    return {
      code: h.field('code').string(),
      message: h.field('message').string(),
      resourceIds: h.field('resourceIds').strings(),
    };
  });
}

function readKubeObject(node: Node): KubeObject {
  const object = node.object();
  const kind = node.field('kind').string();
  node.field('apiVersion').string();
  const metadata = node.field('metadata');
  metadata.field('name').string();
  const namespaced = !['ClusterRole', 'ClusterRoleBinding', 'Namespace'].includes(kind);
  if (namespaced && !metadata.field('namespace').present) metadata.fail(`a ${kind} needs metadata.namespace`);
  return structuredClone(object) as unknown as KubeObject;
}
