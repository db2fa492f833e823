import { parseAwsAuth } from '../../src/model/aws-auth/parse.js';
import type { AccessEntry, AuthenticationMode, Evidence } from '../../src/model/evidence.js';
import { principalFromArn } from '../../src/model/principal.js';
import { simulate } from '../../src/model/simulate.js';
import type { CheckContext } from '../../src/core/types.js';

export const ACCOUNT = '111122223333';

/** Parses an aws-auth ConfigMap given just its data blocks. */
export function awsAuthFrom(data: { mapRoles?: string; mapUsers?: string; mapAccounts?: string }): Evidence['awsAuth'] {
  const doc = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace: 'kube-system' }, data };
  const parsed = parseAwsAuth(JSON.stringify(doc, null, 2));
  if (!parsed.ok) throw new Error(parsed.error);
  return { state: 'present', configMap: parsed.value };
}

/** Parses a whole ConfigMap file text. */
export function awsAuthFromText(text: string): Evidence['awsAuth'] {
  const parsed = parseAwsAuth(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return { state: 'present', configMap: parsed.value };
}

export function principal(arn: string, sessionName?: string): NonNullable<Evidence['principal']> {
  const parsed = principalFromArn(arn, sessionName);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

/** Cluster `prod` in eu-west-1 of ACCOUNT, in the given mode. */
export const clusterIn = (authenticationMode: AuthenticationMode): Evidence['cluster'] => ({
  name: 'prod',
  region: 'eu-west-1',
  accountId: ACCOUNT,
  authenticationMode,
});

export function entry(principalArn: string, fields: Partial<AccessEntry> = {}): AccessEntry {
  return { principalArn, type: 'STANDARD', kubernetesGroups: [], associatedAccessPolicies: [], ...fields };
}

/** The context a check sees: evidence, plus the simulation when a principal is set. */
export function contextFor(evidence: Evidence): CheckContext {
  return evidence.principal ? { evidence, simulation: simulate(evidence.principal, evidence) } : { evidence };
}
