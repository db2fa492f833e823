import { partitionOfRegion } from '../../model/partitions.js';
import type { ScenarioAccessEntry, ScenarioCluster } from '../scenario/types.js';
import { epochSeconds, findCluster, type ClusterRuntime, type World } from '../world.js';
import { AwsError, type AwsRequest, type AwsResponse } from './http.js';
import { paginate } from './pagination.js';
import { restJsonProtocol } from './protocols.js';
import type { AwsContext, AwsService } from './service.js';
import { eksShapes } from './eks-shapes.js';
import {
  associateAccessPolicy,
  createAccessEntry,
  deleteAccessEntry,
  disassociateAccessPolicy,
  requireEntryMode,
  updateAccessEntry,
  updateClusterConfig,
} from './eks-writes.js';

/** The operations, by method and path pattern (botocore eks service-2.json); `{}` is one segment. */
const ROUTES: [string, string[], string][] = [
  ['GET', ['clusters'], 'ListClusters'],
  ['GET', ['clusters', '{}'], 'DescribeCluster'],
  ['GET', ['clusters', '{}', 'access-entries'], 'ListAccessEntries'],
  ['GET', ['clusters', '{}', 'access-entries', '{}'], 'DescribeAccessEntry'],
  ['GET', ['clusters', '{}', 'access-entries', '{}', 'access-policies'], 'ListAssociatedAccessPolicies'],
  ['GET', ['access-policies'], 'ListAccessPolicies'],
  ['GET', ['clusters', '{}', 'node-groups'], 'ListNodegroups'],
  ['GET', ['clusters', '{}', 'node-groups', '{}'], 'DescribeNodegroup'],
  ['GET', ['clusters', '{}', 'fargate-profiles'], 'ListFargateProfiles'],
  ['GET', ['clusters', '{}', 'fargate-profiles', '{}'], 'DescribeFargateProfile'],
  ['POST', ['clusters', '{}', 'update-config'], 'UpdateClusterConfig'],
  ['POST', ['clusters', '{}', 'access-entries'], 'CreateAccessEntry'],
  ['POST', ['clusters', '{}', 'access-entries', '{}'], 'UpdateAccessEntry'],
  ['DELETE', ['clusters', '{}', 'access-entries', '{}'], 'DeleteAccessEntry'],
  ['POST', ['clusters', '{}', 'access-entries', '{}', 'access-policies'], 'AssociateAccessPolicy'],
  ['DELETE', ['clusters', '{}', 'access-entries', '{}', 'access-policies', '{}'], 'DisassociateAccessPolicy'],
];

/** The raw path split before decoding, so an ARN with a path (`role%2Fteam%2Fx`) stays one segment. */
export function pathSegments(req: AwsRequest): string[] {
  return req.rawPath
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

function route(req: AwsRequest): { action: string; params: string[] } | undefined {
  const segments = pathSegments(req);
  for (const [method, pattern, action] of ROUTES) {
    if (method !== req.method || pattern.length !== segments.length) continue;
    const params: string[] = [];
    if (pattern.every((p, i) => (p === '{}' ? (params.push(segments[i] ?? ''), true) : p === segments[i])))
      return { action, params };
  }
  return undefined;
}

const json = (body: unknown): AwsResponse => ({
  status: 200,
  contentType: 'application/json',
  body: JSON.stringify(body),
});
const invalidParameter = (message: string): AwsError => new AwsError(400, 'InvalidParameterException', message);

/** Every AWS-managed access policy ListAccessPolicies returns (facts §2.7). */
const ACCESS_POLICIES = [
  'AmazonEKSAdminPolicy',
  'AmazonEKSAdminViewPolicy',
  'AmazonEKSClusterAdminPolicy',
  'AmazonEKSEditPolicy',
  'AmazonEKSViewPolicy',
  'AmazonEKSAutoNodePolicy',
  'AmazonEKSBlockStoragePolicy',
  'AmazonEKSComputePolicy',
  'AmazonEKSLoadBalancingPolicy',
  'AmazonEKSNetworkingPolicy',
  'AmazonEKSHybridPolicy',
].map((name) => ({ name, arn: `arn:aws:eks::aws:cluster-access-policy/${name}` }));

export function eksService(world: World): AwsService {
  return {
    name: 'eks',
    signingName: 'eks',
    protocol: restJsonProtocol(),
    action(req) {
      const found = route(req);
      if (!found)
        throw new AwsError(404, 'UnknownOperationException', `The sandbox does not serve ${req.method} ${req.rawPath}`);
      return found.action;
    },
    isWrite: (action) => !/^(List|Describe)/.test(action),
    resourceOf(req, region, accountId) {
      const [first, name] = pathSegments(req);
      return first === 'clusters' && name
        ? `arn:${partitionOfRegion(region)}:eks:${region}:${accountId}:cluster/${name}`
        : undefined;
    },
    handle(ctx) {
      const found = route(ctx.req);
      const [name = '', second = '', third = ''] = found?.params ?? [];
      const q = ctx.req.query;
      const page = <T>(items: T[], key: string) =>
        paginate(items, q.get('maxResults'), q.get('nextToken'), key, { max: 100, fallback: 100 }, invalidParameter);
      if (ctx.action === 'ListClusters') {
        const names = visibleClusters(world, ctx).map((c) => c.cluster.name);
        const { page: clusters, nextToken } = page(names, 'clusters');
        return json({ clusters, ...(nextToken ? { nextToken } : {}) });
      }
      if (ctx.action === 'ListAccessPolicies') {
        const { page: accessPolicies, nextToken } = page(ACCESS_POLICIES, 'access-policies');
        return json({ accessPolicies, ...(nextToken ? { nextToken } : {}) });
      }
      const runtime = findCluster(world, ctx.caller.principal.accountId, ctx.region, name);
      if (!runtime)
        throw new AwsError(404, 'ResourceNotFoundException', `No cluster found for name: ${name}.`, {
          clusterName: name,
        });
      const { cluster } = runtime;
      const shapes = eksShapes(runtime);
      switch (ctx.action) {
        case 'DescribeCluster':
          return json({ cluster: shapes.cluster() });
        case 'UpdateClusterConfig':
          return json(updateClusterConfig(cluster, requestBody(ctx), ctx.now));
        case 'ListNodegroups': {
          const { page: nodegroups, nextToken } = page(
            cluster.nodegroups.map((n) => n.name),
            `ng:${name}`,
          );
          return json({ nodegroups, ...(nextToken ? { nextToken } : {}) });
        }
        case 'DescribeNodegroup': {
          const ng = cluster.nodegroups.find((n) => n.name === second);
          if (!ng)
            throw new AwsError(404, 'ResourceNotFoundException', `No node group found for name: ${second}.`, {
              clusterName: name,
              nodegroupName: second,
            });
          return json({ nodegroup: shapes.nodegroup(ng) });
        }
        case 'ListFargateProfiles': {
          const { page: fargateProfileNames, nextToken } = page(
            cluster.fargateProfiles.map((f) => f.name),
            `fp:${name}`,
          );
          return json({ fargateProfileNames, ...(nextToken ? { nextToken } : {}) });
        }
        case 'DescribeFargateProfile': {
          const fp = cluster.fargateProfiles.find((f) => f.name === second);
          if (!fp)
            throw new AwsError(404, 'ResourceNotFoundException', `No Fargate Profile found with name: ${second}.`, {
              clusterName: name,
              fargateProfileName: second,
            });
          return json({ fargateProfile: shapes.fargateProfile(fp) });
        }
        default:
          return accessEntryOperation(world, ctx, cluster, shapes, [second, third], page);
      }
    },
  };
}

function visibleClusters(world: World, ctx: AwsContext): ClusterRuntime[] {
  return world.clusters.filter(
    (c) => c.cluster.accountId === ctx.caller.principal.accountId && c.cluster.region === ctx.region,
  );
}

type Pager = <T>(items: T[], key: string) => { page: T[]; nextToken?: string };

const requestBody = (ctx: AwsContext): Record<string, unknown> => {
  const text = ctx.req.body.toString('utf8');
  if (text.trim() === '') return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below, as EKS answers a body it cannot read
  }
  throw invalidParameter('The request body is not a JSON object');
};

