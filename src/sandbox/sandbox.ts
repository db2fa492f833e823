import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { awsHandler, type AwsService, type ServiceDeps } from './aws/service.js';
import { cloudTrailService } from './aws/cloudtrail.js';
import { eksService } from './aws/eks.js';
import { iamService } from './aws/iam.js';
import { logsService } from './aws/logs.js';
import { stsService } from './aws/sts.js';
import { CredentialStore, type IssuedCredentials } from './credentials.js';
import { FaultEngine } from './faults.js';
import { awsAuthConfigMap, defaultObjects } from './kube/defaults.js';
import { kubeHandler } from './kube/server.js';
import { KubeStore } from './kube/store.js';
import { ClusterLogs } from './logs/cluster-logs.js';
import { replayHistory } from './logs/replay-history.js';
import { renderEnvFile, renderKubeconfig, type KubeconfigAuth } from './client-config.js';
import { HOST, listenHttp, listenHttps, listenSilent, refusedPort, type Listener } from './listen.js';
import { RequestLog } from './request-log.js';
import type { Fault, Scenario, ScenarioCluster, ScenarioPrincipal } from './scenario/types.js';
import { createSandboxDir, removeSandboxDir } from './temp-dir.js';
import { generateClusterTls } from './tls.js';
import type { ClusterRuntime, World } from './world.js';

export interface SandboxOptions {
  scenario: Scenario;
  /** Faults added to the scenario's own (the CLI's --fault flags). */
  faults?: Fault[];
  /** The clock every service reads; tests move it to expire tokens. */
  clock?: () => Date;
  /**
   * Test-only: the AWS services (`aws`) and the API servers (`cluster`) accept connections from
   * this address alone, e.g. a proxy's `Bind` address; the API servers still reach STS.
   */
  onlyFrom?: { address: string; aws?: boolean; cluster?: boolean };
}

export interface SandboxEndpoints {
  sts: string;
  eks: string;
  iam: string;
  cloudtrail: string;
  /** CloudWatch Logs. */
  logs: string;
  /** Cluster name → `https://127.0.0.1:PORT`. */
  clusters: Record<string, string>;
}

