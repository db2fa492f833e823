import { creatorSourceWords } from '../model/principal.js';
import { CHECKS } from '../../checks/index.js';
import { diagnoseWithSimulation, rediagnosis, simulationGaps } from '../core/diagnose.js';
import { combineAwsAuthPatches } from '../core/fix-plan-aws-auth.js';
import { renderScript, script } from '../core/command.js';
import { pickRootCause } from '../core/run-checks.js';
import { planFix } from '../core/fix-plan.js';
import type { Report } from '../core/report.js';
import { decideVerdict, type Gap } from '../core/verdict.js';
import { principalArnOf, sameArn } from '../model/arn.js';
import type { Evidence } from '../model/evidence.js';
import { networkError } from '../model/network-path.js';
import type { Simulation } from '../model/simulate.js';
import type { TraceStep } from '../model/trace.js';
import { maskReviewExtra } from '../core/redact.js';
import { usernamesAgree } from '../logs/compare.js';
import { authenticatorGap, buildTimeline, logsSection } from './log-report.js';

/**
 * The doctor's report: the live steps EKS's request goes through before authentication (who,
 * token, reachability), the model's authentication and authorization trace, and what the API
 * server really answered, with any disagreement between prediction and observation spelled out.
 */
export function buildDoctorReport(evidence: Evidence, cluster: string): Report {
  const { report, simulation } = diagnoseWithSimulation('doctor', evidence, CHECKS);
  const observed = observedOutcome(evidence);
  report.observed = observed;
  const review = evidence.probe?.selfSubjectReview;
  if (review) {
    // The collector masks the access key id; evidence files written by older versions may not have.
    report.selfSubjectReview = { ...review, ...(review.extra ? { extra: maskReviewExtra(review.extra) } : {}) };
  }
  const liveSteps = clientAndReachabilitySteps(evidence, cluster);
  // Before authentication (credentials, token, reachability) an error blocks whoever is asking.
  report.rootCause = pickRootCause(report.findings, true);
  const fix = planFix(report.findings, report.rootCause, true);
  if (fix) report.fix = combineAwsAuthPatches(fix, evidence, rediagnosis(CHECKS));
  else delete report.fix;
  const comparison = compareWithObservation(report, evidence);
  report.steps = [
    ...liveSteps,
    ...(evidence.principal ? (report.steps ?? []) : []),
    ...(comparison ? [comparison] : []),
  ];
  if (!evidence.principal) {
    report.steps.push({
      stage: 'authentication',
      title: 'Simulation',
      status: 'skip',
      detail: `the principal is unknown: ${evidence.unavailable?.caller ?? evidence.unavailable?.assumeRole ?? 'no identity'}`,
    });
  }
  const access = requestedAccess(evidence, report);
  if (access.length > 0) report.access = access;
  const logs = logsSection(evidence, report.decision, cluster);
  report.logs = logs;
  const logStep = authenticatorStep(logs);
  if (logStep) {
    // With the other authentication steps, before authorization: what EKS said beside what the model says.
    const at = report.steps.findIndex((step) => step.stage === 'authorization');
    report.steps.splice(at < 0 ? report.steps.length : at, 0, logStep);
  }
  const timeline = buildTimeline(evidence, evidence.principal?.canonicalArn);
  if (timeline.length > 0) report.timeline = timeline;
  const gaps = liveGaps(evidence, simulation, cluster);
  // Only where the logs are what is missing: a 401 that no check explains.
  const unexplained401 = observed.status === 401 && report.rootCause === null && report.determined !== false;
  const logGap = unexplained401 ? authenticatorGap(logs) : undefined;
  report.verdict = decideVerdict(report, logGap ? [...gaps, logGap] : gaps);
  return report;
}

