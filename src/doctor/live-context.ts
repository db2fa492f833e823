import { EnvironmentError } from '../cli/errors.js';
import { assertRegionName } from '../cli/region-name.js';
import {
  defaultCredentials,
  describeCredentialSource,
  endpointsFromEnv,
  resolveRegion,
  type AwsContext,
} from '../collect/aws-context.js';
import type { Env } from '../token/aws-config.js';

/** Resolves region (with its origin), credentials and endpoints once, for every collector. */
export async function awsContextFor(options: {
  env: Env;
  region?: string | undefined;
  profile?: string | undefined;
  timeoutMs: number;
}): Promise<AwsContext> {
  const region = resolveRegion(options.region, options.profile, options.env);
  if (!region)
    throw new EnvironmentError('no AWS region: pass --region, or set AWS_REGION or a region in your profile');
  assertRegionName(region.region, region.source);
  return {
    env: options.env,
    region: region.region,
    regionSource: region.source,
    ...(options.profile ? { profile: options.profile } : {}),
    credentials: await defaultCredentials(options.profile, options.env),
    credentialSource: describeCredentialSource(options.profile, options.env),
    endpoints: endpointsFromEnv(options.env),
    timeoutMs: options.timeoutMs,
  };
}
