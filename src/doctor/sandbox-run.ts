import type { Sandbox } from '../sandbox/sandbox.js';
import type { Scenario } from '../sandbox/scenario/types.js';
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
  const target = scenario.principals.find((p) => p.id === (scenario.expect.principal ?? scenario.defaultPrincipal));
  const creator = scenario.principals.find((p) => p.arn === cluster.creator?.principalArn);
  const trusts = (candidate: { arn: string; accountId: string } | undefined): boolean =>
    candidate !== undefined &&
    target !== undefined &&
    target.trustedPrincipals.some(
      (t) =>
        t === candidate.arn ||
        t === candidate.accountId ||
        t === `arn:${target.partition}:iam::${candidate.accountId}:root`,
    );
  const trusted = scenario.principals.find((p) => p.id !== target?.id && trusts(p));
  const operator =
    overrides.operator ??
    (target === undefined
      ? (creator?.id ?? scenario.defaultPrincipal)
      : trusts(creator) || target.type === 'user'
        ? (creator?.id ?? target.id)
        : (trusted?.id ?? creator?.id ?? target.id));
  if (!operator || !scenario.principals.some((p) => p.id === operator))
    return `no principal '${operator ?? ''}' in scenario ${scenario.name}`;
  const assumable =
    target?.type === 'role' &&
    target.id !== operator &&
    (overrides.operator !== undefined || trusts(scenario.principals.find((p) => p.id === operator)));
  const roleArn = overrides.roleArn ?? (assumable ? target.arn : undefined);
  // A user, or a role the operator may not assume, is diagnosed with its own credentials (--target-profile).
  const targetPrincipal = !roleArn && target && target.id !== operator ? target.id : undefined;
  return {
    cluster: cluster.name,
    // The region the story's engineer has configured, which may not be the cluster's.
    region: scenario.clientRegion ?? cluster.region,
    operator,
    ...(roleArn ? { roleArn } : {}),
    ...(targetPrincipal ? { targetPrincipal } : {}),
    ...(target?.type === 'role' && roleArn === target.arn ? { sessionName: target.sessionName } : {}),
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
  };
}
