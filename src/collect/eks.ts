import {
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  DescribeFargateProfileCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListAccessEntriesCommand,
  ListAssociatedAccessPoliciesCommand,
  ListFargateProfilesCommand,
  ListNodegroupsCommand,
  type Cluster,
} from '@aws-sdk/client-eks';
import { accessEntriesFromJson } from '../inputs/access-entries.js';
import { clusterInfoFromJson } from '../inputs/cluster-info.js';
import { fargateProfilesFromJson, nodegroupsFromJson } from '../inputs/compute.js';
import type { AccessEntry, ClusterInfo, FargateProfile, Nodegroup } from '../model/evidence.js';
import { clientConfig, type AwsContext } from './aws-context.js';
import { mapLimit } from './concurrency.js';
import { withinDeadline } from './deadline.js';

/** Describe* calls fan out per item; EKS rate limits are per account, so keep the fan-out modest. */
const FAN_OUT = 8;

const eks = (context: AwsContext) => new EKSClient(clientConfig(context, 'eks'));

/** The SDK returns Dates; the input adapters speak the wire's epoch seconds. */
const toWire = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (_key, v: unknown) => (v instanceof Date ? v.getTime() / 1000 : v)));

export async function collectCluster(context: AwsContext, name: string): Promise<ClusterInfo> {
  const answer = await withinDeadline(context.timeoutMs, (abortSignal) =>
    eks(context).send(new DescribeClusterCommand({ name }), { abortSignal }),
  );
  const info = clusterInfoFromJson(toWire({ cluster: answer.cluster as Cluster }));
  if (!info.ok) throw new Error(`DescribeCluster answered an unexpected shape: ${info.error}`);
  return { ...info.value, region: info.value.region ?? context.region };
}

/** Every access entry with its policies: List, then Describe + ListAssociatedAccessPolicies per entry. */
export function collectAccessEntries(context: AwsContext, cluster: string): Promise<AccessEntry[]> {
  return withinDeadline(context.timeoutMs, (abortSignal) => accessEntries(context, cluster, abortSignal));
}

async function accessEntries(context: AwsContext, cluster: string, abortSignal: AbortSignal): Promise<AccessEntry[]> {
  const client = eks(context);
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListAccessEntriesCommand({ clusterName: cluster, ...(nextToken ? { nextToken } : {}) }),
      { abortSignal },
    );
    arns.push(...(page.accessEntries ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const raw = await mapLimit(arns, FAN_OUT, async (principalArn) => {
    const [described, policies] = await Promise.all([
      client.send(new DescribeAccessEntryCommand({ clusterName: cluster, principalArn }), { abortSignal }),
      listPolicies(client, cluster, principalArn, abortSignal),
    ]);
    return { ...(toWire(described.accessEntry) as object), associatedAccessPolicies: policies };
  });
  const entries = accessEntriesFromJson(raw);
  if (!entries.ok) throw new Error(`DescribeAccessEntry answered an unexpected shape: ${entries.error}`);
  return entries.value;
}

async function listPolicies(
  client: EKSClient,
  cluster: string,
  principalArn: string,
  abortSignal: AbortSignal,
): Promise<unknown[]> {
  const policies: unknown[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListAssociatedAccessPoliciesCommand({
        clusterName: cluster,
        principalArn,
        ...(nextToken ? { nextToken } : {}),
      }),
      { abortSignal },
    );
    policies.push(...((toWire(page.associatedAccessPolicies ?? []) as unknown[]) ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return policies;
}

export function collectNodegroups(context: AwsContext, cluster: string): Promise<Nodegroup[]> {
  return withinDeadline(context.timeoutMs, (abortSignal) => nodegroups(context, cluster, abortSignal));
}

async function nodegroups(context: AwsContext, cluster: string, abortSignal: AbortSignal): Promise<Nodegroup[]> {
  const client = eks(context);
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListNodegroupsCommand({ clusterName: cluster, ...(nextToken ? { nextToken } : {}) }),
      { abortSignal },
    );
    names.push(...(page.nodegroups ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const raw = await mapLimit(names, FAN_OUT, async (nodegroupName) =>
    toWire(
      (await client.send(new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName }), { abortSignal }))
        .nodegroup,
    ),
  );
  const groups = nodegroupsFromJson(raw);
  if (!groups.ok) throw new Error(`DescribeNodegroup answered an unexpected shape: ${groups.error}`);
  return groups.value;
}

export function collectFargateProfiles(context: AwsContext, cluster: string): Promise<FargateProfile[]> {
  return withinDeadline(context.timeoutMs, (abortSignal) => fargateProfiles(context, cluster, abortSignal));
}

async function fargateProfiles(
  context: AwsContext,
  cluster: string,
  abortSignal: AbortSignal,
): Promise<FargateProfile[]> {
  const client = eks(context);
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListFargateProfilesCommand({ clusterName: cluster, ...(nextToken ? { nextToken } : {}) }),
      { abortSignal },
    );
    names.push(...(page.fargateProfileNames ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const raw = await mapLimit(names, FAN_OUT, async (fargateProfileName) =>
    toWire(
      (
        await client.send(new DescribeFargateProfileCommand({ clusterName: cluster, fargateProfileName }), {
          abortSignal,
        })
      ).fargateProfile,
    ),
  );
  const profiles = fargateProfilesFromJson(raw);
  if (!profiles.ok) throw new Error(`DescribeFargateProfile answered an unexpected shape: ${profiles.error}`);
  return profiles.value;
}
