import { parseAwsAuth } from '../model/aws-auth/parse.js';
import type { ClusterInfo, Evidence, EvidenceSource } from '../model/evidence.js';
import type { AwsContext } from '../collect/aws-context.js';
import { collectAccessChanges, collectCreator } from '../collect/cloudtrail.js';
import {
  AWS_AUTH_LOOKBACK_MS,
  AWS_AUTH_LOAD_PATTERN,
  AWS_AUTH_ONLY_PATTERN,
  readControlPlaneLog,
  type LogRead,
  type LogType,
} from '../collect/control-plane-logs.js';
import {
  arnOfUser,
  authenticatorDecisions,
  awsAuthLoads,
  creatorFromGrants,
  type LogEvent,
} from '../logs/authenticator.js';
import { awsAuthChanges, unauthorizedRequests } from '../logs/audit.js';
import { creatorFromArn } from '../model/principal.js';
import { CONFIG_MAP_CREATOR_USERNAME } from '../model/simulate.js';
import type { AuthenticatorDecision, AwsAuthLoad, AwsAuthLookback } from '../model/evidence.js';
import { searchClusterRegions } from '../collect/cluster-regions.js';
import { collectAccessEntries, collectCluster, collectFargateProfiles, collectNodegroups } from '../collect/eks.js';
import { collectIamPrincipal } from '../collect/iam.js';
import { collectKubeconfig, KubeconfigUnloadable } from '../collect/kubeconfig.js';
import { decodeCa, type KubeTarget } from '../collect/kube-client.js';
import { readAwsAuthText, readBindings } from '../collect/kube-reads.js';
import { probeNetwork } from '../collect/network.js';
import { clusterProxyFor } from '../collect/proxy.js';
import { networkError } from '../model/network-path.js';
import { collectCaller } from '../collect/sts.js';
import { classifyFailure } from '../collect/failures.js';
import { mintBearerToken } from '../collect/token.js';
import type { FailureRecorder } from './recorder.js';
import { SkipStep, settle, type StepEvent, type StepRunner } from './step-runner.js';

/** What is the same whoever is diagnosed: the operator, the cluster, its mappings and its network path. */
export interface ClusterWide {
  evidence: Evidence;
  awsAuthText?: string;
  /** Where the API server is and which CA signs it; undefined when the cluster has no endpoint. */
  kubeTarget?: KubeTarget;
  /** Whether the network path ends in a TLS session against the cluster's CA. */
  reachable: boolean;
  /**
   * Every authenticator decision in the log window (all principals, access key ids whole), kept in
   * memory for the per-principal selection; evidence holds only the principal's, masked.
   */
  authenticatorLog?: {
    read: Omit<LogRead, 'events'> & { eventsRead: number; awsAuthLookback?: AwsAuthLookback };
    decisions: AuthenticatorDecision[];
    awsAuthLoads?: AwsAuthLoad[];
  };
}

/** A log type's window, and its events about aws-auth in the day before (or why they could not be read). */
type LookbackRead = LogRead & { awsAuthBefore?: LogRead | { since: string; error: string } };

/** The default window of control-plane logs read: the last hour (`--logs-since`). */
export const DEFAULT_LOGS_SINCE_MS = 60 * 60 * 1000;

/**
 * Reads everything cluster-wide, concurrently and read-only, with the operator's own identity.
 * `verify` runs this once and shares it across every principal it checks.
 */
