import { comment, hclComment, script, sh } from '../../src/core/command.js';
import { describePolicy } from '../../src/model/access-entries.js';
import type { ApiProbe, Evidence } from '../../src/model/evidence.js';
import { defineCheck, type CheckContext, type FixStep } from '../../src/core/types.js';

import { ANONYMOUS } from '../client/anonymous.js';
import { bindingRef } from './bindings.js';
import { deniedRequests, grantSteps } from './_grant.js';

type Message = 'forbidden' | 'requestDenied' | 'allDenied' | 'someDenied';

const FIX = {
  risks: [
    'The fix grants exactly the denied verbs on the denied resources in their namespace; if the principal needs more, widen it knowingly (`view` reads, `edit` writes, `cluster-admin` is everything).',
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
          'Grant {username} exactly what was denied: a Role (or ClusterRole) bound to one of its groups, or, where the cluster reads access entries, an access policy that covers it.',
        fix: FIX,
      },
      forbidden: {
        text: 'EKS authenticated the principal as {username} (groups {groups}), and the API server refused the request: "{error}". {grants}.',
        remediation:
          'Grant {username} exactly what was denied: a Role (or ClusterRole) bound to one of its groups, or, where the cluster reads access entries, an access policy that covers it.',
        fix: FIX,
      },
      allDenied: {
        text: 'EKS authenticated the principal as {username} (groups {groups}), but every action checked is denied: {denied}. {grants}.',
        remediation:
          'Grant {username} exactly what was denied: a Role (or ClusterRole) bound to one of its groups, or, where the cluster reads access entries, an access policy that covers it.',
        fix: FIX,
      },
      someDenied: {
        severity: 'info',
        text: '{username} (groups {groups}) is authenticated; of the actions checked it may {allowed}, and may not {denied}. {grants}.',
        remediation:
          'If {username} needs the denied actions, grant exactly those: a Role (or ClusterRole) bound to one of its groups, or an access policy that covers them.',
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
    const reviews = probe.accessReviews ?? [];
    const denied = reviews.filter((r) => !r.allowed);
    const allowed = reviews.filter((r) => r.allowed);
    let messageId: Message | undefined;
    const requestedDenied = denied.filter((r) => r.requested);
    const asked = reviews.some((r) => r.requested);
    // The request the user asked about (`--can`) decides what this finding is about, before anything else.
    if (requestedDenied.length > 0) messageId = 'requestDenied';
    else if (asked) {
      // Everything asked about is allowed: other samples being denied is context, not the cause.
      if (denied.some((r) => !isWildcard(r))) messageId = 'someDenied';
    } else if (probe.status === 403 && !probe.error?.includes('system:anonymous')) messageId = 'forbidden';
    else if (probe.status !== null && probe.status < 400 && denied.length > 0) {
      // Everyone but an admin is denied `*` on `*`: on its own that is no news.
      if (allowed.length === 0) messageId = 'allDenied';
      else if (denied.some((r) => !isWildcard(r))) messageId = 'someDenied';
    }
    if (!messageId) return [];

    const who = username ?? 'UNKNOWN_USER';
    return [
      {
        messageId,
        subject: { kind: 'rbac', name: who },
        affectsPrincipal: messageId !== 'someDenied',
        data: {
          username: who,
          groups: groups.length > 0 ? groups.join(', ') : '(none)',
          error: probe.error ?? (probe.status === null ? 'no HTTP answer' : `HTTP ${probe.status}`),
          denied: denied.map(describeReview).join(', '),
          requestedDenied: requestedDenied.map(describeReview).join(', '),
          allowed: allowed.map(describeReview).join(', '),
          grants: grantsOf(evidence, simulation, who, groups),
        },
        fix: fixSteps(evidence, simulation, probe, who, groups),
      },
    ];
  },
});

/** Grants for the denied requests; when none can be named, how to name one. */
function fixSteps(
  evidence: Evidence,
  simulation: CheckContext['simulation'],
  probe: ApiProbe,
  username: string,
  groups: readonly string[],
): FixStep[] {
  const requests = deniedRequests(probe);
  if (requests.length > 0) return grantSteps(evidence, simulation, requests, username, groups);
  const ask = comment(
    'eksauth could not tell which request was refused: name it with doctor --can "VERB RESOURCE -n NAMESPACE" for an exact grant',
  );
  return [
    {
      title: 'Name the refused request, so the grant can be exact',
      kubectl: script(
        ask,
        sh`kubectl auth can-i --list ${[`--as=${username}`, ...groups.map((g) => `--as-group=${g}`)]}`,
      ),
      eksctl: [ask],
      aws: [ask],
      terraform: [hclComment('name the refused request with doctor --can first')],
    },
  ];
}

type Review = NonNullable<NonNullable<Evidence['probe']>['accessReviews']>[number];

const isWildcard = (r: Review): boolean => r.verb === '*' && r.resource === '*';

const describeReview = (r: Review): string =>
  isWildcard(r)
    ? `everything (* on *${r.namespace ? ` in namespace ${r.namespace}` : ''})`
    : `${r.verb} ${r.resource}${r.namespace ? ` in namespace ${r.namespace}` : ' cluster-wide'}`;

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
