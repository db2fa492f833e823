/**
 * The STS endpoint a token is presigned for, chosen as botocore chooses it for `aws eks get-token`
 * (authenticator-facts.md §1.8, and checked against the installed CLI): regional by default,
 * the global host for the legacy regions when `sts_regional_endpoints = legacy`, FIPS and
 * dual-stack variants on request, and the global host when no region is configured at all.
 */
import { resolvedStsHosts } from './sts-resolver.js';

export interface StsEndpointSettings {
  region: string | undefined;
  /** `AWS_STS_REGIONAL_ENDPOINTS` / `sts_regional_endpoints`. */
  regionalEndpoints?: string | undefined;
  useFips?: boolean;
  useDualStack?: boolean;
}

export interface StsEndpoint {
  host: string;
  /** Credential-scope region: `us-east-1` for the global host. */
  signingRegion: string;
}

/** The regions botocore sends to the global endpoint in legacy mode (STS endpoint rules, UseGlobalEndpoint). */
const LEGACY_GLOBAL_REGIONS = new Set([
  'ap-northeast-1',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'aws-global',
  'ca-central-1',
  'eu-central-1',
  'eu-north-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
]);

const GLOBAL: StsEndpoint = { host: 'sts.amazonaws.com', signingRegion: 'us-east-1' };

export function stsEndpointFor(settings: StsEndpointSettings): StsEndpoint {
  const { region, useFips = false, useDualStack = false } = settings;
  if (region === undefined || region === '') return GLOBAL;
  const legacy = settings.regionalEndpoints?.toLowerCase() === 'legacy';
  if (legacy && !useFips && !useDualStack && LEGACY_GLOBAL_REGIONS.has(region)) return GLOBAL;
  const [fipsDualStack, fips, dualStack, plain] = resolvedStsHosts(region);
  const host = useFips ? (useDualStack ? fipsDualStack : fips) : useDualStack ? dualStack : plain;
  if (host === 'sts.amazonaws.com') return GLOBAL;
  return { host: host ?? `sts.${region}.amazonaws.com`, signingRegion: region };
}
