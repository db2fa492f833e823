import { setMaxListeners } from 'node:events';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { DEFAULT_ENABLED_REGIONS, partitionOfRegion } from '../model/partitions.js';
import { clientConfig, type AwsContext } from './aws-context.js';

export interface RegionSearch {
  /** Regions that answered, with the cluster or without it. */
  searched: string[];
  /** Regions where a cluster of that name exists. */
  found: string[];
}

/**
 * Where else a cluster of this name exists, for "not found" only: DescribeCluster (read-only) in
 * every default region of the partition, all at once (EKS rate limits are per region) and under
 * one deadline, so a network that drops traffic to other regions costs one timeout, not sixteen.
 * A region that refuses (not enabled for the account, an SCP, a signature scoped to another
 * region behind an endpoint override) or does not answer in time is left out of `searched`.
 */
export async function searchClusterRegions(context: AwsContext, name: string): Promise<RegionSearch> {
  const regions = (DEFAULT_ENABLED_REGIONS[partitionOfRegion(context.region)] ?? []).filter(
    (r) => r !== context.region,
  );
  const deadline = new AbortController();
  // Every request listens on the one deadline: more than Node's default of 10 is by design, not a leak.
  setMaxListeners(regions.length + 1, deadline.signal);
  const timer = setTimeout(() => deadline.abort(), context.timeoutMs);
  try {
    const answers = await Promise.all(
      regions.map(async (region) => {
        const client = new EKSClient({ ...clientConfig({ ...context, region }, 'eks'), maxAttempts: 1 });
        try {
          await client.send(new DescribeClusterCommand({ name }), { abortSignal: deadline.signal });
          return { region, answered: true, exists: true };
        } catch (error) {
          const notFound = (error as { name?: string }).name === 'ResourceNotFoundException';
          return { region, answered: notFound, exists: false };
        } finally {
          client.destroy();
        }
      }),
    );
    return {
      searched: answers.filter((a) => a.answered).map((a) => a.region),
      found: answers.filter((a) => a.exists).map((a) => a.region),
    };
  } finally {
    clearTimeout(timer);
  }
}