const ACCESS_POLICY_ARNS = ACCESS_POLICIES.map((p) => p.arn);

function accessEntryOperation(
  world: World,
  ctx: AwsContext,
  cluster: ScenarioCluster,
  shapes: ReturnType<typeof eksShapes>,
  [principalArn, policyArn]: [string, string],
  page: Pager,
): AwsResponse {
  requireEntryMode(cluster);
  const now = ctx.now;
  if (ctx.action === 'CreateAccessEntry')
    return json({ accessEntry: shapes.accessEntry(createAccessEntry(world, cluster, requestBody(ctx), now)) });
  if (ctx.action === 'ListAccessEntries') {
    const policyFilter = ctx.req.query.get('associatedPolicyArn');
    const entries = cluster.accessEntries
      .filter((e) => !policyFilter || e.policies.some((p) => p.policyArn === policyFilter))
      .map((e) => e.principalArn);
    const { page: accessEntries, nextToken } = page(entries, `ae:${cluster.name}:${policyFilter ?? ''}`);
    return json({ accessEntries, ...(nextToken ? { nextToken } : {}) });
  }
  const entry = findEntry(cluster, principalArn);
  switch (ctx.action) {
    case 'DescribeAccessEntry':
      return json({ accessEntry: shapes.accessEntry(entry) });
    case 'UpdateAccessEntry':
      return json({ accessEntry: shapes.accessEntry(updateAccessEntry(cluster, entry, requestBody(ctx), now)) });
    case 'DeleteAccessEntry':
      deleteAccessEntry(cluster, entry);
      return json({});
    case 'AssociateAccessPolicy':
      return json(associateAccessPolicy(cluster, entry, requestBody(ctx), ACCESS_POLICY_ARNS, now));
    case 'DisassociateAccessPolicy':
      disassociateAccessPolicy(cluster, entry, policyArn);
      return json({});
  }
  const { page: policies, nextToken } = page(entry.policies, `ap:${cluster.name}:${entry.principalArn}`);
  return json({
    clusterName: cluster.name,
    principalArn: entry.principalArn,
    associatedAccessPolicies: policies.map((p) => ({
      policyArn: p.policyArn,
      accessScope: p.accessScope,
      associatedAt: epochSeconds(p.associatedAt),
      modifiedAt: epochSeconds(p.associatedAt),
    })),
    ...(nextToken ? { nextToken } : {}),
  });
}

/** Access entries are keyed by the exact principal ARN (path included), compared case-sensitively. */
function findEntry(cluster: ScenarioCluster, principalArn: string): ScenarioAccessEntry {
  const entry = cluster.accessEntries.find((e) => e.principalArn === principalArn);
  if (!entry) {
    throw new AwsError(
      404,
      'ResourceNotFoundException',
      `The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.`,
      { clusterName: cluster.name },
    );
  }
  return entry;
}
