import { comment, option, script, sh, type Script } from '../../src/core/command.js';
import { awsEks, fixTarget } from '../../src/core/fix-target.js';
import { effectiveEntryUsername, isNodeEntryType } from '../../src/model/access-entries.js';
import { stripRolePath } from '../../src/model/arn.js';
import { effectiveRows } from '../../src/model/aws-auth/parse.js';
import type { RbacBinding } from '../../src/model/evidence.js';
import { defineCheck, type Hit } from '../../src/core/types.js';
import { clusterNameOf } from '../../src/core/fix-format.js';
import { renderTemplate } from '../../src/model/templates.js';
import { accessEntriesIgnored } from '../mode/resolve.js';
import { bindingRef, boundUsers } from '../rbac/bindings.js';

type Message = 'atRewritten' | 'usernameChanged' | 'rbacUserWithAt';

const RISKS = [
  'Rebinding RBAC to the new usernames keeps the old bindings in place: delete them once nobody is mapped to the old names, or they may match someone else later.',
  'Groups are steadier than usernames: a group on the entry, bound once, survives any change of username template.',
  "Session names are chosen by whoever assumes the role; a username built from `{{SessionName}}` is only as trustworthy as the role's trust policy.",
];

const FIX = {
  kubectl: '{kubectl}',
  eksctl:
    "# eksctl cannot change an entry's username in place; use the aws CLI or bind RBAC to the new names (kubectl).",
  aws: '{aws}',
  terraform: '# terraform-aws-modules/eks, in access_entries.<key>\nuser_name = "{entryUsername}"',
  risks: RISKS,
};

