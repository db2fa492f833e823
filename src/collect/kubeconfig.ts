import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { INPUT_LIMITS, readBoundedText } from '../inputs/read-text.js';
import { execEnvSecrets, redactExecEnv, redactSecrets } from '../core/redact.js';
import type { KubeconfigFacts } from '../model/evidence.js';
import { replayToken } from '../token/replay.js';
import { validateToken } from '../token/validate.js';
import type { Env } from '../token/aws-config.js';
import type { Partition } from '../model/partitions.js';
import { withinDeadline } from './deadline.js';
import { kubeClient, statusMessage, type KubeOptions } from './kube-client.js';
import { credentialKind, libraryOptions, loadKubeconfig, type ClusterEntry } from './kubeconfig-files.js';

export interface KubeconfigLookup {
  cluster: string;
  clusterArn?: string;
  endpoint?: string;
  caPem?: string;
  partition: Partition;
  /** Run the exec plugin as kubectl would, to see which identity it really resolves. */
  runExec: boolean;
  timeoutMs: number;
  env: Env;
  now: Date;
  stsEndpointOverride?: string;
}

/**
 * Finds the kubeconfig entry for this cluster (by endpoint, then by the ARN update-kubeconfig
 * uses as the name) and, unless told not to, runs its exec plugin exactly as kubectl does and
 * identifies the token it returns by replaying it to STS. Undefined when no entry is for this cluster.
 */
export async function collectKubeconfig(lookup: KubeconfigLookup): Promise<KubeconfigFacts | undefined> {
  const merged = loadKubeconfig(lookup.env, (path, error) => {
    // As kubectl: a missing file is skipped; one that is there but does not load stops kubectl.
    if (error.code === 'ENOENT') return;
    throw new KubeconfigUnloadable(path, error);
  });
  const sameServer = (server: string | undefined) =>
    server !== undefined &&
    lookup.endpoint !== undefined &&
    normaliseServer(server) === normaliseServer(lookup.endpoint);
  const contexts = [...merged.contexts].filter(
    ([name, context]) =>
      sameServer(merged.clusters.get(context.cluster ?? '')?.server) ||
      context.cluster === lookup.clusterArn ||
      name === lookup.clusterArn,
  );
  const [contextName, context] = contexts.find(([name]) => name === merged.currentContext) ?? contexts[0] ?? [];
  if (contextName === undefined || !context) return undefined;
  const cluster = merged.clusters.get(context.cluster ?? '');
  const user = merged.users.get(context.user ?? '');
  const facts: KubeconfigFacts = {
    path: merged.paths.join(delimiter),
    context: contextName,
    ...(context.user ? { user: context.user } : {}),
    credential: credentialKind(user),
  };
  if (cluster?.server) facts.server = cluster.server;
  const ca = clusterCa(cluster);
  if (ca && lookup.caPem) facts.caMatchesCluster = normalisePem(ca) === normalisePem(lookup.caPem);
  const exec = user?.exec;
  let token: string | undefined;
  if (exec?.command) {
    const env = Object.fromEntries((exec.env ?? []).filter((e) => e.name).map((e) => [e.name ?? '', e.value ?? '']));
    // The plugin runs with its real env; evidence keeps every name but only harmless values.
    facts.exec = {
      command: exec.command,
      args: exec.args ?? [],
      env: redactExecEnv(env),
      apiVersion: exec.apiVersion ?? '',
      commandFound: commandOnPath(exec.command, lookup.env),
    };
    if (lookup.runExec && facts.exec.commandFound) {
      const ran = await runExecPlugin({ ...facts.exec, env }, lookup);
      facts.execIdentity = 'error' in ran ? ran : await identifyToken(ran.token, exec.command, lookup);
      if ('token' in ran) token = ran.token;
    }
  } else if (user?.tokenFile && lookup.runExec) token = readTokenFile(user.tokenFile);
  // `kubectl auth whoami` with this context: only when the exec plugin may run (--no-exec skips
  // acting as the kubeconfig's user), and not when the plugin failed (kubectl would stop there too).
  if (lookup.runExec && !(exec?.command && token === undefined)) {
    const options = libraryOptions(merged, contextName, token);
    if (options) facts.whoami = await whoamiWith({ ...options, proxyEnv: lookup.env }, lookup.timeoutMs);
  }
  return facts;
}

/** A kubeconfig file kubectl would refuse (`error loading config file`): one line, naming the file. */
export class KubeconfigUnloadable extends Error {
  constructor(path: string, cause: Error) {
    const reason = redactSecrets((cause.message ?? String(cause)).split('\n')[0] ?? '').replace(/:$/, '');
    super(`kubeconfig file ${JSON.stringify(path)} does not load (kubectl refuses to run with it): ${reason}`);
  }
}