/** The `--can` answers: allowed or denied, with the API server's reason, or the rule that is missing. */
function requestedAccess(evidence: Evidence, report: Report): NonNullable<Report['access']> {
  const reviews = (evidence.probe?.accessReviews ?? []).filter((r) => r.requested);
  const review = report.selfSubjectReview;
  const user = review?.username ?? report.decision?.username ?? 'the principal';
  const groups = review?.groups ?? report.decision?.groups ?? [];
  return reviews.map((r) => ({
    request: `${r.verb} ${r.resource}${r.group ? `.${r.group}` : ''}${r.namespace ? ` -n ${r.namespace}` : ' (cluster-wide)'}`,
    allowed: r.allowed,
    rule: r.allowed
      ? r.reason || 'allowed (the API server gave no reason)'
      : `no rule grants it: no RoleBinding or ClusterRoleBinding for "${user}"${groups.length > 0 ? ` or its groups [${groups.join(', ')}]` : ''}, and no access policy, allows it${r.reason ? ` (${r.reason})` : ''}`,
  }));
}

/** What a live run could not read, why, and the exact way to get it. */
function liveGaps(evidence: Evidence, simulation: Simulation | undefined, cluster: string): Gap[] {
  const gaps = simulationGaps(evidence, simulation, {
    cluster: `run again once eks:DescribeCluster answers${evidence.failures?.cluster?.code === 'access-denied' ? ', from an identity allowed eks:DescribeCluster on the cluster' : ''}; offline, \`eksauth explain --mode MODE\` with the mode you know`,
    accessEntries:
      'give the operator eks:ListAccessEntries, eks:DescribeAccessEntry and eks:ListAssociatedAccessPolicies on the cluster, or run doctor with --profile of an identity that has them',
  });
  const awsAuth = gaps.find((gap) => gap.what === 'the aws-auth ConfigMap');
  if (awsAuth) Object.assign(awsAuth, completeFrom(evidence, cluster));
  if (!evidence.principal)
    gaps.push({
      what: 'who the principal is',
      why: evidence.unavailable?.caller ?? evidence.unavailable?.assumeRole ?? 'no identity could be read',
      how: 'fix the credentials named above, or name the principal with --role-arn or --target-profile',
    });
  return gaps;
}

/**
 * The command that completes a diagnosis from an identity that can read the cluster (the creator,
 * when CloudTrail names it), diagnosing the same principal, rendered by the one argv builder.
 */
export function completeFrom(evidence: Evidence, cluster: string): { how: string; command: string } {
  const principal = evidence.principal;
  const region = evidence.cluster?.region ?? evidence.clusterLookup?.region;
  const argv = ['eksauth', 'doctor', '--cluster', cluster, ...(region ? ['--region', region] : [])];
  const creator = evidence.creator;
  // The creator helps only when it is neither the principal nor the operator that just failed to read.
  const creatorHelps =
    creator !== undefined &&
    ![principal?.canonicalArn, evidence.caller?.arn].some(
      (arn) => arn !== undefined && sameArn(principalArnOf(arn), principalArnOf(creator.arn)),
    );
  argv.push('--profile', creatorHelps ? 'CREATOR_PROFILE' : 'ADMIN_PROFILE');
  if (principal?.kind === 'role') argv.push('--role-arn', principal.iamArn);
  else if (evidence.credentialEnv?.profile) argv.push('--target-profile', evidence.credentialEnv.profile);
  const who =
    creator && creatorHelps
      ? `the cluster creator ${creator.arn} (${creatorSourceWords(creator)}), as CREATOR_PROFILE`
      : 'an identity that can read kube-system/aws-auth (cluster admin), as ADMIN_PROFILE';
  return {
    how: `run doctor again from ${who}, diagnosing the same principal`,
    command: renderScript(script({ argv })),
  };
}

function observedOutcome(evidence: Evidence): { status: number | null; error: string | null } {
  if (evidence.probe) return { status: evidence.probe.status, error: evidence.probe.error };
  const network = evidence.network;
  if (network && !network.tls?.ok) return { status: null, error: networkError(network) };
  return { status: null, error: evidence.unavailable?.probe ?? null };
}

