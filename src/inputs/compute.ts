import type { FargateProfile, Nodegroup } from '../model/evidence.js';
import { fail, ok, type Result } from '../model/result.js';
import { isObject, listOf, str } from './json-shapes.js';

/** A JSON array of DescribeNodegroup `nodegroup` objects. */
export function nodegroupsFromJson(json: unknown): Result<Nodegroup[]> {
  const items = listOf(json, 'nodegroup', 'nodegroups');
  if (!items) return fail('expected a JSON array of node groups (DescribeNodegroup "nodegroup" objects)');
  const groups: Nodegroup[] = [];
  for (const [index, item] of items.entries()) {
    if (!isObject(item) || typeof item.nodeRole !== 'string') return fail(`node group ${index} has no "nodeRole"`);
    const health = isObject(item.health) && Array.isArray(item.health.issues) ? item.health.issues : [];
    const group: Nodegroup = {
      nodegroupName: str(item.nodegroupName) ?? `nodegroup-${index}`,
      nodeRole: item.nodeRole,
      healthIssues: health
        .filter(isObject)
        .map((issue) => ({ code: str(issue.code) ?? '', message: str(issue.message) ?? '' })),
    };
    const amiType = str(item.amiType);
    const status = str(item.status);
    if (amiType) group.amiType = amiType;
    // Not an EKS field: lets a hand-made --nodegroups file describe self-managed node groups too.
    if (item.selfManaged === true) group.selfManaged = true;
    if (status) group.status = status;
    groups.push(group);
  }
  return ok(groups);
}

/** A JSON array of DescribeFargateProfile `fargateProfile` objects. */
export function fargateProfilesFromJson(json: unknown): Result<FargateProfile[]> {
  const items = listOf(json, 'fargateProfile', 'fargateProfiles');
  if (!items) return fail('expected a JSON array of Fargate profiles');
  const profiles: FargateProfile[] = [];
  for (const [index, item] of items.entries()) {
    if (!isObject(item) || typeof item.podExecutionRoleArn !== 'string')
      return fail(`Fargate profile ${index} has no "podExecutionRoleArn"`);
    profiles.push({
      fargateProfileName: str(item.fargateProfileName) ?? `profile-${index}`,
      podExecutionRoleArn: item.podExecutionRoleArn,
    });
  }
  return ok(profiles);
}
