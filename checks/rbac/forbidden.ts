import { script } from '../../src/core/command.js';
import { eksctl, fixTarget } from '../../src/core/fix-target.js';
import { describePolicy } from '../../src/model/access-entries.js';
import type { Evidence } from '../../src/model/evidence.js';
import { defineCheck, type CheckContext } from '../../src/core/types.js';

import { liveClusterName, liveRegion } from '../identity/_live-shared.js';
import { ANONYMOUS } from '../client/anonymous.js';
import { bindingRef, isBuiltInGroup } from './bindings.js';

type Message = 'forbidden' | 'requestDenied' | 'allDenied' | 'someDenied';

const VIEW_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';

const FIX = {
  kubectl:
    'kubectl create clusterrolebinding {bindingName} --clusterrole=view {subjectFlag}\nkubectl auth can-i --list --as={usernameShell}{asGroups}   # RBAC only: access policies are not shown',
  eksctl: '{eksctlFix}',
  aws: `# API modes: an access policy instead of RBAC (the principal needs an access entry)\naws eks associate-access-policy --cluster-name {cluster} --region {region} --principal-arn {entryArn} --policy-arn {viewPolicy} --access-scope type=cluster`,
  terraform:
    '# hashicorp/kubernetes provider\nresource "kubernetes_cluster_role_binding_v1" "{resourceName}" {\n  metadata { name = "{bindingName}" }\n  role_ref {\n    api_group = "rbac.authorization.k8s.io"\n    kind      = "ClusterRole"\n    name      = "view"\n  }\n  subject {\n    kind      = "{subjectKind}"\n    name      = "{subjectName}"\n    api_group = "rbac.authorization.k8s.io"\n  }\n}',
  risks: [
    'Grant the narrowest role that does the job: `view` reads, `edit` writes, `cluster-admin` is everything; a RoleBinding (or a namespace-scoped access policy) limits it to one namespace.',
    'Bind groups rather than usernames: usernames from `{{SessionName}}` templates change with every session.',
    '`kubectl auth can-i --list` and SelfSubjectRulesReview leave out access-policy permissions on EKS: never conclude "no permissions" from them alone.',
  ],
};

export default defineCheck<Message>({
  meta: {
    id: 'rbac/forbidden',
    title: 'Authenticated, but the request is forbidden',
    severity: 'error',
    stage: 'authorization',
    needs: ['probe'],
    fallback: 'broad',
    messages: {
      requestDenied: {
        text: 'EKS authenticated the principal as {username} (groups {groups}), but the request you asked about is denied: {requestedDenied}. {grants}.',
        remediation:
          'Grant {username} what it needs: bind one of its groups (or the user) to a Role or ClusterRole that allows it, or associate an access policy that covers it.',
        fix: FIX,
      },
      forbidden: {
        text: 'EKS authenticated the principal as {username} (groups {groups}), and the API server refused the request: "{error}". {grants}.',
        remediation:
          'Grant {username} what it needs: bind one of its groups (or the user) to a ClusterRole, or associate an access policy.',
        fix: FIX,
      },
      allDenied: {
        text: 'EKS authenticated the principal as {username} (groups {groups}), but every action checked is denied: {denied}. {grants}.',
        remediation:
          'Grant {username} what it needs: bind one of its groups (or the user) to a ClusterRole, or associate an access policy.',
        fix: FIX,
      },
      someDenied: {
        severity: 'info',
        text: '{username} (groups {groups}) is authenticated; of the actions checked it may {allowed}, and may not {denied}. {grants}.',
        remediation:
          'If {username} needs the denied actions, bind a ClusterRole or associate an access policy that grants them.',
        fix: FIX,
      },
    },
  },
  run({ evidence, simulation }) {
    const probe = evidence.probe;
    if (!probe) return [];
    const review = probe.selfSubjectReview;
    const decision = simulation?.decision;
    const username = review?.username ?? decision?.username ?? undefined;
    if (username === ANONYMOUS) return [];
    const groups = review?.groups ?? decision?.groups ?? [];
    // Nodes are restricted by the Node authorizer by design: samples written for people say nothing about them.
    if (groups.includes('system:nodes')) return [];
    const denied = (probe.accessReviews ?? []).filter((r) => !r.allowed);
    const allowed = (probe.accessReviews ?? []).filter((r) => r.allowed);
    let messageId: Message | undefined;
    const requestedDenied = denied.filter((r) => r.requested);
    const asked = (probe.accessReviews ?? []).some((r) => r.requested);
    // The request the user asked about (`--can`) decides what this finding is about, before anything else.
    if (requestedDenied.length > 0) messageId = 'requestDenied';
    else if (asked) {
      // Everything asked about is allowed: other samples being denied is context, not the cause.
      if (denied.some((r) => !isWildcard(r))) messageId = 'someDenied';
    } else if (probe.status === 403 && !/system:anonymous/.test(probe.error ?? '')) messageId = 'forbidden';
    else if (probe.status !== null && probe.status < 400 && denied.length > 0) {
      // Everyone but an admin is denied `*` on `*`: on its own that is no news.
      if (allowed.length === 0) messageId = 'allDenied';
      else if (denied.some((r) => !isWildcard(r))) messageId = 'someDenied';
    }
    if (!messageId) return [];

    const who = username ?? 'UNKNOWN_USER';
    const ownGroups = groups.filter((g) => !isBuiltInGroup(g));
    const group = ownGroups[0];
    const entryArn = entryArnOf(evidence, simulation);
    const slug =
      (group ?? who)
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, '-')
        .replace(/-+/g, '-')
        .replace(/^-|-$/g, '') || 'principal';
    return [
      {
        messageId,
        subject: { kind: 'rbac', name: who },
        affectsPrincipal: messageId !== 'someDenied',
        data: {
          username: who,
          usernameShell: who,
          groups: groups.length > 0 ? groups.join(', ') : '(none)',
          error: probe.error ?? `HTTP ${probe.status ?? ''}`,
          denied: denied.map(describeReview).join(', '),
          requestedDenied: requestedDenied.map(describeReview).join(', '),
          allowed: allowed.map(describeReview).join(', '),
          grants: grantsOf(evidence, simulation, who, groups),
          bindingName: `${slug}-view`,
          resourceName: `${slug.replace(/-/g, '_')}_view`,
          subjectFlag: group ? `--group=${group}` : `--user=${who}`,
          subjectKind: group ? 'Group' : 'User',
          subjectName: group ?? who,
          asGroups: groups.map((g) => ` --as-group=${g}`).join(''),
          entryArn,
          clusterName: liveClusterName(evidence),
          cluster: liveClusterName(evidence),
          region: liveRegion(evidence),
          viewPolicy: VIEW_POLICY,
          eksctlFix: script(
            eksctl(fixTarget(evidence), 'associate', 'accessentry-policy', [
              '--principal-arn',
              entryArn,
              '--policy-arn',
              VIEW_POLICY,
              '--access-scope',
              'type=cluster',
            ]),
          ),
        },
      },
    ];
  },
});

