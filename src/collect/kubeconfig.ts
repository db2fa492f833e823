import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { INPUT_LIMITS, readBoundedText } from '../inputs/read-text.js';
import { execEnvSecrets, redactExecEnv, redactSecrets } from '../core/redact.js';
import type { KubeconfigFacts } from '../model/evidence.js';
import { replayToken } from '../token/replay.js';
import { validateToken } from '../token/validate.js';
import type { Env } from '../token/aws-config.js';
import type { Partition } from '../model/partitions.js';

interface Named<T> {
  name?: string;
  cluster?: T;
  user?: T;
  context?: T;
}
interface KubeconfigFile {
  'current-context'?: string;
  clusters?: Named<{ server?: string; 'certificate-authority-data'?: string; 'certificate-authority'?: string }>[];
  users?: Named<{
    exec?: { command?: string; args?: string[]; env?: { name?: string; value?: string }[]; apiVersion?: string };
  }>[];
  contexts?: Named<{ cluster?: string; user?: string }>[];
}

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

/** The kubeconfig files kubectl would read: $KUBECONFIG (merged, first wins) or ~/.kube/config. */
export function kubeconfigPaths(env: Env): string[] {
  const list = env.KUBECONFIG?.split(delimiter).filter(Boolean);
  return list && list.length > 0 ? list : [join(env.HOME ?? homedir(), '.kube', 'config')];
}

/**
 * Finds the kubeconfig entry for this cluster (by endpoint, then by the ARN update-kubeconfig
 * uses as the name) and, unless told not to, runs its exec plugin exactly as kubectl does and
 * identifies the token it returns by replaying it to STS. Undefined when no entry is for this cluster.
 */
export async function collectKubeconfig(lookup: KubeconfigLookup): Promise<KubeconfigFacts | undefined> {
  const paths = kubeconfigPaths(lookup.env);
  const merged: Required<Pick<KubeconfigFile, 'clusters' | 'users' | 'contexts'>> & { current?: string } = {
    clusters: [],
    users: [],
    contexts: [],
  };
  for (const path of paths) {
    let file: KubeconfigFile;
    try {
      file = (parse(readBoundedText(path, INPUT_LIMITS.kubeconfig)) ?? {}) as KubeconfigFile;
    } catch {
      continue;
    }
    merged.current ??= file['current-context'];
    merged.clusters.push(...(file.clusters ?? []));
    merged.users.push(...(file.users ?? []));
    merged.contexts.push(...(file.contexts ?? []));
  }
  const clusterEntry = (name: string | undefined) => merged.clusters.find((c) => c.name === name);
  const sameServer = (server: string | undefined) =>
    server !== undefined &&
    lookup.endpoint !== undefined &&
    normaliseServer(server) === normaliseServer(lookup.endpoint);
  const contexts = merged.contexts.filter((c) => {
    const entry = clusterEntry(c.context?.cluster);
    return (
      sameServer(entry?.cluster?.server) || c.context?.cluster === lookup.clusterArn || c.name === lookup.clusterArn
    );
  });
  const context = contexts.find((c) => c.name === merged.current) ?? contexts[0];
  if (!context) return undefined;
  const cluster = clusterEntry(context.context?.cluster)?.cluster;
  const user = merged.users.find((u) => u.name === context.context?.user)?.user;
  const facts: KubeconfigFacts = { path: paths.join(delimiter), context: context.name ?? '' };
  if (cluster?.server) facts.server = cluster.server;
  const ca = cluster?.['certificate-authority-data']
    ? Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8')
    : undefined;
  if (ca && lookup.caPem) facts.caMatchesCluster = normalisePem(ca) === normalisePem(lookup.caPem);
  const exec = user?.exec;
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
    if (lookup.runExec && facts.exec.commandFound)
      facts.execIdentity = await identifyExec({ ...facts.exec, env }, lookup);
  }
  return facts;
}

/** Runs the exec plugin like kubectl (KUBERNETES_EXEC_INFO, its env on top of ours) and names who its token is. */
async function identifyExec(
  exec: NonNullable<KubeconfigFacts['exec']>,
  lookup: KubeconfigLookup,
): Promise<{ arn: string } | { error: string }> {
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
