import {
  configFilePath,
  configFileProfileName,
  credentialsFileProfileName,
  credentialsFilePath,
  profileSectionEntries,
  readSharedFile,
  type Env,
} from '../token/aws-config.js';

/** Every setting of one profile across ~/.aws/config and ~/.aws/credentials (secrets are not kept). */
export interface ProfileFacts {
  exists: boolean;
  region?: string;
  /** Which file the region came from, to say so when "cluster not found" names the region's source. */
  regionFile?: string;
  ssoSession?: string;
  ssoStartUrl?: string;
  credentialProcess?: string;
  roleArn?: string;
  sourceProfile?: string;
  hasStaticKeys: boolean;
}

type Fact = Exclude<keyof ProfileFacts, 'exists' | 'hasStaticKeys'>;

const FACTS = new Map<string, Fact>([
  ['region', 'region'],
  ['sso_session', 'ssoSession'],
  ['sso_start_url', 'ssoStartUrl'],
  ['credential_process', 'credentialProcess'],
  ['role_arn', 'roleArn'],
  ['source_profile', 'sourceProfile'],
]);

export function readProfileFacts(profile: string, env: Env): ProfileFacts {
  const config = profileSectionEntries(readSharedFile(configFilePath(env)), profile, configFileProfileName);
  const credentials = profileSectionEntries(
    readSharedFile(credentialsFilePath(env)),
    profile,
    credentialsFileProfileName,
  );
  const configValues = new Map(config);
  const credentialsValues = new Map(credentials);
  const facts: ProfileFacts = {
    exists: config !== undefined || credentials !== undefined,
    // `??` keeps what doctor always reported: an empty `aws_access_key_id =` in the credentials
    // file hides a key in the config file.
    hasStaticKeys: Boolean(credentialsValues.get('aws_access_key_id') ?? configValues.get('aws_access_key_id')),
  };
  // The last assignment wins, an empty one included, within a file and across files; the
  // credentials file goes last and overrides the config file, as botocore and the SDK merge them
  // (`aws configure get region` answers with the credentials file's value).
  const merged = new Map([...configValues, ...credentialsValues]);
  for (const [key, fact] of FACTS) {
    // An empty value counts as unset.
    const value = merged.get(key);
    if (value) facts[fact] = value;
  }
  if (facts.region)
    facts.regionFile = credentialsValues.has('region')
      ? (env.AWS_SHARED_CREDENTIALS_FILE ?? '~/.aws/credentials')
      : (env.AWS_CONFIG_FILE ?? '~/.aws/config');
  return facts;
}
