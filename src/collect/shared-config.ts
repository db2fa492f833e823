import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { configFilePath, type Env } from '../token/aws-config.js';

/** Every setting of one profile across ~/.aws/config and ~/.aws/credentials (secrets are not kept). */
export interface ProfileFacts {
  exists: boolean;
  region?: string;
  ssoSession?: string;
  ssoStartUrl?: string;
  credentialProcess?: string;
  roleArn?: string;
  sourceProfile?: string;
  hasStaticKeys: boolean;
}

export function readProfileFacts(profile: string, env: Env): ProfileFacts {
  const config = sectionOf(
    readText(configFilePath(env)),
    (header) => (header === 'default' ? header : /^profile\s/.test(header) ? header.slice(8).trim() : undefined),
    profile,
  );
  const credentials = sectionOf(
    readText(env.AWS_SHARED_CREDENTIALS_FILE ?? join(env.HOME ?? homedir(), '.aws', 'credentials')),
    (header) => header,
    profile,
  );
  const facts: ProfileFacts = {
    exists: config !== undefined || credentials !== undefined,
    hasStaticKeys: Boolean(credentials?.aws_access_key_id ?? config?.aws_access_key_id),
  };
  const merged = { ...credentials, ...config };
  if (merged.region) facts.region = merged.region;
  if (merged.sso_session) facts.ssoSession = merged.sso_session;
  if (merged.sso_start_url) facts.ssoStartUrl = merged.sso_start_url;
  if (merged.credential_process) facts.credentialProcess = merged.credential_process;
  if (merged.role_arn) facts.roleArn = merged.role_arn;
  if (merged.source_profile) facts.sourceProfile = merged.source_profile;
  return facts;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** The key/value pairs of the section whose header names `profile`, or undefined if none does. */
function sectionOf(
  text: string,
  nameOf: (header: string) => string | undefined,
  profile: string,
): Record<string, string> | undefined {
  let current: Record<string, string> | undefined;
  let found: Record<string, string> | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (header) {
      current = nameOf(header[1] ?? '') === profile ? (found ??= {}) : undefined;
      continue;
    }
    if (!current || /^\s/.test(rawLine)) continue;
    const eq = line.indexOf('=');
    if (eq > 0) current[line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim();
  }
  return found;
}
