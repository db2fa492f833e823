import { EnvironmentError, UsageError } from './errors.js';

/**
 * Region names as AWS spells them in every partition: us-east-1, us-gov-west-1, cn-north-1,
 * us-iso-east-1, us-isob-east-1, eu-isoe-west-1, us-isof-south-1, eusc-de-east-1. Lowercase words
 * and a number, nothing else: a region becomes part of a host name (sts.REGION.amazonaws.com), and
 * a slash, a dot, a `?` or a `#` would point the request, and its signature, somewhere else.
 */
const REGION_NAME = /^[a-z]{2,4}(-[a-z]+){1,3}-\d{1,2}$/;

export const isRegionName = (value: string): boolean => REGION_NAME.test(value);

/**
 * Refuses a region that is not a region name, naming where it came from: a flag or an input file
 * is a usage error (exit 2); AWS_REGION or a profile's `region` is the environment (exit 3), like
 * a missing region.
 */
export function assertRegionName(
  region: string | undefined,
  source: string,
  blame: 'usage' | 'environment' = source === '--region' ? 'usage' : 'environment',
): void {
  if (region === undefined || isRegionName(region)) return;
  // botocore's configparser keeps an inline `# …` or `; …` as part of the value (the aws CLI
  // refuses the same region), so say where the comment has to go.
  const comment = /\s[#;]/.test(region) ? ': ~/.aws files take comments only on their own line' : '';
  const message = `${source} ${JSON.stringify(region)} is not an AWS region name (such as us-east-1 or us-gov-west-1)${comment}`;
  throw blame === 'usage' ? new UsageError(message) : new EnvironmentError(message);
}