type Review = NonNullable<NonNullable<Evidence['probe']>['accessReviews']>[number];

const isWildcard = (r: Review): boolean => r.verb === '*' && r.resource === '*';

const describeReview = (r: Review): string =>
  isWildcard(r)
    ? `everything (* on *${r.namespace ? ` in namespace ${r.namespace}` : ''})`
    : `${r.verb} ${r.resource}${r.namespace ? ` in namespace ${r.namespace}` : ' cluster-wide'}`;

function entryArnOf(evidence: Evidence, simulation: CheckContext['simulation']): string {
  if (simulation) return simulation.principalEntry?.principalArn ?? simulation.principal.iamArn;
  return evidence.assumeRole?.roleArn ?? evidence.caller?.arn ?? 'PRINCIPAL_ARN';
}

/** Which bindings and access policies could grant this principal anything, as far as we know. */
function grantsOf(
  evidence: Evidence,
  simulation: CheckContext['simulation'],
  username: string,
  groups: readonly string[],
): string {
  const parts: string[] = [];
  if (evidence.rbac) {
    const names = evidence.rbac
      .filter((b) =>
        b.subjects.some(
          (s) => (s.kind === 'User' && s.name === username) || (s.kind === 'Group' && groups.includes(s.name)),
        ),
      )
      .map((b) => `${bindingRef(b)} → ${b.roleRef.kind} ${b.roleRef.name}`);
    parts.push(
      names.length > 0
        ? `Bindings that name it or its groups: ${names.join('; ')}`
        : `None of the ${evidence.rbac.length} RoleBindings and ClusterRoleBindings names ${username} or its groups`,
    );
  } else {
    const why = evidence.unavailable?.rbac;
    parts.push(why ? `RBAC bindings could not be read (${why})` : 'RBAC bindings were not read');
  }
  const policies =
    simulation?.principalEntry?.associatedAccessPolicies ??
    (simulation?.principalEntry ? undefined : simulation?.policies);
  if (policies && policies.length > 0) parts.push(`access policies: ${policies.map(describePolicy).join(', ')}`);
  else if (simulation?.principalEntry) parts.push('its access entry has no access policy');
  return parts.join('; ');
}
