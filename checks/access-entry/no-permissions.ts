import { comment } from '../../src/core/command.js';
import { EKSCTL_CANNOT_ASSOCIATE } from '../_fix.js';
import { effectiveEntryUsername, isNodeEntryType } from '../../src/model/access-entries.js';
import { defineCheck, type Hit } from '../../src/core/types.js';
import { clusterNameOf } from '../../src/core/fix-format.js';
import { boundGroups, boundUsers, isGroupBound } from '../rbac/bindings.js';
import { deniedRequests, entryGrantSteps } from '../rbac/_grant.js';
import { terraformBlock, associateCommand } from './commands.js';
import { accessEntriesIgnored } from '../mode/resolve.js';

type Message = 'noPermissions' | 'groupsUnbound' | 'policiesNotListed';

const RISKS = [
  'Pick the narrowest policy that does the job: AmazonEKSClusterAdminPolicy at cluster scope equals `system:masters` (every verb on every resource).',
  'A namespace scope limits the policy to those namespaces and leaves out every cluster-scoped resource (nodes, namespaces, CRDs).',
  "`kubectl auth can-i --list` and impersonation (`--as`) do not show access-policy permissions; test with the principal's own credentials.",
  'Access-entry changes are eventually consistent: allow a few seconds before testing.',
];

const fixFor = (extra: string) => ({
  kubectl: extra,
  eksctl: '{eksctl}',
  aws: '{aws}',
  terraform: '{terraform}',
  risks: RISKS,
});

export default defineCheck<Message>({
  meta: {
    id: 'access-entry/no-permissions',
    title: 'An access entry has no access policy and no bound group',
    severity: 'error',
    stage: 'authentication',
    ref: 'C32',
    needs: ['accessEntries'],
    messages: {
      noPermissions: {
        text: 'The access entry for {arn} has no access policy and no Kubernetes group: {arn} authenticates as {username} and then gets 403 Forbidden for everything but API discovery.',
        remediation:
          'Associate an access policy with the entry for {arn}, or give it a group that a RoleBinding or ClusterRoleBinding names.',
        fix: { risks: RISKS },
      },
      groupsUnbound: {
        text: 'The access entry for {arn} has no access policy, and its groups {groups} are named by no RoleBinding or ClusterRoleBinding: {arn} authenticates as {username} and then gets 403 Forbidden for everything but API discovery.',
        remediation: 'Bind the groups {groups} with RBAC, or associate an access policy with the entry for {arn}.',
        fix: { risks: RISKS },
      },
      policiesNotListed: {
        severity: 'info',
        text: 'The access entry for {arn} has no Kubernetes group, and its access policies were not listed: if it has none, {arn} gets 403 Forbidden for everything but API discovery.',
        remediation:
          'List the policies with `aws eks list-associated-access-policies --cluster-name {cluster} --principal-arn {arn}` and associate one if the list is empty.',
        fix: fixFor('# kubectl cannot list access policies.'),
      },
    },
  },
  run({ evidence, simulation }) {
    if (accessEntriesIgnored(evidence)) return [];
    const hits: Hit<Message>[] = [];
    const cluster = clusterNameOf(evidence);
    const groups = evidence.rbac ? boundGroups(evidence.rbac) : undefined;
    const users = evidence.rbac ? boundUsers(evidence.rbac) : undefined;
    for (const entry of evidence.accessEntries ?? []) {
      if (isNodeEntryType(entry.type)) continue;
      const policies = entry.associatedAccessPolicies;
      const isPrincipals =
        simulation !== undefined && simulation.principalEntry === entry && simulation.via?.kind === 'access-entry';
      const username =
        isPrincipals && simulation.decision.username !== null
          ? simulation.decision.username
          : effectiveEntryUsername(entry);
      let messageId: Message | undefined;
      if (entry.kubernetesGroups.length === 0)
        messageId = policies === undefined ? 'policiesNotListed' : policies.length === 0 ? 'noPermissions' : undefined;
      else if (policies !== undefined && policies.length === 0 && groups && users) {
        const allUnbound = entry.kubernetesGroups.every((g) => !isGroupBound(g, groups));
        if (allUnbound && !users.has(username)) messageId = 'groupsUnbound';
      }
      if (!messageId) continue;
      hits.push({
        messageId,
        subject: { kind: 'access-entry', name: entry.principalArn },
        affectsPrincipal:
          isPrincipals &&
          messageId !== 'policiesNotListed' &&
          (messageId === 'groupsUnbound' || simulation.authorization.likelyForbidden),
        // A group on the entry (one eksauth names when it has none) granted exactly what was refused.
        ...(messageId !== 'policiesNotListed'
          ? {
              fix: entryGrantSteps(
                evidence,
                simulation,
                entry,
                isPrincipals && evidence.probe ? deniedRequests(evidence.probe) : [],
                username,
              ),
            }
          : {}),
        data: {
          arn: entry.principalArn,
          cluster,
          username,
          groups: entry.kubernetesGroups.join(', '),
          aws: [
            comment(
              'Read-only; for more use AmazonEKSEditPolicy, AmazonEKSAdminPolicy or AmazonEKSClusterAdminPolicy:',
            ),
            ...associateCommand(evidence, entry.principalArn, 'AmazonEKSViewPolicy'),
          ],
          // The entry exists: eksctl cannot add a policy to it.
          eksctl: [comment(EKSCTL_CANNOT_ASSOCIATE)],
          terraform: terraformBlock([
            { principalArn: entry.principalArn, type: 'STANDARD', groups: [], policies: ['AmazonEKSViewPolicy'] },
          ]),
        },
      });
    }
    return hits;
  },
});
