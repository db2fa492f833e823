import type { Sandbox } from '../sandbox/sandbox.js';
import type { Scenario } from '../sandbox/scenario/types.js';
import type { AccessSample } from '../collect/probe.js';
import { sampleFromRequest } from './can-spec.js';
import type { DoctorRequest } from './request.js';

export interface SandboxTarget {
  cluster: string;
  region: string;
  /** The scenario principal whose credentials the operator runs with. */
  operator: string;
  /** The role to diagnose, when the operator may assume it. */
  roleArn?: string;
  /** The principal to diagnose with its own credentials, when nobody in the story may assume it. */
  targetPrincipal?: string;
  sessionName?: string;
  /** The request the story's principal makes, asked as an access review. */
  accessSamples?: AccessSample[];
}

/**
 * Who plays whom when doctor runs against a scenario: the operator is the cluster's creator when
 * there is one (it can usually still read aws-auth), or the scenario's principal when that is a
 * user; the principal the story is about is diagnosed through --role-arn.
 */
export function sandboxTarget(
  scenario: Scenario,
  overrides: { cluster?: string; operator?: string; roleArn?: string },
): SandboxTarget | string {
  const cluster = scenario.clusters.find((c) => c.name === overrides.cluster) ?? scenario.clusters[0];
  if (!cluster) return `scenario ${scenario.name} has no cluster`;
  const byId = (id: string | undefined) => scenario.principals.find((p) => p.id === id);
  const story = byId(scenario.expect.principal ?? scenario.defaultPrincipal);
  const creator = scenario.principals.find((p) => p.arn === cluster.creator?.principalArn);
  const request = scenario.expect.probe
    ? sampleFromRequest(scenario.expect.probe.method, scenario.expect.probe.path)
    : undefined;
  const base = {
    cluster: cluster.name,
    // The region the story's engineer has configured, which may not be the cluster's.
    region: scenario.clientRegion ?? cluster.region,
    ...(request ? { accessSamples: [request] } : {}),
  };
  // "X tries to assume R": X runs doctor with --role-arn R.
  const assumed = byId(scenario.expect.assumes);
  if (story && assumed) {
    return {
      ...base,
      operator: overrides.operator ?? story.id,
      roleArn: overrides.roleArn ?? assumed.arn,
      sessionName: assumed.sessionName,
    };
  }
  const trusts = (candidate: { arn: string; accountId: string } | undefined): boolean =>
    candidate !== undefined &&
    story !== undefined &&
    story.trustedPrincipals.some(
      (t) =>
        t === candidate.arn ||
        t === candidate.accountId ||
        t === `arn:${story.partition}:iam::${candidate.accountId}:root`,
    );
  const trusted = scenario.principals.find((p) => p.id !== story?.id && trusts(p));
  // The operator reads cluster state: the creator when it may assume the story's role, else someone who may.
  const operator =
    overrides.operator ??
    (story === undefined
      ? (creator?.id ?? scenario.defaultPrincipal)
      : trusts(creator) || story.type === 'user'
        ? (creator?.id ?? story.id)
        : (trusted?.id ?? creator?.id ?? story.id));
  if (!operator || !byId(operator)) return `no principal '${operator ?? ''}' in scenario ${scenario.name}`;
  const assumable =
    story?.type === 'role' && story.id !== operator && (overrides.operator !== undefined || trusts(byId(operator)));
  const roleArn = overrides.roleArn ?? (assumable ? story.arn : undefined);
  // A user, or a role the operator may not assume, is diagnosed with its own credentials (--target-profile).
  const targetPrincipal = !roleArn && story && story.id !== operator ? story.id : undefined;
  return {
    ...base,
    operator,
    ...(roleArn ? { roleArn } : {}),
    ...(targetPrincipal ? { targetPrincipal } : {}),
    ...(story?.type === 'role' && roleArn === story.arn ? { sessionName: story.sessionName } : {}),
  };
}

/** The environment a user would have after sourcing the sandbox's env file: nothing of the real machine. */
export function sandboxEnv(sandbox: Sandbox, operator: string): Record<string, string> {
  const none = `${sandbox.dir}/none`;
  return { ...sandbox.envFor(operator), HOME: sandbox.dir, AWS_CONFIG_FILE: none, AWS_SHARED_CREDENTIALS_FILE: none };
}

export function sandboxRequest(
  sandbox: Sandbox,
  target: SandboxTarget,
  base: Pick<DoctorRequest, 'timeoutMs' | 'now'> & Partial<DoctorRequest>,
): DoctorRequest {
  return {
    sessionName: target.sessionName ?? 'EKSGetTokenAuth',
    ...base,
    cluster: target.cluster,
    // Like a user who sourced the env file: the region comes from AWS_REGION unless --region says otherwise.
    ...(base.region ? { region: base.region } : {}),
    env: sandboxEnv(sandbox, target.operator),
    ...(target.roleArn ? { roleArn: target.roleArn } : {}),
    ...(target.targetPrincipal ? { targetEnv: sandboxEnv(sandbox, target.targetPrincipal) } : {}),
    ...(target.accessSamples ? { accessSamples: [...(base.accessSamples ?? []), ...target.accessSamples] } : {}),
  };
}