export interface KubeconfigOptions {
  /** Principal id from the scenario (default: the scenario's default principal). */
  principal?: string;
  /** Cluster name (default: the first cluster). */
  cluster?: string;
  /** How kubectl gets a token (default: `aws eks get-token` as an exec plugin). */
  auth?: KubeconfigAuth;
  /** Also add a context for every other principal (`CLUSTER-PRINCIPAL`); `principal`'s is current. */
  allPrincipals?: boolean;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export interface Sandbox {
  scenario: Scenario;
  endpoints: SandboxEndpoints;
  /** The first cluster's CA (PEM), as DescribeCluster reports it. */
  caPem: string;
  caPemOf(cluster: string): string;
  /** What envFor sets as AWS_REGION: the scenario's clientRegion, else the first cluster's region. */
  region: string;
  /** Its own temporary directory (removed by close, at exit, or on a fatal signal); nothing is written anywhere else. */
  dir: string;
  requestLog: RequestLog;
  /** Credentials of a principal: a user's access key, or a session the sandbox STS issued for a role. */
  credentialsFor(principal: string): Credentials;
  /** Environment that points AWS clients at the sandbox as `principal`. */
  envFor(principal: string): Record<string, string>;
  kubeconfig(options?: KubeconfigOptions): string;
  close(): Promise<void>;
}

const AWS_SERVICES = (world: World): AwsService[] => [
  stsService(world),
  eksService(world),
  iamService(world),
  cloudTrailService(world),
  logsService(world),
];

/** Starts every service of the scenario on 127.0.0.1, each on its own free port. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  // Writes (access entries, the mode) change the sandbox's own copy, never the caller's scenario.
  const scenario = structuredClone(options.scenario);
  // AWS's time is the clients' (this machine's) minus their offset: clients 20 minutes behind
  // means AWS 20 minutes ahead of this machine.
  const awsAhead = -(scenario.clientClockOffsetMs ?? 0);
  const clock = options.clock ?? (() => new Date(Date.now() + awsAhead));
  const dir = createSandboxDir();
  const listeners: Listener[] = [];
  try {
    const store = new CredentialStore(scenario.principals);
    const faults = new FaultEngine([...scenario.faults, ...(options.faults ?? [])]);
    const log = new RequestLog();
    const world: World = { scenario, store, clusters: [] };
    const deps: ServiceDeps = { store, faults, log, clock };

    const endpoints: Partial<Record<'sts' | 'eks' | 'iam' | 'cloudtrail' | 'logs', string>> = {};
    const awsOnlyFrom = options.onlyFrom?.aws ? options.onlyFrom.address : undefined;
    let stsPort = 0;
    for (const service of AWS_SERVICES(world)) {
      const fault = faults.listenerFault(service.name);
      const listener =
        fault?.kind === 'hang'
          ? await listenSilent()
          : fault?.kind === 'refuse'
            ? await refusedPort()
            : await listenHttp(awsHandler(service, deps), undefined, awsOnlyFrom);
      listeners.push(listener);
      endpoints[service.name as keyof typeof endpoints] = `http://${HOST}:${listener.port}`;
      if (service.name === 'sts') stsPort = listener.port;
    }
    // The API servers replay tokens to this STS even when clients cannot reach it (a fault), as
    // EKS's STS is not the one the user's network blocks.
    let replayPort = stsPort;
    if (faults.listenerFault('sts') || awsOnlyFrom !== undefined) {
      const replayFaults = faults.listenerFault('sts') ? new FaultEngine([]) : faults;
      const hidden = await listenHttp(awsHandler(stsService(world), { ...deps, faults: replayFaults }));
      listeners.push(hidden);
      replayPort = hidden.port;
    }

    const clusterEndpoints: Record<string, string> = {};
    for (const cluster of scenario.clusters) {
      const clusterOnlyFrom = options.onlyFrom?.cluster ? options.onlyFrom.address : undefined;
      const runtime = await startCluster(cluster, world, faults, log, clock, replayPort, listeners, clusterOnlyFrom);
      world.clusters.push(runtime);
      clusterEndpoints[cluster.name] = runtime.endpoint;
      writeFileSync(join(dir, `${cluster.name}-ca.crt`), runtime.caPem);
    }
    const issued = new Map<string, IssuedCredentials>();
    const principal = (id: string): ScenarioPrincipal => {
      const found = scenario.principals.find((p) => p.id === id);
      if (!found)
        throw new Error(
          `no principal '${id}' in scenario ${scenario.name} (known: ${scenario.principals.map((p) => p.id).join(', ')})`,
        );
      return found;
    };
    const credentialsFor = (id: string): Credentials => {
      const p = principal(id);
      const key = p.accessKeys[0];
      if (p.type === 'user' && key) return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
      const session = issued.get(id) ?? store.issueSession(p, p.sessionName, p.sessionSeconds, clock());
      issued.set(id, session);
      return {
        accessKeyId: session.accessKeyId,
        secretAccessKey: session.secretAccessKey,
        sessionToken: session.sessionToken,
        expiration: session.expiration,
      };
    };
    const firstCluster = world.clusters[0];
    const region = scenario.clientRegion ?? firstCluster?.cluster.region ?? 'us-east-1';
    const fullEndpoints: SandboxEndpoints = {
      sts: endpoints.sts ?? '',
      eks: endpoints.eks ?? '',
      iam: endpoints.iam ?? '',
      cloudtrail: endpoints.cloudtrail ?? '',
      logs: endpoints.logs ?? '',
      clusters: clusterEndpoints,
    };
    // Empty AWS config files so the user's own profiles never leak into sandbox runs.
    writeFileSync(join(dir, 'aws-config'), '');
    writeFileSync(join(dir, 'aws-credentials'), '');
    const isolation = {
      AWS_CONFIG_FILE: join(dir, 'aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_STS_REGIONAL_ENDPOINTS: 'regional',
    };
    const envFor = (id: string): Record<string, string> =>
      renderEnvFile.env(fullEndpoints, region, credentialsFor(id), isolation);
    return {
      scenario,
      endpoints: fullEndpoints,
      caPem: firstCluster?.caPem ?? '',
      caPemOf: (name) => world.clusters.find((c) => c.cluster.name === name)?.caPem ?? '',
      region,
      dir,
      requestLog: log,
      credentialsFor,
      envFor,
      kubeconfig: (opts = {}) => {
        const name = opts.cluster ?? firstCluster?.cluster.name ?? '';
        const runtime = world.clusters.find((c) => c.cluster.name === name);
        if (!runtime) throw new Error(`no cluster '${name}' in scenario ${scenario.name}`);
        const id = opts.principal ?? scenario.defaultPrincipal ?? scenario.principals[0]?.id ?? '';
        // A static token belongs to one principal; exec entries can serve them all.
        const others =
          opts.allPrincipals && opts.auth?.kind !== 'token'
            ? scenario.principals.map((p) => p.id).filter((p) => p !== id)
            : [];
        const users = [id, ...others].map((principal) => ({ principal, credentials: credentialsFor(principal) }));
        return renderKubeconfig({ runtime, users, auth: opts.auth ?? { kind: 'aws-cli' }, isolation });
      },
      close: async () => {
        await Promise.all(listeners.map((l) => l.close()));
        removeSandboxDir(dir);
      },
    };
  } catch (error) {
    await Promise.all(listeners.map((l) => l.close()));
    removeSandboxDir(dir);
    throw error;
  }
}

/**
 * A private-only endpoint, or a CIDR allow-list that leaves out loopback, is unreachable from
 * where the user sits: the API server accepts TCP and never answers (facts §6).
 */
function unreachableFromHere(cluster: ScenarioCluster): boolean {
  if (!cluster.endpointPublicAccess) return true;
  return !cluster.publicAccessCidrs.some((cidr) => cidr === '0.0.0.0/0' || cidr.startsWith('127.'));
}

async function startCluster(
  cluster: ScenarioCluster,
  world: World,
  faults: FaultEngine,
  log: RequestLog,
  clock: () => Date,
  stsPort: number,
  listeners: Listener[],
  onlyFrom: string | undefined,
): Promise<ClusterRuntime> {
  const tls = generateClusterTls(clock());
  const objects = new KubeStore(clock);
  const creation = cluster.createdAt.toISOString().replace(/\.\d+Z$/, 'Z');
  const withoutDefaults = new Set(cluster.withoutDefaults);
  for (const object of defaultObjects()) {
    if (!withoutDefaults.has(object.metadata.name))
      objects.put({ ...object, metadata: { ...object.metadata, creationTimestamp: creation } });
  }
  if (cluster.awsAuthData)
    objects.put({
      ...awsAuthConfigMap(cluster.awsAuthData),
      metadata: { name: 'aws-auth', namespace: 'kube-system', creationTimestamp: creation },
    });
  for (const object of cluster.objects)
    objects.put({ ...object, metadata: { creationTimestamp: creation, ...object.metadata } });
  const logs = new ClusterLogs(cluster.name, cluster.arn, new Set(cluster.logging.enabled), cluster.createdAt);
  replayHistory(logs, cluster);
  const runtime: ClusterRuntime = { cluster, endpoint: '', caPem: tls.caPem, objects, logs };
  const fault = faults.listenerFault('kube');
  let listener: Listener;
  // No API server exists before the cluster is ACTIVE, nor after it failed (DescribeCluster has no endpoint then).
  if (fault?.kind === 'refuse' || ['CREATING', 'FAILED', 'PENDING'].includes(cluster.status))
    listener = await refusedPort();
  else if (fault?.kind === 'hang' || unreachableFromHere(cluster)) listener = await listenSilent();
  else {
    // untrusted-tls: the server presents a certificate from a CA other than the one DescribeCluster reports.
    const served = fault?.kind === 'untrusted-tls' ? generateClusterTls(clock()) : tls;
    let address = '';
    const handler = kubeHandler({
      world,
      runtime,
      auth: { sts: { host: HOST, port: stsPort }, clock },
      faults,
      log,
      get address() {
        return address;
      },
    });
    listener = await listenHttps(handler, served, undefined, onlyFrom);
    address = `${HOST}:${listener.port}`;
  }
  listeners.push(listener);
  runtime.endpoint = `https://${HOST}:${listener.port}`;
  return runtime;
}
