import { parseAwsAuth } from '../model/aws-auth/parse.js';
import type { ClusterInfo, Evidence, EvidenceSource, SourceFailure } from '../model/evidence.js';
import { principalFromArn } from '../model/principal.js';
import { EnvironmentError } from '../cli/errors.js';
import {
  defaultCredentials,
  describeCredentialSource,
  endpointsFromEnv,
  resolveRegion,
  type AwsContext,
} from '../collect/aws-context.js';
import { collectCreator } from '../collect/cloudtrail.js';
import { collectAccessEntries, collectCluster, collectFargateProfiles, collectNodegroups } from '../collect/eks.js';
import { classifyFailure } from '../collect/failures.js';
import { collectIamPrincipal } from '../collect/iam.js';
import { decodeCa, type KubeTarget } from '../collect/kube-http.js';
import { readAwsAuthText, readBindings } from '../collect/kube-reads.js';
import { probeNetwork } from '../collect/network.js';
import { probeApi } from '../collect/probe.js';
import { collectAssumeRole, collectCaller } from '../collect/sts.js';
import { mintBearerToken } from '../collect/token.js';
import type { DoctorRequest } from './request.js';
import { SkipStep, StepRunner, settle, type StepEvent } from './step-runner.js';

export interface LiveCollection {
  evidence: Evidence;
  /** aws-auth exactly as read, for --save-evidence (the parsed form is rebuilt on replay). */
  awsAuthText?: string;
  region: string;
  events: StepEvent[];
}

/**
 * Collects everything the diagnosis needs, read-only: each step waits only for what it needs, a
 * source that cannot be read becomes a recorded failure ("could not check, because …") and the
 * rest goes on. The target's token is used only for the probe; aws-auth and RBAC are read with the
 * operator's own identity, which is usually the one that still works.
 */
