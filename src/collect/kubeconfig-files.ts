import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { INPUT_LIMITS, readBoundedText } from '../inputs/read-text.js';
import type { Env } from '../token/aws-config.js';
import type { KubeOptions } from './kube-client.js';
import type { KubeconfigFacts } from '../model/evidence.js';

/** A kubeconfig cluster entry as written (the fields kubectl reads for the connection). */
export interface ClusterEntry {
  server?: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
  'proxy-url'?: string;
}
export interface ExecEntry {
  command?: string;
  args?: string[];
  env?: { name?: string; value?: string }[];
  apiVersion?: string;
}
/** A kubeconfig user entry as written (the credentials kubectl knows). */
export interface UserEntry {
  exec?: ExecEntry;
  token?: string;
  tokenFile?: string;
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  'auth-provider'?: { name?: string; config?: Record<string, string> };
  username?: string;
  password?: string;
}
export interface ContextEntry {
  cluster?: string;
  user?: string;
  namespace?: string;
}

/** Every entry of every file kubectl would read, merged as kubectl merges them. */
export interface MergedKubeconfig {
  paths: string[];
  currentContext?: string;
  clusters: Map<string, ClusterEntry>;
  users: Map<string, UserEntry>;
  contexts: Map<string, ContextEntry>;
}

interface KubeconfigFile {
  'current-context'?: unknown;
  clusters?: unknown;
  users?: unknown;
  contexts?: unknown;
}

/** The kubeconfig files kubectl would read: $KUBECONFIG (in order) or ~/.kube/config. */
export function kubeconfigPaths(env: Env): string[] {
  const list = env.KUBECONFIG?.split(delimiter).filter(Boolean);
  return list && list.length > 0 ? list : [join(env.HOME ?? homedir(), '.kube', 'config')];
}

/**
 * Reads the files with kubectl's rules (client-go's ClientConfigLoadingRules), not the library's
 * `loadFromDefault`, which differs where users' setups live:
 * - a file in KUBECONFIG that does not exist is skipped (the library throws);
 * - the first file to name a cluster, user or context wins, and so does the first
 *   `current-context` (the library throws on a name repeated across files and keeps the last
 *   file's current-context);
 * - relative paths (certificate-authority, client-certificate, client-key, tokenFile, and an exec
 *   command with a slash, like `./bin/get-token`) are relative to the file that holds them, not to
 *   the working directory.
 * A file that exists but cannot be read, is not YAML, or has a field of the wrong type (a number for
 * `server`, a string for exec `args`) is handed to `onUnreadable` and skipped: kubectl refuses to run
 * with it (`error loading config file "F": …`), so each command decides whether to go on.
 */