/** The CA the context trusts, from its data or its file (already resolved against its kubeconfig). */
function clusterCa(cluster: ClusterEntry | undefined): string | undefined {
  if (cluster?.['certificate-authority-data'])
    return Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8');
  if (!cluster?.['certificate-authority']) return undefined;
  try {
    return readBoundedText(cluster['certificate-authority'], INPUT_LIMITS.kubeconfig);
  } catch {
    return undefined;
  }
}

function readTokenFile(path: string): string | undefined {
  try {
    return readBoundedText(path, INPUT_LIMITS.kubeconfig).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** A SelfSubjectReview as the context's user: what `kubectl auth whoami` answers. */
async function whoamiWith(options: KubeOptions, timeoutMs: number): Promise<NonNullable<KubeconfigFacts['whoami']>> {
  try {
    const client = await kubeClient(options);
    const answer = await withinDeadline(timeoutMs, (signal) => client.selfSubjectReview(signal));
    const userInfo = (answer.body as { status?: { userInfo?: { username?: string; groups?: string[] } } }).status
      ?.userInfo;
    if (answer.status >= 200 && answer.status < 300 && userInfo)
      return { username: redactSecrets(userInfo.username ?? ''), groups: userInfo.groups ?? [] };
    return {
      status: answer.status,
      error: redactSecrets(statusMessage(answer.body) ?? `HTTP ${answer.status}`),
    };
  } catch (error) {
    return { error: redactSecrets(((error as Error).message ?? String(error)).split('\n')[0] ?? '') };
  }
}

/** Runs the exec plugin like kubectl: KUBERNETES_EXEC_INFO, its env on top of ours. */
async function runExecPlugin(
  exec: NonNullable<KubeconfigFacts['exec']>,
  lookup: KubeconfigLookup,
): Promise<{ token: string } | { error: string }> {
  const execInfo = JSON.stringify({
    kind: 'ExecCredential',
    apiVersion: exec.apiVersion || 'client.authentication.k8s.io/v1beta1',
    spec: { interactive: false },
  });
  const output = await new Promise<{ ok: true; stdout: string } | { ok: false; error: string }>((resolve) => {
    execFile(
      exec.command,
      exec.args,
      {
        env: { ...lookup.env, ...exec.env, KUBERNETES_EXEC_INFO: execInfo },
        timeout: lookup.timeoutMs,
        maxBuffer: 1 << 20,
      },
      (error, stdout, stderr) => {
        if (error)
          resolve({
            ok: false,
            error: (stderr.trim().split('\n').pop() ?? '') || error.message.split('\n')[0] || 'failed',
          });
        else resolve({ ok: true, stdout });
      },
    );
  });
  // A plugin may echo what it was given (a key it rejects) in its error.
  if (!output.ok) return { error: `${exec.command} failed: ${redactSecrets(output.error, execEnvSecrets(exec.env))}` };
  let token: string | undefined;
  try {
    token = (JSON.parse(output.stdout) as { status?: { token?: string } }).status?.token;
  } catch {
    return { error: `${exec.command} did not print an ExecCredential` };
  }
  if (!token) return { error: `${exec.command} printed no token` };
  return { token };
}

/** Names who an exec plugin's token is, by replaying it to STS. */
async function identifyToken(
  token: string,
  command: string,
  lookup: KubeconfigLookup,
): Promise<{ arn: string } | { error: string }> {
  const validated = validateToken(token, { partition: lookup.partition, now: lookup.now });
  if (!validated.ok) return { error: `its token is not accepted: ${redactSecrets(validated.message)}` };
  const replay = await replayToken(validated.token.url, lookup.cluster, {
    timeoutMs: lookup.timeoutMs,
    env: lookup.env,
    ...(lookup.stsEndpointOverride ? { endpointOverride: lookup.stsEndpointOverride } : {}),
  });
  if (replay.outcome !== 'identity')
    return {
      error: `STS did not accept its token: ${replay.outcome === 'sts-error' ? (replay.code ?? replay.message) : replay.message}`,
    };
  return { arn: replay.arn };
}

function commandOnPath(command: string, env: Env): boolean {
  const candidates =
    isAbsolute(command) || command.includes('/')
      ? [command]
      : (env.PATH ?? '')
          .split(delimiter)
          .filter(Boolean)
          .map((dir) => join(dir, command));
  return candidates.some((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const normaliseServer = (server: string): string =>
  server
    .toLowerCase()
    .replace(/:443(?=\/|$)/, '')
    .replace(/\/+$/, '');
const normalisePem = (pem: string): string => pem.replace(/\s+/g, '');
