import type { AccessEntry, AssociatedAccessPolicy } from '../model/evidence.js';
import { fail, ok, type Result } from '../model/result.js';
import { isObject, listOf, str, strings, timestamp } from './json-shapes.js';

/** A JSON array of DescribeAccessEntry `accessEntry` objects, each optionally with its policies. */
export function accessEntriesFromJson(json: unknown): Result<AccessEntry[]> {
  const items = listOf(json, 'accessEntry', 'accessEntries');
  if (!items) return fail('expected a JSON array of access entries (DescribeAccessEntry "accessEntry" objects)');
  const entries: AccessEntry[] = [];
  for (const [index, item] of items.entries()) {
    if (!isObject(item) || typeof item.principalArn !== 'string')
      return fail(`access entry ${index} has no "principalArn"`);
    const entry: AccessEntry = {
      principalArn: item.principalArn,
      type: str(item.type) ?? 'STANDARD',
      kubernetesGroups: strings(item.kubernetesGroups),
    };
    const username = str(item.username);
    if (username !== undefined) entry.username = username;
    for (const field of ['createdAt', 'modifiedAt'] as const) {
      const value = timestamp(item[field]);
      if (value) entry[field] = value;
    }
    const arn = str(item.accessEntryArn);
    if (arn) entry.accessEntryArn = arn;
    if (item.associatedAccessPolicies !== undefined) {
      const policies = policiesFromJson(item.associatedAccessPolicies);
      if (!policies.ok) return fail(`access entry ${item.principalArn}: ${policies.error}`);
      entry.associatedAccessPolicies = policies.value;
    }
    entries.push(entry);
  }
  return ok(entries);
}

/** ListAssociatedAccessPolicies' `associatedAccessPolicies` (or the whole response). */
export function policiesFromJson(json: unknown): Result<AssociatedAccessPolicy[]> {
  const items = listOf(json, 'associatedAccessPolicy', 'associatedAccessPolicies');
  if (!items) return fail('expected a list of associated access policies');
  const policies: AssociatedAccessPolicy[] = [];
  for (const item of items) {
    if (!isObject(item) || typeof item.policyArn !== 'string')
      return fail('an associated access policy has no "policyArn"');
    const scope = isObject(item.accessScope) ? item.accessScope : {};
    const policy: AssociatedAccessPolicy = {
      policyArn: item.policyArn,
      accessScope: {
        type: scope.type === 'namespace' ? 'namespace' : 'cluster',
        namespaces: strings(scope.namespaces),
      },
    };
    const associatedAt = timestamp(item.associatedAt);
    if (associatedAt) policy.associatedAt = associatedAt;
    policies.push(policy);
  }
  return ok(policies);
}
