import type { AwsContext } from '../collect/aws-context.js';
import { collectCaller } from '../collect/sts.js';
import { awsContextFor } from '../doctor/live-context.js';
import { sandboxEnv } from '../doctor/sandbox-run.js';
import { sameArn } from '../model/arn.js';
import { principalFromArn } from '../model/principal.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { ScenarioPrincipal } from '../sandbox/scenario/types.js';
import { DEFAULT_SESSION_NAME } from '../token/assume-role.js';
import type { Env } from '../token/aws-config.js';
import type { PrincipalExpectation } from './expectations.js';
import type { PrincipalPlan, ResolveTarget } from './run.js';

/** A context for credentials of a profile, reading the cluster in the operator's region. */
async function profileContext(env: Env, profile: string, context: AwsContext): Promise<AwsContext> {
  return awsContextFor({
    // Static keys in the environment would win over the profile: the principal is the profile's.
    env: {
      ...env,
      AWS_PROFILE: profile,
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_SESSION_TOKEN: undefined,
    },
    region: context.region,
    profile,
    timeoutMs: context.timeoutMs,
  });
}

/**
 * Live: roles are assumed as `aws eks get-token --role-arn` does; `profile:` principals sign with
 * their own credentials; a user ARN can only be probed when it is the operator itself (users
 * cannot be assumed), otherwise it is predicted by the model and says so.
 */
export function liveResolver(env: Env): ResolveTarget {
  let operator: Promise<string | undefined> | undefined;
  return async (expectation: PrincipalExpectation, context: AwsContext): Promise<PrincipalPlan> => {
    if (expectation.profile)
      return {
        kind: 'probe',
        target: { kind: 'credentials', context: await profileContext(env, expectation.profile, context) },
      };
    const arn = expectation.arn ?? '';
    const principal = principalFromArn(arn, expectation.sessionName);
    if (!principal.ok) return { kind: 'predict', arn, reason: principal.error };
    if (principal.value.kind === 'role') {
      // An assumed-role ARN has no path; the IAM ARN the user wrote keeps it, and AssumeRole needs it.
      const roleArn = arn.includes(':iam::') ? arn : principal.value.canonicalArn;
      return {
        kind: 'probe',
        target: { kind: 'assume', roleArn, sessionName: expectation.sessionName ?? DEFAULT_SESSION_NAME },
      };
    }
    operator ??= collectCaller(context).then(
      (c) => c.arn,
      () => undefined,
    );
    const self = await operator;
    const selfPrincipal = self ? principalFromArn(self) : undefined;
    if (selfPrincipal?.ok && sameArn(selfPrincipal.value.canonicalArn, principal.value.canonicalArn))
      return { kind: 'probe', target: { kind: 'self' } };
    return {
      kind: 'predict',
      arn,
      reason: 'an IAM user cannot be assumed: give `profile:` with its credentials to probe it',
    };
  };
}

/**
 * Sandbox: the operator assumes the roles that trust it (with the expectation's session name);
 * every other scenario principal is probed with the credentials the sandbox issues it, as a user
 * with its env file would. `profile: ID` names a scenario principal. A principal the scenario
 * does not know is tried as live would be (AssumeRole is refused) and then predicted.
 */
export function sandboxResolver(sandbox: Sandbox, operatorId: string): ResolveTarget {
  const operator = sandbox.scenario.principals.find((p) => p.id === operatorId);
  const trustsOperator = (role: ScenarioPrincipal): boolean =>
    operator !== undefined &&
    role.trustedPrincipals.some(
      (t) =>
        t === operator.arn ||
        t === operator.id ||
        t === operator.accountId ||
        t === `arn:${role.partition}:iam::${operator.accountId}:root`,
    );
  const ownCredentials = async (id: string, context: AwsContext): Promise<PrincipalPlan> => ({
    kind: 'probe',
    target: {
      kind: 'credentials',
      context: await awsContextFor({
        env: sandboxEnv(sandbox, id),
        region: context.region,
        timeoutMs: context.timeoutMs,
      }),
    },
  });
  return async (expectation, context) => {
    if (expectation.profile) {
      if (!sandbox.scenario.principals.some((p) => p.id === expectation.profile))
        return {
          kind: 'predict',
          arn: expectation.arn ?? expectation.label,
          reason: `no principal '${expectation.profile}' in scenario ${sandbox.scenario.name}`,
        };
      return ownCredentials(expectation.profile, context);
    }
    const arn = expectation.arn ?? '';
    const principal = principalFromArn(arn, expectation.sessionName);
    if (!principal.ok) return { kind: 'predict', arn, reason: principal.error };
    const known = sandbox.scenario.principals.find((p) => {
      const candidate = principalFromArn(p.arn);
      return candidate.ok && sameArn(candidate.value.canonicalArn, principal.value.canonicalArn);
    });
    if (known?.type === 'role' && known.id !== operatorId && trustsOperator(known))
      return {
        kind: 'probe',
        target: { kind: 'assume', roleArn: known.arn, sessionName: expectation.sessionName ?? known.sessionName },
      };
    if (known) return ownCredentials(known.id, context);
    if (principal.value.kind === 'role')
      return {
        kind: 'probe',
        target: { kind: 'assume', roleArn: arn, sessionName: expectation.sessionName ?? DEFAULT_SESSION_NAME },
      };
    return { kind: 'predict', arn, reason: 'an IAM user cannot be assumed, and the scenario has no such user' };
  };
}

/** Who runs verify in the sandbox: the cluster creator (it can read aws-auth), else the scenario's default. */
export function sandboxOperator(sandbox: Sandbox, override?: string): string | undefined {
  const scenario = sandbox.scenario;
  if (override) return scenario.principals.some((p) => p.id === override) ? override : undefined;
  const creatorArn = scenario.clusters[0]?.creator?.principalArn;
  return (
    scenario.principals.find((p) => p.arn === creatorArn)?.id ?? scenario.defaultPrincipal ?? scenario.principals[0]?.id
  );
}