export function loadKubeconfig(
  env: Env,
  /** Hears each file that could not be read or parsed (a command may refuse to go on). */
  onUnreadable: (path: string, error: NodeJS.ErrnoException) => void = () => undefined,
): MergedKubeconfig {
  const merged: MergedKubeconfig = {
    paths: kubeconfigPaths(env),
    clusters: new Map(),
    users: new Map(),
    contexts: new Map(),
  };
  for (const path of merged.paths) {
    let file: KubeconfigFile;
    try {
      const parsed: unknown = parse(readBoundedText(path, INPUT_LIMITS.kubeconfig)) ?? {};
      const problem = shapeProblem(parsed);
      if (problem) throw new Error(problem);
      file = parsed as KubeconfigFile;
    } catch (error) {
      onUnreadable(path, error as NodeJS.ErrnoException);
      continue;
    }
    const dir = dirname(resolve(path));
    if (merged.currentContext === undefined && typeof file['current-context'] === 'string' && file['current-context'])
      merged.currentContext = file['current-context'];
    addFirst(merged.clusters, file.clusters, 'cluster', (entry) => resolveCluster(entry, dir));
    addFirst(merged.users, file.users, 'user', (entry) => resolveUser(entry, dir));
    addFirst(merged.contexts, file.contexts, 'context', (entry) => ({ ...entry }));
  }
  return merged;
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Fields whose type kubectl checks when it decodes the file (client-go's api/v1 Config). */
const ENTRY_FIELDS: Record<'cluster' | 'user' | 'context', Record<string, 'string' | 'boolean' | 'object'>> = {
  cluster: {
    server: 'string',
    'certificate-authority': 'string',
    'certificate-authority-data': 'string',
    'insecure-skip-tls-verify': 'boolean',
    'tls-server-name': 'string',
    'proxy-url': 'string',
  },
  user: {
    token: 'string',
    tokenFile: 'string',
    'client-certificate': 'string',
    'client-certificate-data': 'string',
    'client-key': 'string',
    'client-key-data': 'string',
    username: 'string',
    password: 'string',
    'auth-provider': 'object',
    exec: 'object',
  },
  context: { cluster: 'string', user: 'string', namespace: 'string' },
};

/**
 * Why kubectl would refuse this parsed file, in one line; undefined when it loads. Only the types
 * kubectl decodes strictly are checked: unknown keys and an empty file load fine there too.
 */
export function shapeProblem(file: unknown): string | undefined {
  if (!isMapping(file)) return 'not a kubeconfig: the file is not a YAML mapping';
  const kind = file.kind ?? 'Config';
  const version = file.apiVersion ?? 'v1';
  if ((kind !== '' && kind !== 'Config') || (version !== '' && version !== 'v1'))
    return `not a kubeconfig: kind ${JSON.stringify(kind)}, apiVersion ${JSON.stringify(version)} (kubectl reads kind Config, apiVersion v1)`;
  const current = file['current-context'];
  if (current !== undefined && current !== null && typeof current !== 'string')
    return 'current-context must be a string';
  for (const [list, key] of [
    ['clusters', 'cluster'],
    ['users', 'user'],
    ['contexts', 'context'],
  ] as const) {
    const items = file[list];
    if (items === undefined || items === null) continue;
    if (!Array.isArray(items)) return `${list} must be a list`;
    for (const [i, item] of (items as unknown[]).entries()) {
      const where = `${list}[${i}]`;
      if (!isMapping(item)) return `${where} must be a mapping`;
      if (item.name !== undefined && item.name !== null && typeof item.name !== 'string')
        return `${where}.name must be a string`;
      const entry = item[key];
      if (entry === undefined || entry === null) continue;
      if (!isMapping(entry)) return `${where}.${key} must be a mapping`;
      for (const [field, type] of Object.entries(ENTRY_FIELDS[key])) {
        const value = entry[field];
        if (value === undefined || value === null) continue;
        if (type === 'object' ? !isMapping(value) : typeof value !== type)
          return `${where}.${key}.${field} must be a ${type === 'object' ? 'mapping' : type}`;
      }
      if (key === 'user' && isMapping(entry.exec)) {
        const problem = execProblem(entry.exec);
        if (problem) return `${where}.user.exec.${problem}`;
      }
    }
  }
  return undefined;
}

function execProblem(exec: Record<string, unknown>): string | undefined {
  for (const field of ['command', 'apiVersion'] as const)
    if (exec[field] !== undefined && exec[field] !== null && typeof exec[field] !== 'string')
      return `${field} must be a string`;
  const { args, env } = exec;
  if (args !== undefined && args !== null && !(Array.isArray(args) && args.every((a) => typeof a === 'string')))
    return 'args must be a list of strings';
  if (
    env !== undefined &&
    env !== null &&
    !(
      Array.isArray(env) &&
      env.every((e) => isMapping(e) && ['name', 'value'].every((k) => e[k] === undefined || typeof e[k] === 'string'))
    )
  )
    return 'env must be a list of {name, value} strings';
  return undefined;
}

function addFirst<T>(into: Map<string, T>, list: unknown, key: string, resolveEntry: (entry: T) => T): void {
  if (!Array.isArray(list)) return;
  for (const item of list as Record<string, unknown>[]) {
    if (typeof item?.name !== 'string' || into.has(item.name)) continue;
    const entry = item[key];
    into.set(item.name, resolveEntry((typeof entry === 'object' && entry !== null ? entry : {}) as T));
  }
}

const relativeTo = (dir: string, path: string | undefined): string | undefined =>
  path === undefined || path === '' || isAbsolute(path) ? path : resolve(dir, path);

function resolveCluster(entry: ClusterEntry, dir: string): ClusterEntry {
  const ca = relativeTo(dir, entry['certificate-authority']);
  return { ...entry, ...(ca !== undefined ? { 'certificate-authority': ca } : {}) };
}

function resolveUser(entry: UserEntry, dir: string): UserEntry {
  const resolved: UserEntry = { ...entry };
  for (const key of ['client-certificate', 'client-key', 'tokenFile'] as const) {
    const path = relativeTo(dir, entry[key]);
    if (path !== undefined) resolved[key] = path;
  }
  // client-go resolves a command only when it names a path: `aws` stays a PATH lookup.
  const command = entry.exec?.command;
  if (command?.includes('/') && !isAbsolute(command)) resolved.exec = { ...entry.exec, command: resolve(dir, command) };
  return resolved;
}

/** What the user entry authenticates with, in kubectl's words. */
export type CredentialKind = NonNullable<KubeconfigFacts['credential']>;

export function credentialKind(user: UserEntry | undefined): CredentialKind {
  if (user?.exec?.command) return 'exec';
  if (user?.token) return 'token';
  if (user?.tokenFile) return 'tokenFile';
  if (user?.['client-certificate'] || user?.['client-certificate-data']) return 'client-certificate';
  if (user?.['auth-provider']) return 'auth-provider';
  if (user?.username) return 'basic';
  return 'none';
}

/**
 * The context in the library's shape for KubeConfig.loadFromOptions. `token` replaces what the
 * library would run or read itself: the exec plugin's token (eksauth runs the plugin the way
 * kubectl does, with KUBERNETES_EXEC_INFO, which the library's ExecAuth does not set) or the
 * content of `tokenFile` (the library reads `token-file`, a spelling kubectl does not know).
 */
export function libraryOptions(
  merged: MergedKubeconfig,
  contextName: string,
  token: string | undefined,
): KubeOptions | undefined {
  const context = merged.contexts.get(contextName);
  const cluster = context?.cluster === undefined ? undefined : merged.clusters.get(context.cluster);
  if (!context || !cluster?.server) return undefined;
  const user = (context.user === undefined ? undefined : merged.users.get(context.user)) ?? {};
  const defined = <T extends object>(value: T): T =>
    Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as T;
  return {
    clusters: [
      defined({
        name: 'cluster',
        server: cluster.server,
        caData: cluster['certificate-authority-data'],
        caFile: cluster['certificate-authority'],
        skipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
        tlsServerName: cluster['tls-server-name'],
        proxyUrl: cluster['proxy-url'],
      }),
    ],
    users: [
      defined({
        name: 'user',
        certData: user['client-certificate-data'],
        certFile: user['client-certificate'],
        keyData: user['client-key-data'],
        keyFile: user['client-key'],
        authProvider: user['auth-provider'],
        token: token ?? user.token,
        username: user.username,
        password: user.password,
      }),
    ],
    contexts: [{ name: 'context', cluster: 'cluster', user: 'user' }],
    currentContext: 'context',
  };
}
