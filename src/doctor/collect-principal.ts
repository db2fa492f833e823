import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { AuthenticatorLogEvidence, Evidence } from '../model/evidence.js';
import { principalFromArn } from '../model/principal.js';
import type { AwsContext } from '../collect/aws-context.js';
import { collectIamPrincipal } from '../collect/iam.js';
import { probeApi, type AccessSample } from '../collect/probe.js';
import { collectAssumeRole, collectCaller } from '../collect/sts.js';
import { mintBearerToken } from '../collect/token.js';
import type { KubeTarget } from '../collect/kube-client.js';
import type { ClusterWide } from './collect-cluster.js';
import { noteSkippedSources } from './collect-cluster.js';
import type { FailureRecorder } from './recorder.js';
import { SkipStep, settle, type StepRunner } from './step-runner.js';
import { decisionsFor, type LogIdentity } from '../logs/authenticator.js';
import { maskAccessKeyId, redactSecrets } from '../core/redact.js';

/** The principal's decisions kept in evidence: the most recent tell the story. */
const MAX_DECISIONS = 20;

/** Who to diagnose: a role to assume, the owner of other credentials, or the operator itself. */
export type PrincipalTarget =
  | { kind: 'assume'; roleArn: string; sessionName: string; externalId?: string }
  | { kind: 'credentials'; context: AwsContext }
  | { kind: 'self' };

/**
 * The per-principal part of a diagnosis: who the principal is, its IAM details, its token, and
 * what the API server answers that token. The token stays in memory for the probe only.
 */
