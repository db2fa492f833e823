/**
 * The STS hosts the AWS SDKs' endpoint rules give for a region. Shared by minting (which host to
 * sign for) and validation (which hosts the authenticator accepts); kept import-free because the
 * minting path loads it on every kubectl call.
 */
/**
 * The SDK's partitions.json as its endpoint resolver sees it (botocore 1.43.11 data, which matches
 * aws-sdk-go-v2's copy): explicit regions first, then the region regex, else `aws`. This is not
 * PARTITIONS: the resolver knows dual-stack suffixes for the ISO partitions that the
 * authenticator's domain check does not, which is why such hosts fail that later check.
 */
const SDK_PARTITIONS: readonly {
  id: string;
  dns: string;
  dualStackDns: string;
  regex: RegExp;
  regions: readonly string[];
}[] = [
  {
    id: 'aws',
    dns: 'amazonaws.com',
    dualStackDns: 'api.aws',
    regex: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/,
    regions: ['aws-global'],
  },
  {
    id: 'aws-cn',
    dns: 'amazonaws.com.cn',
    dualStackDns: 'api.amazonwebservices.com.cn',
    regex: /^cn-\w+-\d+$/,
    regions: ['aws-cn-global'],
  },
  {
    id: 'aws-eusc',
    dns: 'amazonaws.eu',
    dualStackDns: 'api.amazonwebservices.eu',
    regex: /^eusc-(de)-\w+-\d+$/,
    regions: [],
  },
  {
    id: 'aws-iso',
    dns: 'c2s.ic.gov',
    dualStackDns: 'api.aws.ic.gov',
    regex: /^us-iso-\w+-\d+$/,
    regions: ['aws-iso-global'],
  },
  {
    id: 'aws-iso-b',
    dns: 'sc2s.sgov.gov',
    dualStackDns: 'api.aws.scloud',
    regex: /^us-isob-\w+-\d+$/,
    regions: ['aws-iso-b-global'],
  },
  {
    id: 'aws-iso-e',
    dns: 'cloud.adc-e.uk',
    dualStackDns: 'api.cloud-aws.adc-e.uk',
    regex: /^eu-isoe-\w+-\d+$/,
    regions: ['aws-iso-e-global'],
  },
  {
    id: 'aws-iso-f',
    dns: 'csp.hci.ic.gov',
    dualStackDns: 'api.aws.hci.ic.gov',
    regex: /^us-isof-\w+-\d+$/,
    regions: ['aws-iso-f-global'],
  },
  {
    id: 'aws-us-gov',
    dns: 'amazonaws.com',
    dualStackDns: 'api.aws',
    regex: /^us-gov-\w+-\d+$/,
    regions: ['aws-us-gov-global'],
  },
];

// The resolver's fallback for regions no partition claims.
const COMMERCIAL = SDK_PARTITIONS[0] as (typeof SDK_PARTITIONS)[number];

function sdkPartitionOf(region: string): (typeof SDK_PARTITIONS)[number] {
  const byName = SDK_PARTITIONS.find((p) => p.regions.includes(region));
  const byRegex = SDK_PARTITIONS.find((p) => p.regex.test(region));
  return byName ?? byRegex ?? COMMERCIAL;
}

/** The four hosts STS's endpoint rules give for a region (FIPS × dual-stack), in the resolver's terms. */
export function resolvedStsHosts(region: string): string[] {
  const p = sdkPartitionOf(region);
  return [
    `sts-fips.${region}.${p.dualStackDns}`,
    p.id === 'aws-us-gov' ? `sts.${region}.amazonaws.com` : `sts-fips.${region}.${p.dns}`,
    `sts.${region}.${p.dualStackDns}`,
    region === 'aws-global' ? 'sts.amazonaws.com' : `sts.${region}.${p.dns}`,
  ];
}