export default defineCheck<Message>({
  meta: {
    id: 'access-entry/session-name-template',
    title: 'An access entry renders session names differently than aws-auth did',
    severity: 'warning',
    stage: 'authentication',
    ref: 'C37',
    needs: ['accessEntries'],
    messages: {
      atRewritten: {
        text: 'The access entry for {arn} renders the username {template} with {{SessionName}}, where {where} used {{SessionNameRaw}} ({rowTemplate}): a session named {exampleRaw} was user {exampleBefore} and is now {exampleAfter}, because "@" becomes "-".',
        remediation:
          'Set the username of the entry for {arn} to {rowTemplate} (access entries accept {{SessionNameRaw}} too), or bind RBAC to the new usernames, in which "@" is "-", or to a group on the entry.',
        fix: FIX,
      },
      usernameChanged: {
        text: 'The access entry for {arn} gives the username {template}, where {where} gave {rowTemplate}: RoleBindings and ClusterRoleBindings that name the old users no longer match.',
        remediation: 'Set the username of the entry for {arn} to {suggested}, or rebind RBAC to the new usernames.',
        fix: FIX,
      },
      rbacUserWithAt: {
        text: '{binding} names the user {subject}, but the access entry for {arn} renders {template} and replaces "@" with "-" in the session name: the user is {rendered}, so this binding never matches.',
        remediation:
          'Bind {rendered} (or a group on the entry) instead of {subject}, or set the username of the entry for {arn} to {entryUsername}, which keeps "@".',
        fix: FIX,
      },
    },
  },
  run({ evidence, simulation }) {
    if (accessEntriesIgnored(evidence)) return [];
    const hits: Hit<Message>[] = [];
    const cluster = clusterNameOf(evidence);
    const users = evidence.rbac ? boundUsers(evidence.rbac) : undefined;
    /** The principal's RBAC hung on the name the row gave it: a binding names exactly that user. */
    const oldNameWasBound = (rowTemplate: string): boolean => {
      if (!simulation || !users) return false;
      const old = renderTemplate(rowTemplate, {
        accountId: simulation.principal.accountId,
        ...(simulation.principal.sessionName !== undefined ? { sessionName: simulation.principal.sessionName } : {}),
      });
      return old.ok && users.has(old.value);
    };
    const rows =
      evidence.awsAuth?.state === 'present'
        ? [...effectiveRows(evidence.awsAuth.configMap.roleRows), ...effectiveRows(evidence.awsAuth.configMap.userRows)]
        : [];
    const rowsByArn = new Map([...rows].reverse().map((r) => [r.arn.trim().toLowerCase(), r] as const));
    for (const entry of evidence.accessEntries ?? []) {
      if (isNodeEntryType(entry.type)) continue;
      const template = effectiveEntryUsername(entry);
      const isPrincipals =
        simulation !== undefined && simulation.principalEntry === entry && simulation.via?.kind === 'access-entry';
      const onlyUserRbac = isPrincipals && simulation.policies.length === 0 && simulation.decision.groups.length === 0;
      const common = { arn: entry.principalArn, template, cluster };
      const usernameFix = (username: string) => ({
        aws: script(
          awsEks(fixTarget(evidence), 'update-access-entry', [
            ...option('--principal-arn', entry.principalArn),
            ...option('--username', username),
          ]),
        ),
        entryUsername: username,
      });

      // {{SessionNameRaw}} in an entry is supported (EKS User Guide, set-custom-username): nothing to say.
      const row = rowsByArn.get(stripRolePath(entry.principalArn).toLowerCase());
      if (row && row.username !== '' && row.username !== template) {
        const where = `aws-auth ${row.block}[${row.index}] (line ${row.location.line})`;
        if (row.username.includes('{{SessionNameRaw}}') && template.includes('{{SessionName}}')) {
          const exampleRaw = 'jane.doe@example.com';
          hits.push({
            messageId: 'atRewritten',
            subject: { kind: 'access-entry', name: entry.principalArn },
            location: row.fieldLocations.username ?? row.location,
            affectsPrincipal: onlyUserRbac && oldNameWasBound(row.username),
            data: {
              ...common,
              ...usernameFix(row.username),
              where,
              rowTemplate: row.username,
              exampleRaw,
              exampleBefore: row.username.replaceAll('{{SessionNameRaw}}', exampleRaw),
              exampleAfter: template.replaceAll('{{SessionName}}', exampleRaw.replaceAll('@', '-')),
              kubectl: rebindHint(template),
            },
          });
        } else {
          const suggested =
            row.username.includes('{{SessionName}}') &&
            !row.username.slice(0, row.username.indexOf('{{SessionName}}')).includes(':')
              ? `${row.username.slice(0, row.username.indexOf('{{SessionName}}'))}:${row.username.slice(row.username.indexOf('{{SessionName}}'))}`
              : row.username;
          hits.push({
            messageId: 'usernameChanged',
            subject: { kind: 'access-entry', name: entry.principalArn },
            location: row.fieldLocations.username ?? row.location,
            affectsPrincipal: onlyUserRbac && oldNameWasBound(row.username),
            data: {
              ...common,
              ...usernameFix(suggested),
              where,
              rowTemplate: row.username,
              suggested,
              kubectl: rebindHint(template),
            },
          });
        }
      }

      if (evidence.rbac && template.includes('{{SessionName}}')) {
        const pattern = templatePattern(template);
        for (const { binding, name } of userSubjects(evidence.rbac)) {
          const match = pattern.exec(name);
          const session = match?.groups?.session;
          if (session === undefined || !session.includes('@')) continue;
          const account = /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(entry.principalArn)?.[1];
          const rendered = (account ? template.replaceAll('{{AccountID}}', account) : template).replaceAll(
            '{{SessionName}}',
            session.replaceAll('@', '-'),
          );
          hits.push({
            messageId: 'rbacUserWithAt',
            subject: { kind: 'rbac', name: bindingRef(binding) },
            affectsPrincipal: onlyUserRbac && simulation?.principal.sessionName === session,
            data: {
              ...common,
              // The entry's own template again would change nothing: {{SessionNameRaw}} keeps "@".
              ...usernameFix(template.replaceAll('{{SessionName}}', '{{SessionNameRaw}}')),
              binding: bindingRef(binding),
              subject: name,
              rendered,
              kubectl:
                binding.kind === 'ClusterRoleBinding'
                  ? script(
                      sh`kubectl create clusterrolebinding ${binding.name}-fixed --clusterrole=${binding.roleRef.name} --user=${rendered}`,
                    )
                  : script(
                      sh`kubectl create rolebinding ${binding.name}-fixed -n ${binding.namespace ?? 'default'} --${binding.roleRef.kind === 'ClusterRole' ? 'clusterrole' : 'role'}=${binding.roleRef.name} --user=${rendered}`,
                    ),
            },
          });
        }
      }
    }
    return hits;
  },
});

function* userSubjects(bindings: readonly RbacBinding[]): Generator<{ binding: RbacBinding; name: string }> {
  for (const binding of bindings)
    for (const s of binding.subjects) if (s.kind === 'User') yield { binding, name: s.name };
}

/** A regex for the names a username template produces; the session name is captured. */
function templatePattern(template: string): RegExp {
  const parts = template.split('{{SessionName}}');
  const escaped = parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{\\\{\w+\\\}\\\}/g, '.+'));
  return new RegExp(`^${escaped[0] ?? ''}(?<session>[^/]+)${escaped.slice(1).join('[^/]+')}$`);
}

const rebindHint = (template: string): Script => [
  comment(`Bind the names the entry produces (template ${template}; "@" in a session name becomes "-"):`),
  ...script(
    sh`kubectl create clusterrolebinding NAME --clusterrole=CLUSTERROLE --user=${template.replaceAll('{{SessionName}}', 'jane.doe-example.com')}`,
  ),
];