export async function collectClusterWide(
  context: AwsContext,
  cluster: string,
  runner: StepRunner,
  recorder: FailureRecorder,
  now: () => Date,
  /** `onApiServer` hears where the API server is as soon as DescribeCluster answers, so probes need not wait for the rest. */
  options: {
    runExec?: boolean;
    onApiServer?: (target: KubeTarget | undefined) => void;
    /** How far back control-plane logs and CloudTrail changes are read. */
    logsSinceMs?: number;
  } = {},
): Promise<ClusterWide> {
  const who = (): string | undefined => undefined;
  const caller = runner.run(
    'caller identity',
    () => recorder.guard('caller', 'sts:GetCallerIdentity', who, () => collectCaller(context)),
    (c) => c.arn,
  );
  let callerArn: string | undefined;
  void caller.then(
    (c) => (callerArn = c.arn),
    () => undefined,
  );
  const asCaller = (): string | undefined => callerArn;

  const described = runner.run(
    'describe cluster',
    () => recorder.guard('cluster', 'eks:DescribeCluster', asCaller, () => collectCluster(context, cluster)),
    (c) => `${c.status ?? ''} ${c.authenticationMode ?? ''}`.trim(),
  );
  const needCluster = async (): Promise<ClusterInfo> => {
    const info = await settle(described);
    if (!info) throw new SkipStep('the cluster could not be described');
    return info;
  };
  // A step only after "not found", so healthy runs do not list it; never rejects, as it is awaited last.
  const elsewhere = settle(described).then((info) =>
    info === undefined && recorder.failures.cluster?.code === 'not-found'
      ? settle(
          runner.run(
            'cluster in other regions',
            () => searchClusterRegions(context, cluster),
            (search) => `${search.found.join(', ') || 'none'} of ${search.searched.length} regions`,
          ),
        )
      : undefined,
  );
  // Asked even in CONFIG_MAP mode: EKS's InvalidRequestException is itself evidence. That refusal
  // is how EKS works in that mode, not a failure, so the step reads as skipped, with the reason.
  const entries = runner.run('access entries', async () => {
    const info = await needCluster();
    try {
      return await recorder.guard('accessEntries', 'eks:ListAccessEntries', asCaller, () =>
        collectAccessEntries(context, cluster),
      );
    } catch (error) {
      if (info.authenticationMode === 'CONFIG_MAP' && (error as { name?: string }).name === 'InvalidRequestException')
        throw new SkipStep('the cluster is in CONFIG_MAP mode, where EKS reads aws-auth and has no access entries');
      throw error;
    }
  });
  const nodegroups = runner.run('node groups', async () => {
    await needCluster();
    return recorder.guard('nodegroups', 'eks:ListNodegroups', asCaller, () => collectNodegroups(context, cluster));
  });
  const fargate = runner.run('fargate profiles', async () => {
    await needCluster();
    return recorder.guard('fargateProfiles', 'eks:ListFargateProfiles', asCaller, () =>
      collectFargateProfiles(context, cluster),
    );
  });
  const creator = runner.run(
    'cluster creator (CloudTrail)',
    () => recorder.guard('creator', 'cloudtrail:LookupEvents', asCaller, () => collectCreator(context, cluster)),
    (c) => c?.arn ?? 'no CreateCluster event in the last 90 days',
  );
  const creatorDetails = runner.run('IAM details of the creator', async () => {
    const found = await settle(creator);
    if (!found) throw new SkipStep('the creator is unknown');
    return recorder.guard('creatorDetails', 'iam:GetRole', asCaller, () => collectIamPrincipal(context, found.arn));
  });
  const until = now();
  const window = { since: new Date(until.getTime() - (options.logsSinceMs ?? DEFAULT_LOGS_SINCE_MS)), until };
  // Read only when DescribeCluster shows the type on: otherwise there is nothing to read, and the
  // report says how to turn it on.
  const readLog = async (
    type: LogType,
    source: 'authenticatorLog' | 'auditLog',
    range: { since: Date; until: Date } = window,
    filterPattern?: string,
  ): Promise<LogRead> => {
    const info = await needCluster();
    if (info.enabledLogTypes === undefined)
      throw new SkipStep('DescribeCluster did not say which control-plane log types are on');
    if (!info.enabledLogTypes.includes(type))
      throw new SkipStep(`control-plane logging of "${type}" is off for cluster ${cluster}`);
    const read = () => readControlPlaneLog(context, cluster, type, range, filterPattern);
    return range === window ? recorder.guard(source, 'logs:FilterLogEvents', asCaller, read) : read();
  };
  const describeRead = (r: LogRead): string => `${r.events.length} events${r.truncated ? ' (page limit reached)' : ''}`;
  /**
   * The window's read of one log type, and, in parallel with the same permission, a narrow read
   * of the day before it for what concerns aws-auth (writes to it; the authenticator reloading
   * it). A failure of the look back costs only the look back, which the report says it could not read.
   */
  const readWithLookback = async (
    type: LogType,
    source: 'authenticatorLog' | 'auditLog',
    pattern: string,
  ): Promise<LookbackRead> => {
    const inWindow = readLog(type, source);
    const lookbackSince = new Date(until.getTime() - AWS_AUTH_LOOKBACK_MS);
    if (lookbackSince >= window.since) return inWindow;
    const before = readLog(type, source, { since: lookbackSince, until: window.since }, pattern)
      .then((read): LookbackRead['awsAuthBefore'] => read)
      .catch((error: unknown) => ({
        since: lookbackSince.toISOString(),
        error: classifyFailure(error, 'logs:FilterLogEvents', asCaller()).message,
      }));
    const [read, earlier] = await Promise.all([inWindow, before]);
    return { ...read, awsAuthBefore: earlier };
  };
  const authenticatorRead = runner.run(
    'authenticator log',
    () => readWithLookback('authenticator', 'authenticatorLog', AWS_AUTH_LOAD_PATTERN),
    describeRead,
  );
  const auditRead = runner.run(
    'audit log',
    () => readWithLookback('audit', 'auditLog', AWS_AUTH_ONLY_PATTERN),
    describeRead,
  );
  const accessChanges = runner.run(
    'access changes (CloudTrail)',
    () =>
      recorder.guard('accessChanges', 'cloudtrail:LookupEvents', asCaller, () =>
        collectAccessChanges(context, cluster, window),
      ),
    (c) => `${c.changes.length} changes`,
  );
  const kubeTarget = async (): Promise<KubeTarget> => {
    const info = await needCluster();
    if (!info.endpoint || !info.certificateAuthorityData)
      throw new SkipStep(`the cluster has no endpoint yet (status ${info.status ?? 'unknown'})`);
    return {
      server: info.endpoint,
      caPem: decodeCa(info.certificateAuthorityData),
      timeoutMs: context.timeoutMs,
      // kubectl's proxy for this endpoint (Go's rules), for every API call of the run.
      env: context.env,
    };
  };
  if (options.onApiServer) void settle(kubeTarget()).then(options.onApiServer);
  const network = runner.run(
    'network path',
    async () => {
      const target = await kubeTarget();
      // The proxy kubectl would take (Go's rules): the probe must see the path kubectl sees.
      return probeNetwork(target.server, target.caPem, context.timeoutMs, clusterProxyFor(target.server, context.env));
    },
    (n) => (n.tls?.ok ? `TLS ok in ${n.tls.ms ?? 0} ms` : networkError(n)),
    (n) => n.tls?.ok !== true,
  );
  const operatorToken = runner.run('mint token (operator)', async () => {
    if (!(await settle(caller))) throw new SkipStep('the operator has no working credentials');
    return mintBearerToken(context.credentials, cluster, context.region, context.env, now());
  });
  const reads = runner.run('read aws-auth and RBAC', async () => {
    // Not waiting for the network step: if the path is broken these fail on their own, and that step says why.
    const [target, token] = await Promise.all([kubeTarget(), settle(operatorToken)]);
    if (token === undefined) throw new SkipStep('no token for the operator');
    const operator = callerArn ?? 'the operator';
    const [awsAuth, rbac] = await Promise.all([
      readAwsAuthText(target, token, operator),
      readBindings(target, token, operator),
    ]);
    return { awsAuth, rbac };
  });

  const kubeconfig = runner.run(
    'kubeconfig entry',
    async () => {
      const info = await settle(described);
      return collectKubeconfig({
        cluster,
        ...(info?.arn ? { clusterArn: info.arn } : {}),
        ...(info?.endpoint ? { endpoint: info.endpoint } : {}),
        ...(info?.certificateAuthorityData ? { caPem: decodeCa(info.certificateAuthorityData) } : {}),
        partition: info?.partition ?? 'aws',
        runExec: options.runExec ?? true,
        timeoutMs: context.timeoutMs,
        env: context.env,
        now: now(),
        ...(context.endpoints.sts ? { stsEndpointOverride: context.endpoints.sts } : {}),
      });
    },
    (k) => (k ? `context ${k.context}` : 'no entry for this cluster'),
  );
  const [
    callerValue,
    clusterValue,
    entriesValue,
    nodegroupsValue,
    fargateValue,
    creatorValue,
    creatorDetailsValue,
    networkValue,
    readsValue,
    target,
  ] = await Promise.all([
    settle(caller),
    settle(described),
    settle(entries),
    settle(nodegroups),
    settle(fargate),
    settle(creator),
    settle(creatorDetails),
    settle(network),
    settle(reads),
    settle(kubeTarget()),
    settle(kubeconfig),
    settle(authenticatorRead),
    settle(auditRead),
    settle(accessChanges),
  ]);
  const evidence: Evidence = {};
  const kubeconfigValue = await kubeconfig.catch((error: unknown) => {
    if (error instanceof KubeconfigUnloadable)
      recorder.record('kubeconfig', { code: 'invalid', action: 'read kubeconfig', message: error.message });
    return undefined;
  });
  if (kubeconfigValue) evidence.kubeconfig = kubeconfigValue;
  const profile = context.profile ?? context.env.AWS_PROFILE;
  evidence.credentialEnv = {
    ...(profile ? { profile, profileFrom: context.profile ? ('--profile' as const) : ('AWS_PROFILE' as const) } : {}),
    staticKeys: Boolean(context.env.AWS_ACCESS_KEY_ID && context.env.AWS_SECRET_ACCESS_KEY),
    source: context.credentialSource,
  };
  if (callerValue) evidence.caller = callerValue;
  evidence.clusterLookup = {
    name: cluster,
    region: context.region,
    regionSource: context.regionSource,
    found: clusterValue !== undefined || recorder.failures.cluster?.code !== 'not-found',
  };
  const search = await elsewhere;
  if (search) Object.assign(evidence.clusterLookup, { foundInRegions: search.found, searchedRegions: search.searched });
  if (clusterValue) evidence.cluster = clusterValue;
  if (entriesValue) evidence.accessEntries = entriesValue;
  if (nodegroupsValue) evidence.nodegroups = nodegroupsValue;
  if (fargateValue) evidence.fargateProfiles = fargateValue;
  if (creatorValue) evidence.creator = creatorValue;
  const authenticatorValue = await settle(authenticatorRead);
  const decisions = authenticatorValue ? authenticatorDecisions(authenticatorValue.events) : undefined;
  if (decisions && !creatorValue && clusterValue?.authenticationMode === 'CONFIG_MAP') {
    // CloudTrail keeps CreateCluster 90 days; the authenticator's kubernetes-admin grants outlive that.
    const granted = creatorFromGrants(decisions);
    if (granted)
      evidence.creator = creatorFromArn(granted.arn, 'authenticator-log', {
        eventTime: granted.time,
        ...(granted.principalId ? { principalId: granted.principalId } : {}),
      });
  }
  const auditValue = await settle(auditRead);
  if (auditValue) {
    const { events, awsAuthBefore: _before, ...read } = auditValue;
    const earlier = eventsBefore(auditValue);
    evidence.auditLog = {
      ...read,
      eventsRead: events.length,
      // The audit log names the Kubernetes user; the authenticator's grant for that write names the IAM principal.
      awsAuthChanges: awsAuthChanges([...earlier, ...events]).map((change) => {
        const userArn = decisions && arnOfUser(decisions, change.user, change.time);
        if (userArn && userArn !== change.user) return { ...change, userArn };
        // No grant for that write in the window, but in CONFIG_MAP mode kubernetes-admin is the
        // creator's username (facts §3.2), and the creator is known: name it, and say how.
        if (
          change.user === CONFIG_MAP_CREATOR_USERNAME &&
          clusterValue?.authenticationMode === 'CONFIG_MAP' &&
          evidence.creator
        )
          return { ...change, userArn: evidence.creator.arn, userArnFrom: 'creator' as const };
        return change;
      }),
      unauthorized: unauthorizedRequests(events).slice(-MAX_UNAUTHORIZED),
      ...lookbackOf(auditValue),
    };
  }
  const accessChangesValue = await settle(accessChanges);
  if (accessChangesValue) evidence.accessChanges = accessChangesValue;
  if (creatorDetailsValue) evidence.creatorDetails = creatorDetailsValue;
  if (networkValue) evidence.network = networkValue;
  let awsAuthText: string | undefined;
  if (readsValue) {
    if (readsValue.awsAuth.ok) {
      if (readsValue.awsAuth.value === null) evidence.awsAuth = { state: 'absent' };
      else {
        awsAuthText = readsValue.awsAuth.value.text;
        const parsed = parseAwsAuth(awsAuthText);
        if (parsed.ok) evidence.awsAuth = { state: 'present', configMap: parsed.value };
        else recorder.record('awsAuth', { code: 'invalid', action: 'read aws-auth', message: parsed.error });
      }
    } else recorder.record('awsAuth', readsValue.awsAuth.failure);
    if (readsValue.rbac.ok) evidence.rbac = readsValue.rbac.value;
    else recorder.record('rbac', readsValue.rbac.failure);
  }
  noteSkippedSources(recorder, runner.events);
  return {
    evidence,
    ...(awsAuthText !== undefined ? { awsAuthText } : {}),
    ...(target ? { kubeTarget: target } : {}),
    reachable: networkValue?.tls?.ok === true,
    ...(authenticatorValue && decisions
      ? {
          authenticatorLog: {
            read: {
              logGroup: authenticatorValue.logGroup,
              since: authenticatorValue.since,
              until: authenticatorValue.until,
              truncated: authenticatorValue.truncated,
              eventsRead: authenticatorValue.events.length,
              ...lookbackOf(authenticatorValue),
            },
            decisions,
            awsAuthLoads: awsAuthLoads([...eventsBefore(authenticatorValue), ...authenticatorValue.events]).slice(
              -MAX_AWS_AUTH_LOADS,
            ),
          },
        }
      : {}),
  };
}