export async function collectPrincipal(
  context: AwsContext,
  cluster: string,
  target: PrincipalTarget,
  shared: Promise<ClusterWide>,
  runner: StepRunner,
  recorder: FailureRecorder,
  now: () => Date,
  /** verify: the can-i questions its expectations ask, instead of the doctor's default samples. */
  options: { accessSamples?: readonly AccessSample[]; apiServer?: Promise<KubeTarget | undefined> } = {},
): Promise<Evidence> {
  const operatorArn = (): string | undefined => undefined;
  const evidence: Evidence = {};
  let identity: Promise<{ arn: string; credentials: AwsCredentialIdentityProvider }>;
  if (target.kind === 'assume') {
    const assumed = runner.run(
      'assume role',
      () =>
        recorder.guard('assumeRole', 'sts:AssumeRole', operatorArn, () =>
          collectAssumeRole(context, target.roleArn, target.sessionName, target.externalId),
        ),
      (a) => a.outcome.outcome,
    );
    identity = assumed.then((a) => {
      evidence.assumeRole = a.outcome;
      if (a.outcome.outcome !== 'assumed' || !a.credentials)
        throw new SkipStep(`${target.roleArn} could not be assumed`);
      return { arn: a.outcome.sessionArn || target.roleArn, credentials: a.credentials };
    });
  } else if (target.kind === 'credentials') {
    const own = target.context;
    identity = runner
      .run(
        'target identity',
        () => recorder.guard('targetCaller', 'sts:GetCallerIdentity (target)', operatorArn, () => collectCaller(own)),
        (c) => c.arn,
      )
      .then((c) => {
        evidence.targetCaller = c;
        return { arn: c.arn, credentials: own.credentials };
      });
  } else {
    identity = runner
      .run(
        'caller identity (target)',
        () => recorder.guard('caller', 'sts:GetCallerIdentity', operatorArn, () => collectCaller(context)),
        (c) => c.arn,
      )
      .then((c) => ({ arn: c.arn, credentials: context.credentials }));
  }

  const details = runner.run('IAM details of the principal', async () => {
    const who = await settle(identity);
    const principal = who
      ? principalFromArn(who.arn)
      : target.kind === 'assume'
        ? principalFromArn(target.roleArn)
        : undefined;
    if (!principal?.ok || (principal.value.kind !== 'role' && principal.value.kind !== 'user'))
      throw new SkipStep('not an IAM role or user');
    const { partition, accountId, name, kind, iamArn } = principal.value;
    const arn = kind === 'role' ? `arn:${partition}:iam::${accountId}:role/${name}` : iamArn;
    return recorder.guard('principalDetails', kind === 'role' ? 'iam:GetRole' : 'iam:GetUser', operatorArn, () =>
      collectIamPrincipal(context, arn),
    );
  });
  let tokenAccessKeyId: string | undefined;
  const token = runner.run('mint token (target)', async () => {
    const who = await settle(identity);
    // Presigning needs no network: like kubectl's exec plugin, mint even when STS refused these
    // credentials (expired, say), so the probe shows what the cluster answers them.
    const own =
      target.kind === 'self'
        ? context.credentials
        : target.kind === 'credentials'
          ? target.context.credentials
          : undefined;
    const credentials = who?.credentials ?? own;
    if (!credentials) throw new SkipStep('no credentials for the principal');
    // The authenticator logs the token's access key id: it ties log lines to this principal.
    tokenAccessKeyId = (await credentials()).accessKeyId;
    return mintBearerToken(credentials, cluster, context.region, context.env, now());
  });
  const probe = runner.run(
    'probe API server',
    async () => {
      // Only the endpoint is needed, not the rest of the cluster-wide reads.
      const apiServer = options.apiServer ?? shared.then((clusterWide) => clusterWide.kubeTarget);
      const [kubeTarget, bearer] = await Promise.all([apiServer, settle(token)]);
      if (!kubeTarget)
        throw new SkipStep('no API server endpoint is known: the cluster could not be described, or has none yet');
      if (bearer === undefined) throw new SkipStep('no token for the principal');
      return recorder.guard('probe', 'GET /version', operatorArn, () =>
        probeApi(kubeTarget, bearer, options.accessSamples),
      );
    },
    (p) => `HTTP ${p.status ?? 'none'}`,
  );

  const [who, detailsValue, probeValue] = await Promise.all([
    settle(identity),
    settle(details),
    settle(probe),
    settle(token),
  ]);
  if (detailsValue) evidence.principalDetails = detailsValue;
  if (probeValue) evidence.probe = probeValue;
  const principalArn = who?.arn ?? (target.kind === 'assume' ? target.roleArn : undefined);
  if (principalArn) {
    // A role that could not be assumed is still diagnosed, with the session name it would have had.
    const principal = principalFromArn(principalArn, !who && target.kind === 'assume' ? target.sessionName : undefined);
    if (principal.ok) evidence.principal = principal.value;
  }
  const log = (await settle(shared))?.authenticatorLog;
  if (log)
    evidence.authenticatorLog = authenticatorEvidenceFor(log, {
      ...(evidence.principal?.canonicalArn ? { canonicalArn: evidence.principal.canonicalArn } : {}),
      ...(tokenAccessKeyId ? { accessKeyId: tokenAccessKeyId } : {}),
    });
  noteSkippedSources(recorder, runner.events);
  return evidence;
}

/** The principal's share of the authenticator log, access key ids masked: what evidence may hold. */
export function authenticatorEvidenceFor(
  log: NonNullable<ClusterWide['authenticatorLog']>,
  who: LogIdentity,
): AuthenticatorLogEvidence {
  return {
    ...log.read,
    ...(log.awsAuthLoads?.length ? { awsAuthLoads: log.awsAuthLoads } : {}),
    decisions: decisionsFor(log.decisions, who)
      .slice(0, MAX_DECISIONS)
      .map((d) => ({
        ...d,
        ...(d.accessKeyId ? { accessKeyId: maskAccessKeyId(d.accessKeyId) } : {}),
        // An STS error body quoted in the error may carry a key id or a presigned URL.
        ...(d.error !== undefined ? { error: redactSecrets(d.error) } : {}),
      })),
  };
}
