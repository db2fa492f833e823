import { createHash } from 'node:crypto';
import {
  LOG_TYPES,
  type LogType,
  type ScenarioAccessEntry,
  type ScenarioFargateProfile,
  type ScenarioNodegroup,
} from '../scenario/types.js';
import { epochSeconds, type ClusterRuntime } from '../world.js';
import { stableUuid } from '../ids.js';

const hex = (seed: string, length: number): string => createHash('sha256').update(seed).digest('hex').slice(0, length);

/** The response objects of DescribeCluster, DescribeNodegroup… with timestamps as epoch seconds (facts §7.1). */
export function eksShapes(runtime: ClusterRuntime) {
  const { cluster } = runtime;
  const { region, accountId, partition, name } = cluster;
  const vpc = `vpc-${hex(cluster.arn, 17)}`;
  const subnets = [`subnet-${hex(`${cluster.arn}a`, 17)}`, `subnet-${hex(`${cluster.arn}b`, 17)}`];
  const uuid = stableUuid(cluster.arn);
  const active = cluster.status === 'ACTIVE' || cluster.status === 'UPDATING';
  return {
    cluster: () => ({
      name,
      arn: cluster.arn,
      createdAt: epochSeconds(cluster.createdAt),
      version: cluster.version,
      ...(active ? { endpoint: runtime.endpoint } : {}),
      roleArn: cluster.roleArn,
      resourcesVpcConfig: {
        subnetIds: subnets,
        securityGroupIds: [],
        clusterSecurityGroupId: `sg-${hex(cluster.arn, 17)}`,
        vpcId: vpc,
        endpointPublicAccess: cluster.endpointPublicAccess,
        endpointPrivateAccess: cluster.endpointPrivateAccess,
        publicAccessCidrs: cluster.publicAccessCidrs,
      },
      kubernetesNetworkConfig: {
        serviceIpv4Cidr: '10.100.0.0/16',
        ipFamily: 'ipv4',
        elasticLoadBalancing: { enabled: false },
      },
      logging: { clusterLogging: clusterLogging(cluster.logging.enabled) },
      identity: {
        oidc: { issuer: `https://oidc.eks.${region}.amazonaws.com/id/${hex(cluster.arn, 32).toUpperCase()}` },
      },
      status: cluster.status,
      ...(active ? { certificateAuthority: { data: Buffer.from(runtime.caPem).toString('base64') } } : {}),
      platformVersion: cluster.platformVersion,
      tags: cluster.tags,
      health: { issues: cluster.health },
      accessConfig: {
        authenticationMode: cluster.authenticationMode,
        ...(cluster.bootstrapClusterCreatorAdminPermissions !== undefined
          ? { bootstrapClusterCreatorAdminPermissions: cluster.bootstrapClusterCreatorAdminPermissions }
          : {}),
      },
      upgradePolicy: { supportType: 'EXTENDED' },
      id: uuid,
    }),
    nodegroup: (ng: ScenarioNodegroup) => ({
      nodegroupName: ng.name,
      nodegroupArn: `arn:${partition}:eks:${region}:${accountId}:nodegroup/${name}/${ng.name}/${stableUuid(ng.name + cluster.arn)}`,
      clusterName: name,
      version: cluster.version,
      releaseVersion: `${cluster.version}.0-20240312`,
      createdAt: epochSeconds(ng.createdAt),
      modifiedAt: epochSeconds(ng.createdAt),
      status: ng.status,
      capacityType: ng.capacityType,
      scalingConfig: ng.scaling,
      instanceTypes: ng.instanceTypes,
      subnets,
      amiType: ng.amiType,
      nodeRole: ng.nodeRoleArn,
      labels: {},
      resources: { autoScalingGroups: [{ name: `eks-${ng.name}-${stableUuid(ng.name)}` }] },
      diskSize: 20,
      health: { issues: ng.health },
      updateConfig: { maxUnavailable: 1 },
      tags: {},
    }),
    fargateProfile: (fp: ScenarioFargateProfile) => ({
      fargateProfileName: fp.name,
      fargateProfileArn: `arn:${partition}:eks:${region}:${accountId}:fargateprofile/${name}/${fp.name}/${stableUuid(fp.name + cluster.arn)}`,
      clusterName: name,
      createdAt: epochSeconds(fp.createdAt),
      podExecutionRoleArn: fp.podExecutionRoleArn,
      subnets,
      selectors: fp.selectors,
      status: fp.status,
      tags: {},
    }),
    accessEntry: (entry: ScenarioAccessEntry) => {
      const resource = entry.principalArn.split(':').slice(5).join(':');
      const [kind = 'role'] = resource.split('/');
      const principalName = resource.split('/').pop() ?? '';
      return {
        clusterName: name,
        principalArn: entry.principalArn,
        kubernetesGroups: entry.kubernetesGroups,
        accessEntryArn: `arn:${partition}:eks:${region}:${accountId}:access-entry/${name}/${kind}/${entry.principalArn.split(':')[4] ?? accountId}/${principalName}/${stableUuid(entry.principalArn + cluster.arn)}`,
        createdAt: epochSeconds(entry.createdAt),
        modifiedAt: epochSeconds(entry.modifiedAt),
        tags: entry.tags,
        username: entry.username ?? defaultUsername(entry),
        type: entry.type,
      };
    },
  };
}

/** EKS lists the enabled types and the disabled ones as two entries, leaving out an empty one. */
function clusterLogging(enabled: readonly LogType[]): { types: LogType[]; enabled: boolean }[] {
  const on = LOG_TYPES.filter((t) => enabled.includes(t));
  const off = LOG_TYPES.filter((t) => !enabled.includes(t));
  return [
    ...(on.length > 0 ? [{ types: on, enabled: true }] : []),
    ...(off.length > 0 ? [{ types: off, enabled: false }] : []),
  ];
}

/** EKS fills in the username it will use when the entry names none (facts §2.4). */
function defaultUsername(entry: ScenarioAccessEntry): string {
  const type = entry.type.toUpperCase();
  if (type === 'EC2_LINUX' || type === 'EC2_WINDOWS' || type === 'EC2') return 'system:node:{{EC2PrivateDNSName}}';
  if (type !== 'STANDARD') return 'system:node:{{SessionName}}';
  const [, partition, , , account, resource = ''] = entry.principalArn.split(':');
  if (resource.startsWith('role/'))
    return `arn:${partition}:sts::${account}:assumed-role/${resource.split('/').pop() ?? ''}/{{SessionName}}`;
  return entry.principalArn;
}