export async function collectLive(
  request: DoctorRequest,
  onStep?: (event: StepEvent) => void,
): Promise<LiveCollection> {
  const { env } = request;
  const region = resolveRegion(request.region, request.profile, env);
  if (!region)
    throw new EnvironmentError('no AWS region: pass --region, or set AWS_REGION or a region in your profile');
  const context: AwsContext = {
    env,
    region: region.region,
    regionSource: region.source,
    ...(request.profile ? { profile: request.profile } : {}),
    credentials: await defaultCredentials(request.profile, env),
    credentialSource: describeCredentialSource(request.profile, env),
    endpoints: endpointsFromEnv(env),
    timeoutMs: request.timeoutMs,
  };
  const runner = new StepRunner({ ...(request.serial ? { serial: true } : {}), ...(onStep ? { onStep } : {}) });
  const evidence: Evidence = { unavailable: {}, failures: {} };
  const fail = (source: EvidenceSource, failure: SourceFailure): void => {
    (evidence.failures ??= {})[source] = failure;
    (evidence.unavailable ??= {})[source] = failure.message;
  };
  const guarded = async <T>(
    source: EvidenceSource,
    action: string,
    who: () => string | undefined,
    fn: () => Promise<T>,
  ): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof SkipStep)) fail(source, classifyFailure(error, action, who()));
      throw error;
    }
  };

  // Who is asking, and who is being diagnosed.
  const caller = runner.run(
    'caller identity',
    () =>
      guarded(
        'caller',
        'sts:GetCallerIdentity',
        () => undefined,
        () => collectCaller(context),
      ),
    (c) => c.arn,
  );
  const callerArn = (): string | undefined => evidence.caller?.arn;
  void caller.then(
    (c) => (evidence.caller = c),
    () => undefined,
  );
  const assumed = request.roleArn
    ? runner.run(
        'assume role',
        () =>
          guarded('assumeRole', 'sts:AssumeRole', callerArn, () =>
            collectAssumeRole(context, request.roleArn ?? '', request.sessionName, request.externalId),
          ),
        (a) => a.outcome.outcome,
      )
    : undefined;
  const targetArn = async (): Promise<string> => {
    if (assumed) {
      const outcome = (await settle(assumed))?.outcome;
      return outcome?.outcome === 'assumed' && outcome.sessionArn ? outcome.sessionArn : (request.roleArn ?? '');
    }
    const me = await settle(caller);
    if (!me) throw new SkipStep('the caller identity is unknown');
    return me.arn;
  };
  const targetCredentials = async () => {
    if (!assumed) return context.credentials;
    const result = await settle(assumed);
    if (!result?.credentials) throw new SkipStep(`${request.roleArn ?? ''} could not be assumed`);
    return result.credentials;
  };

  // The cluster and what EKS keeps about it.
  const cluster = runner.run(
    'describe cluster',
    () => guarded('cluster', 'eks:DescribeCluster', callerArn, () => collectCluster(context, request.cluster)),
    (c) => `${c.status ?? ''} ${c.authenticationMode ?? ''}`.trim(),
  );
  const needCluster = async (): Promise<ClusterInfo> => {
    const info = await settle(cluster);
    if (!info) throw new SkipStep('the cluster could not be described');
    return info;
  };
  const entries = runner.run('access entries', async () => {
    const info = await needCluster();
    if (info.authenticationMode === 'CONFIG_MAP') return [];
    return guarded('accessEntries', 'eks:ListAccessEntries', callerArn, () =>
      collectAccessEntries(context, request.cluster),
    );
  });
  const nodegroups = runner.run('node groups', async () => {
    await needCluster();
    return guarded('nodegroups', 'eks:ListNodegroups', callerArn, () => collectNodegroups(context, request.cluster));
  });
  const fargate = runner.run('fargate profiles', async () => {
    await needCluster();
    return guarded('fargateProfiles', 'eks:ListFargateProfiles', callerArn, () =>
      collectFargateProfiles(context, request.cluster),
    );
  });
  const creator = runner.run(
    'cluster creator (CloudTrail)',
    () => guarded('creator', 'cloudtrail:LookupEvents', callerArn, () => collectCreator(context, request.cluster)),
    (c) => c?.arn ?? 'no CreateCluster event in the last 90 days',
  );
  const principalDetails = runner.run('IAM details of the principal', async () => {
    const principal = principalFromArn(await targetArn());
    if (!principal.ok || (principal.value.kind !== 'role' && principal.value.kind !== 'user'))
      throw new SkipStep('not an IAM role or user');
    const arn =
      principal.value.kind === 'role'
        ? `arn:${principal.value.partition}:iam::${principal.value.accountId}:role/${principal.value.name}`
        : principal.value.iamArn;
    return guarded('principalDetails', principal.value.kind === 'role' ? 'iam:GetRole' : 'iam:GetUser', callerArn, () =>
      collectIamPrincipal(context, arn),
    );
  });
  const creatorDetails = runner.run('IAM details of the creator', async () => {
    const who = await settle(creator);
    if (!who) throw new SkipStep('the creator is unknown');
    return guarded('creatorDetails', 'iam:GetRole', callerArn, () => collectIamPrincipal(context, who.arn));
  });

  // The path to the API server, and what it says to the target's token.
  const kubeTarget = async (): Promise<KubeTarget> => {
    const info = await needCluster();
    if (!info.endpoint || !info.certificateAuthorityData)
      throw new SkipStep(`the cluster has no endpoint yet (status ${info.status ?? 'unknown'})`);
    return { server: info.endpoint, caPem: decodeCa(info.certificateAuthorityData), timeoutMs: request.timeoutMs };
  };
  const network = runner.run(
    'network path',
    async () => {
      const target = await kubeTarget();
      return probeNetwork(target.server, target.caPem, request.timeoutMs);
    },
    (n) => (n.tls?.ok ? `TLS ok in ${n.tls.ms ?? 0} ms` : (n.tls?.error ?? n.tcp?.error ?? n.dns.error ?? '')),
  );
  const targetToken = runner.run('mint token (target)', async () =>
    mintBearerToken(await targetCredentials(), request.cluster, context.region, env, request.now()),
  );
  const probe = runner.run(
    'probe API server',
    async () => {
      const [target, path, token] = await Promise.all([kubeTarget(), settle(network), settle(targetToken)]);
      if (!path?.tls?.ok) throw new SkipStep('the API server is not reachable');
      if (token === undefined) throw new SkipStep('no token for the principal');
      return guarded(
        'probe',
        'GET /version',
        () => undefined,
        () => probeApi(target, token),
      );
    },
    (p) => `HTTP ${p.status ?? 'none'}`,
  );
  const operatorToken = runner.run('mint token (operator)', async () => {
    await caller;
    return mintBearerToken(context.credentials, request.cluster, context.region, env, request.now());
  });
  const kubeReads = runner.run('read aws-auth and RBAC', async () => {
    const [target, path, token] = await Promise.all([kubeTarget(), settle(network), settle(operatorToken)]);
    if (!path?.tls?.ok) throw new SkipStep('the API server is not reachable');
    if (token === undefined) throw new SkipStep('no token for the operator');
    const who = evidence.caller?.arn ?? 'the operator';
    const [awsAuth, rbac] = await Promise.all([
      readAwsAuthText(target, { token }, who),
      readBindings(target, { token }, who),
    ]);
    return { awsAuth, rbac };
  });

  const [
    callerValue,
    assumedValue,
    clusterValue,
    entriesValue,
    nodegroupsValue,
    fargateValue,
    creatorValue,
    detailsValue,
    creatorDetailsValue,
    networkValue,
    probeValue,
    readsValue,
  ] = await Promise.all([
    settle(caller),
    assumed ? settle(assumed) : undefined,
    settle(cluster),
    settle(entries),
    settle(nodegroups),
    settle(fargate),
    settle(creator),
    settle(principalDetails),
    settle(creatorDetails),
    settle(network),
    settle(probe),
    settle(kubeReads),
    settle(targetToken),
  ]);

  if (callerValue) evidence.caller = callerValue;
  if (assumedValue) evidence.assumeRole = assumedValue.outcome;
  evidence.clusterLookup = {
    name: request.cluster,
    region: context.region,
    regionSource: context.regionSource,
    found: clusterValue !== undefined || evidence.failures?.cluster?.code !== 'not-found',
  };
  if (clusterValue) evidence.cluster = clusterValue;
  if (entriesValue) evidence.accessEntries = entriesValue;
  if (nodegroupsValue) evidence.nodegroups = nodegroupsValue;
  if (fargateValue) evidence.fargateProfiles = fargateValue;
  if (creatorValue) evidence.creator = creatorValue;
  if (detailsValue) evidence.principalDetails = detailsValue;
  if (creatorDetailsValue) evidence.creatorDetails = creatorDetailsValue;
  if (networkValue) evidence.network = networkValue;
  if (probeValue) evidence.probe = probeValue;
  let awsAuthText: string | undefined;
  if (readsValue) {
    if (readsValue.awsAuth.ok) {
      if (readsValue.awsAuth.value === null) evidence.awsAuth = { state: 'absent' };
      else {
        awsAuthText = readsValue.awsAuth.value.text;
        const parsed = parseAwsAuth(awsAuthText);
        if (parsed.ok) evidence.awsAuth = { state: 'present', configMap: parsed.value };
        else fail('awsAuth', { code: 'invalid', action: 'read aws-auth', message: parsed.error });
      }
    } else fail('awsAuth', readsValue.awsAuth.failure);
    if (readsValue.rbac.ok) evidence.rbac = readsValue.rbac.value;
    else fail('rbac', readsValue.rbac.failure);
  }
  noteSkippedSources(evidence, runner.events);
  const principalArn = await settle(targetArn());
  if (principalArn) {
    const principal = principalFromArn(
      principalArn,
      principalArn.includes(':assumed-role/') ? undefined : request.roleArn ? request.sessionName : undefined,
    );
    if (principal.ok) evidence.principal = principal.value;
  }
  return {
    evidence,
    ...(awsAuthText !== undefined ? { awsAuthText } : {}),
    region: context.region,
    events: runner.events,
  };
}

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
};

function noteSkippedSources(evidence: Evidence, events: readonly StepEvent[]): void {
  for (const event of events) {
    if (event.status !== 'skipped') continue;
    for (const source of SOURCE_OF_STEP[event.name] ?? []) {
      if (evidence[source] === undefined && evidence.unavailable?.[source] === undefined)
        (evidence.unavailable ??= {})[source] = event.detail ?? 'a step it needs did not complete';
    }
  }
}