function clientAndReachabilitySteps(evidence: Evidence, cluster: string): TraceStep[] {
  const steps: TraceStep[] = [];
  const caller = evidence.caller;
  steps.push(
    caller
      ? {
          stage: 'client',
          title: 'Caller identity',
          status: 'pass',
          detail: `${caller.arn} (credentials from ${caller.credentialSource})`,
        }
      : {
          stage: 'client',
          title: 'Caller identity',
          status: 'fail',
          detail: `could not tell: ${evidence.unavailable?.caller ?? 'unknown'}`,
        },
  );
  if (evidence.targetCaller) {
    steps.push({
      stage: 'client',
      title: 'Target identity',
      status: 'pass',
      detail: `${evidence.targetCaller.arn} (credentials from ${evidence.targetCaller.credentialSource})`,
    });
  } else if (evidence.unavailable?.targetCaller) {
    steps.push({
      stage: 'client',
      title: 'Target identity',
      status: 'fail',
      detail: evidence.unavailable.targetCaller,
    });
  }
  const assumed = evidence.assumeRole;
  if (assumed) {
    steps.push(
      assumed.outcome === 'assumed'
        ? {
            stage: 'client',
            title: 'Assume the role',
            status: 'pass',
            detail: `${assumed.sessionArn} (session "${assumed.sessionName}")`,
          }
        : {
            stage: 'client',
            title: 'Assume the role',
            status: 'fail',
            detail: `${assumed.roleArn}: ${assumed.code}: ${assumed.message}`,
          },
    );
  }
  const kubeconfig = kubeconfigStep(evidence);
  if (kubeconfig) steps.push(kubeconfig);
  const lookup = evidence.clusterLookup;
  const info = evidence.cluster;
  if (info) {
    const access =
      [info.endpointPublicAccess ? 'public' : '', info.endpointPrivateAccess ? 'private' : '']
        .filter(Boolean)
        .join('+') || 'unknown';
    steps.push({
      stage: 'reachability',
      title: 'Describe the cluster',
      status: info.status === 'ACTIVE' ? 'pass' : 'fail',
      detail: `${cluster} in ${info.region ?? lookup?.region ?? ''}: ${info.status ?? 'unknown status'}, Kubernetes ${info.version ?? '?'}, ${info.authenticationMode ?? 'CONFIG_MAP'}, endpoint ${access}`,
    });
  } else {
    steps.push({
      stage: 'reachability',
      title: 'Describe the cluster',
      status: 'fail',
      detail: `${cluster} in ${lookup?.region ?? '?'} (region from ${lookup?.regionSource ?? '?'}): ${(evidence.unavailable?.cluster ?? 'not found').replace(/\.$/, '')}${
        lookup?.foundInRegions?.length ? `; a cluster of that name exists in ${lookup.foundInRegions.join(', ')}` : ''
      }`,
    });
  }
  const network = evidence.network;
  if (network) {
    const ok = network.tls?.ok === true;
    const path = network.proxy
      ? `through proxy ${network.proxy.url} (${network.proxy.source}); CONNECT ${network.proxy.connect.ms ?? 0} ms`
      : `→ ${network.dns.addresses?.join(', ') ?? ''}; TCP ${network.tcp?.ms ?? 0} ms`;
    const detail = ok
      ? `${network.host}:${network.port} ${path}, TLS against the cluster CA ${network.tls?.ms ?? 0} ms`
      : networkError(network);
    steps.push({ stage: 'reachability', title: 'Network path', status: ok ? 'pass' : 'fail', detail });
  }
  const probe = evidence.probe;
  if (probe) {
    const who = probe.selfSubjectReview
      ? `; the cluster sees "${probe.selfSubjectReview.username}" [${probe.selfSubjectReview.groups.join(', ')}]`
      : '';
    const status = probe.status === 200 ? 'pass' : probe.status === 403 ? 'warn' : 'fail';
    steps.push({
      stage: 'reachability',
      title: 'API server answers the token',
      status,
      detail: `GET /version → ${probe.status ?? 'no answer'}${probe.error && probe.status !== 200 ? ` (${probe.error})` : ''}${who}`,
    });
  }
  return steps;
}

