import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { DEFAULT_ENABLED_REGIONS, partitionOfRegion } from '../model/partitions.js';
import { clientConfig, type AwsContext } from './aws-context.js';
import { mapLimit } from './concurrency.js';

/** Enough regions in flight to finish in about two round trips, few enough not to trip rate limits. */
const IN_FLIGHT = 9;

export interface RegionSearch {
  /** Regions that answered, with the cluster or without it. */
  searched: string[];
  /** Regions where a cluster of that name exists. */
  found: string[];
}

/**
 * Where else a cluster of this name exists, for "not found" only: DescribeCluster (read-only) in
 * every default region of the partition. A region that refuses (not enabled for the account, an
 * SCP that denies it, a timeout) is left out of `searched` rather than reported as empty.
 */
export async function searchClusterRegions(context: AwsContext, name: string): Promise<RegionSearch> {
  const regions = (DEFAULT_ENABLED_REGIONS[partitionOfRegion(context.region)] ?? []).filter(
    (r) => r !== context.region,
  );
  const answers = await mapLimit(regions, IN_FLIGHT, async (region) => {
    const client = new EKSClient({ ...clientConfig({ ...context, region }, 'eks'), maxAttempts: 1 });
    try {
      await client.send(new DescribeClusterCommand({ name }));
      return { region, answered: true, exists: true };
    } catch (error) {
      const notFound = (error as { name?: string }).name === 'ResourceNotFoundException';
      return { region, answered: notFound, exists: false };
    } finally {
      client.destroy();
    }
  });
  return {
    searched: answers.filter((a) => a.answered).map((a) => a.region),
    found: answers.filter((a) => a.exists).map((a) => a.region),
  };
}
