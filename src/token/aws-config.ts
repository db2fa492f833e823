/**
 * The few shared-config settings the token path needs (region, STS endpoint style), read from
 * `~/.aws/config` directly: loading the SDK's config loader would cost more than the whole mint.
 * Credentials are never read here; the SDK's provider chain does that when it is needed.
 * The section parser lives here, not in src/collect, so this light path can use it and doctor's
 * collectors (src/collect/shared-config.ts) reuse it instead of parsing the files a second way.
 */
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError } from '../cli/errors.js';
import { INPUT_LIMITS, InputRejected, readBoundedText } from '../inputs/read-text.js';

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

// A Map, not an object literal: a key such as `constructor` must not find Object.prototype's.
const WANTED = new Map<string, Setting>([
  ['region', 'region'],
  ['sts_regional_endpoints', 'stsRegionalEndpoints'],
  ['use_fips_endpoint', 'useFipsEndpoint'],
  ['use_dualstack_endpoint', 'useDualstackEndpoint'],
  ['sso_session', 'ssoSession'],
  ['sso_start_url', 'ssoStartUrl'],
  ['credential_process', 'credentialProcess'],
  ['role_arn', 'roleArn'],
]);

/** The active profile as the SDK picks it: the flag, then AWS_PROFILE, then `default`. */
export const profileName = (flag: string | undefined, env: Env): string => flag ?? env.AWS_PROFILE ?? 'default';

export function configFilePath(env: Env): string {
  return env.AWS_CONFIG_FILE ?? join(env.HOME ?? homedir(), '.aws', 'config');
}

export function credentialsFilePath(env: Env): string {
  return env.AWS_SHARED_CREDENTIALS_FILE ?? join(env.HOME ?? homedir(), '.aws', 'credentials');
}

/** The credentials file names profiles bare, `[NAME]`, `default` included. */
export const credentialsFileProfileName: ProfileNaming = (header) => header;

/**
 * Settings of a profile: `[default]` or `[profile NAME]` in the config file, then `[NAME]` in the
 * credentials file, which wins, as botocore and the SDK merge them (`region` in
 * ~/.aws/credentials is what `aws eks get-token` signs for). Missing or unreadable files give none.
 */
export function readProfileSettings(profile: string, env: Env): ProfileSettings {
  const config = profileSectionEntries(readSharedFile(configFilePath(env)), profile, configFileProfileName);
  const credentials = profileSectionEntries(
    readSharedFile(credentialsFilePath(env)),
    profile,
    credentialsFileProfileName,
  );
  if (config === undefined && credentials === undefined) return { exists: false };
  return settingsOf([...(config ?? []), ...(credentials ?? [])]);
}

/** Settings of one config file's text (no credentials file). */
export function parseProfileSettings(text: string, profile: string): ProfileSettings {
  const entries = profileSectionEntries(text, profile, configFileProfileName);
  return entries === undefined ? { exists: false } : settingsOf(entries);
}

function settingsOf(entries: readonly IniEntry[]): ProfileSettings {
  const settings: ProfileSettings = { exists: true };
  for (const [key, value] of entries) {
    const setting = WANTED.get(key);
    // `key =` with nothing after it opens a nested block in the SDK's reader rather than
    // clearing the key, so an empty value leaves an earlier one in place.
    if (setting !== undefined && value !== '') settings[setting] = value;
  }
  return settings;
}

/**
 * The text of a shared config or credentials file; a missing or unreadable file reads as empty,
 * which is a file without profiles, as the SDK treats it. One that is too large (AWS_CONFIG_FILE
 * pointing at /dev/zero, say) is an error: read as empty, it would silently change the region.
 */
export function readSharedFile(path: string): string {
  // Most machines lack one of the two files; asking first spares the token path the cost of a
  // process's first thrown error (about 0.3 ms, measured by bench/token.mjs).
  if (statSync(path, { throwIfNoEntry: false }) === undefined) return '';
  try {
    return readBoundedText(path, INPUT_LIMITS.awsConfig);
  } catch (error) {
    if (error instanceof InputRejected) throw new EnvironmentError(`AWS shared config file '${path}' ${error.message}`);
    return '';
  }
}

/** One `key = value` line of a section: the key trimmed and lower-cased, the value trimmed and possibly empty. */
export type IniEntry = readonly [key: string, value: string];

/** The profile a section header (without its brackets) names, or undefined if it names none. */
export type ProfileNaming = (header: string) => string | undefined;

/**
 * The config file names profiles `[profile NAME]`; only `default` may go without the word.
 * Other sections (`[sso-session NAME]`, `[services NAME]`, a bare `[NAME]`) are not profiles.
 */
export const configFileProfileName: ProfileNaming = (header) =>
  header === 'default' ? header : /^profile\s/.test(header) ? header.slice('profile '.length).trim() : undefined;

/**
 * The top-level entries of every section that `profileNameOf` maps to `profile`, in file order
 * (a repeated section continues the first), or undefined if no section does. Entries are kept
 * in order, duplicates and empty values included, so each caller decides which assignment wins.
 * This is the one shared-file parser: the token path and doctor's collectors both read through it.
 */
export function profileSectionEntries(
  text: string,
  profile: string,
  profileNameOf: ProfileNaming,
): IniEntry[] | undefined {
  let found: IniEntry[] | undefined;
  // The entries of the section being read when it is one of the profile's, else undefined.
  let current: IniEntry[] | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (section) {
      current = profileNameOf(section[1] ?? '') === profile ? (found ??= []) : undefined;
      continue;
    }
    // Nested values (`s3 =` followed by indented lines) start with whitespace: skip them.
    if (current === undefined || /^\s/.test(rawLine)) continue;
    // botocore splits at the first `=` or `:` (`region: eu-west-3` works with the aws CLI); no
    // separator is not a setting, and `= value` has no key.
    const eq = line.search(/[=:]/);
    if (eq <= 0) continue;
    current.push([line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim()]);
  }
  return found;
}

export const isTrue = (value: string | undefined): boolean => value?.trim().toLowerCase() === 'true';
