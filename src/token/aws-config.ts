/**
 * The few shared-config settings the token path needs (region, STS endpoint style), read from
 * `~/.aws/config` directly: loading the SDK's config loader would cost more than the whole mint.
 * Credentials are never read here; the SDK's provider chain does that when it is needed.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type Env = Record<string, string | undefined>;

export interface ProfileSettings {
  /** The profile has a section in the config file. */
  exists: boolean;
  region?: string;
  stsRegionalEndpoints?: string;
  useFipsEndpoint?: string;
  useDualstackEndpoint?: string;
  // Which credential source the profile configures (for reports; the SDK does the resolving).
  ssoSession?: string;
  ssoStartUrl?: string;
  credentialProcess?: string;
  roleArn?: string;
}

type Setting = Exclude<keyof ProfileSettings, 'exists'>;

const WANTED: Record<string, Setting> = {
  region: 'region',
  sts_regional_endpoints: 'stsRegionalEndpoints',
  use_fips_endpoint: 'useFipsEndpoint',
  use_dualstack_endpoint: 'useDualstackEndpoint',
  sso_session: 'ssoSession',
  sso_start_url: 'ssoStartUrl',
  credential_process: 'credentialProcess',
  role_arn: 'roleArn',
};

/** The active profile as the SDK picks it: the flag, then AWS_PROFILE, then `default`. */
export const profileName = (flag: string | undefined, env: Env): string => flag ?? env.AWS_PROFILE ?? 'default';

export function configFilePath(env: Env): string {
  return env.AWS_CONFIG_FILE ?? join(env.HOME ?? homedir(), '.aws', 'config');
}

/** Settings of `[default]` or `[profile NAME]`; a missing or unreadable file gives none. */
export function readProfileSettings(profile: string, env: Env): ProfileSettings {
  let text: string;
  try {
    text = readFileSync(configFilePath(env), 'utf8');
  } catch {
    return { exists: false };
  }
  return parseProfileSettings(text, profile);
}

export function parseProfileSettings(text: string, profile: string): ProfileSettings {
  const settings: ProfileSettings = { exists: false };
  let inProfile = false;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (section) {
      const header = section[1] ?? '';
      // The config file names profiles `[profile NAME]`; only `default` may go without the word.
      const name = header === 'default' ? header : /^profile\s/.test(header) ? header.slice(8).trim() : undefined;
      inProfile = name === profile;
      if (inProfile) settings.exists = true;
      continue;
    }
    // Nested values (`s3 =` followed by indented lines) start with whitespace: skip them.
    if (!inProfile || /^\s/.test(rawLine)) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    const setting = WANTED[key];
    if (setting !== undefined && value !== '') settings[setting] = value;
  }
  return settings;
}

export const isTrue = (value: string | undefined): boolean => value?.trim().toLowerCase() === 'true';
