/**
 * The partitions the authenticator accepts (its `--partition` flag) and their DNS domains.
 * Source: aws-iam-authenticator pkg/endpoints/partitions.go, via authenticator-facts.md §2.2.
 */
export const PARTITIONS = {
  aws: { domain: 'amazonaws.com', dualStackDomain: 'api.aws', hasGlobalSts: true },
  'aws-cn': { domain: 'amazonaws.com.cn', dualStackDomain: 'api.amazonwebservices.com.cn', hasGlobalSts: false },
  'aws-us-gov': { domain: 'amazonaws.com', dualStackDomain: 'api.aws', hasGlobalSts: false },
  'aws-iso': { domain: 'c2s.ic.gov', dualStackDomain: null, hasGlobalSts: false },
  'aws-iso-b': { domain: 'sc2s.sgov.gov', dualStackDomain: null, hasGlobalSts: false },
  'aws-iso-e': { domain: 'cloud.adc-e.uk', dualStackDomain: null, hasGlobalSts: false },
  'aws-iso-f': { domain: 'csp.hci.ic.gov', dualStackDomain: null, hasGlobalSts: false },
  'aws-eusc': { domain: 'amazonaws.eu', dualStackDomain: 'api.amazonwebservices.eu', hasGlobalSts: false },
} as const satisfies Record<string, { domain: string; dualStackDomain: string | null; hasGlobalSts: boolean }>;

export type Partition = keyof typeof PARTITIONS;

export function isPartition(value: string): value is Partition {
  return Object.hasOwn(PARTITIONS, value);
}

/** The partition a region belongs to, by the region-name prefixes AWS uses. */
export function partitionOfRegion(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  return 'aws';
}

/**
 * Regions every account of a partition has without opting in (AWS: those launched before March
 * 2019). Enough to find a cluster looked for in the wrong region without asking EC2 which regions
 * the account has enabled; opt-in regions are found only when the user names them.
 */
export const DEFAULT_ENABLED_REGIONS: Partial<Record<Partition, readonly string[]>> = {
  aws: [
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
    'ca-central-1',
    'sa-east-1',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'eu-central-1',
    'eu-north-1',
    'ap-south-1',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-southeast-1',
    'ap-southeast-2',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-west-1', 'us-gov-east-1'],
};