/**
 * The kubeconfig as kubectl loads it: a file kubectl refuses is named, as kubectl names it; else the
 * context for this cluster and what `kubectl auth whoami` answers for its user. The context's user
 * may not be the principal diagnosed, so its answer warns rather than decides.
 */
function kubeconfigStep(evidence: Evidence): TraceStep | undefined {
  if (evidence.failures?.kubeconfig?.code === 'invalid')
    return { stage: 'client', title: 'Kubeconfig', status: 'warn', detail: evidence.failures.kubeconfig.message };
  const facts = evidence.kubeconfig;
  if (!facts) return undefined;
  const context = `context ${facts.context}${facts.user ? ` (user ${facts.user}, ${facts.credential ?? 'none'})` : ''}`;
  const whoami = facts.whoami;
  if (!whoami) return { stage: 'client', title: 'Kubeconfig', status: 'pass', detail: context };
  if ('username' in whoami)
    return {
      stage: 'client',
      title: 'Kubeconfig',
      status: 'pass',
      detail: `${context}; kubectl auth whoami: "${whoami.username}" [${whoami.groups.join(', ')}]`,
    };
  return {
    stage: 'client',
    title: 'Kubeconfig',
    status: 'warn',
    detail: `${context}; kubectl auth whoami: ${whoami.status !== undefined ? `HTTP ${whoami.status}: ` : ''}${whoami.error}`,
  };
}

/** The authenticator's own latest verdict beside the model's, as one step of the trace. */
function authenticatorStep(logs: NonNullable<Report['logs']>): TraceStep | undefined {
  const section = logs.authenticator;
  if (section.state !== 'read' || !section.latest) return undefined;
  const latest = section.latest;
  const said =
    latest.outcome === 'granted'
      ? `granted as "${latest.username ?? ''}" [${(latest.groups ?? []).join(', ')}]`
      : `denied: "${latest.error ?? ''}"${latest.explainedBy ? ` (${latest.explainedBy})` : ''}`;
  return {
    stage: 'authentication',
    title: 'Authenticator log',
    status: section.agreement === 'disagree' ? 'warn' : section.agreement === 'agree' ? 'pass' : 'skip',
    detail: `${latest.time}: ${said}; ${section.summary ?? ''}`,
  };
}

/** A disagreement between the model and the cluster is reported, never hidden. */
function compareWithObservation(report: Report, evidence: Evidence): TraceStep | undefined {
  const probe = evidence.probe;
  if (!probe || probe.status === null || !report.decision) return undefined;
  const observedAuthenticated = probe.status !== 401;
  const predicted = report.decision.authenticated;
  const review = probe.selfSubjectReview;
  const cause = report.findings.find((f) => f.checkId === report.rootCause);
  if (predicted && !observedAuthenticated && cause && (cause.stage === 'client' || cause.stage === 'token')) {
    // The mapping is fine; the token never got that far.
    return {
      stage: 'authorization',
      title: 'Prediction vs observation',
      status: 'warn',
      detail: `the mapping authenticates this principal, but the cluster answered ${probe.status} before consulting it: the token itself is refused (${cause.checkId}, above)`,
    };
  }
  if (predicted !== observedAuthenticated) {
    return {
      stage: 'authorization',
      title: 'Prediction vs observation',
      status: 'warn',
      detail: `DISAGREE: the model predicts ${predicted ? 'authenticated' : '401'}, the cluster answered ${probe.status}. Something eksauth could not see differs (a re-created principal, a token for another cluster, eventual consistency of a recent change, or an unread source).`,
    };
  }
  if (
    review &&
    predicted &&
    report.decision.username !== null &&
    !usernamesAgree(report.decision.username, review.username)
  ) {
    return {
      stage: 'authorization',
      title: 'Prediction vs observation',
      status: 'warn',
      detail: `authenticated as predicted, but the cluster says username "${review.username}" where the model says "${report.decision.username}"`,
    };
  }
  return {
    stage: 'authorization',
    title: 'Prediction vs observation',
    status: 'pass',
    detail: `agree: ${predicted ? `authenticated${review ? ` as "${review.username}"` : ''}` : '401 Unauthorized'}`,
  };
}