const eventsBefore = (read: LookbackRead): LogEvent[] =>
  read.awsAuthBefore && 'events' in read.awsAuthBefore ? read.awsAuthBefore.events : [];

/** What the look back read (or why it could not), for evidence: `awsAuthLookback`. */
function lookbackOf(read: LookbackRead): { awsAuthLookback?: AwsAuthLookback } {
  const before = read.awsAuthBefore;
  if (!before) return {};
  return {
    awsAuthLookback:
      'events' in before
        ? { since: before.since, eventsRead: before.events.length, truncated: before.truncated }
        : before,
  };
}

/** aws-auth reloads kept: the last few tell which text the authenticator holds now. */
const MAX_AWS_AUTH_LOADS = 20;

/** 401s kept in evidence: the most recent ones tell the story; the count of all is in the log. */
const MAX_UNAUTHORIZED = 50;

/** Which step fills which source, so a skipped step reads as "could not check, because …". */
const SOURCE_OF_STEP: Record<string, EvidenceSource[]> = {
  'access entries': ['accessEntries'],
  'node groups': ['nodegroups'],
  'fargate profiles': ['fargateProfiles'],
  'IAM details of the principal': ['principalDetails'],
  'IAM details of the creator': ['creatorDetails'],
  'network path': ['network'],
  'probe API server': ['probe'],
  'read aws-auth and RBAC': ['awsAuth', 'rbac'],
  'authenticator log': ['authenticatorLog'],
  'audit log': ['auditLog'],
};

export function noteSkippedSources(recorder: FailureRecorder, events: readonly StepEvent[]): void {
  for (const event of events) {
    if (event.status !== 'skipped') continue;
    for (const source of SOURCE_OF_STEP[event.name] ?? [])
      recorder.skipped(source, event.detail ?? 'a step it needs did not complete');
  }
}
