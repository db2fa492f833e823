import {
  RESERVED_USERNAME_PREFIXES,
  defaultEntryUsername,
  entryMatchesPrincipal,
  isNodeEntryType,
  normaliseEntryType,
} from '../../src/model/access-entries.js';
import { canonicalizeArn, isInstanceId, parseArn, sameArn, stripRolePath } from '../../src/model/arn.js';
import type { AccessEntry } from '../../src/model/evidence.js';
import { defineCheck, type CheckContext, type Hit } from '../../src/core/types.js';
import { hclComment, script, type HclScript, type Script } from '../../src/core/command.js';
import { awsEks, eksctl, fixTarget } from '../../src/core/fix-target.js';
import { awsCommands, eksctlCommand, sessionNameHasColon, terraformBlock, type EntryPlan } from './commands.js';

type Message =
  | 'nodeTypeForPerson'
  | 'reservedUsername'
  | 'systemGroup'
  | 'nodeTypeExtras'
  | 'sessionNameColon'
  | 'stsArn'
  | 'serviceLinkedRole'
  | 'unknownType';

/** CreateAccessEntryRequest.type (botocore), compared case-insensitively. */
const ENTRY_TYPES = new Set([
  'STANDARD',
  'FARGATE_LINUX',
  'EC2_LINUX',
  'EC2_WINDOWS',
  'EC2',
  'HYBRID_LINUX',
  'HYPERPOD_LINUX',
]);

const RISKS = [
  "An entry's type and principal cannot change: fixing them means deleting the entry and creating it again, and the principal has no access in between.",
  'AmazonEKSClusterAdminPolicy at cluster scope is what replaces `system:masters`: it grants every verb on every resource.',
  'Access-entry changes are eventually consistent: allow a few seconds before testing.',
];

const FIX = {
  kubectl: '# kubectl cannot change access entries; use the aws CLI, eksctl or Terraform.',
  eksctl: '{eksctl}',
  aws: '{aws}',
  terraform: '{terraform}',
  risks: RISKS,
};

export default defineCheck<Message>({
  meta: {
    id: 'access-entry/invalid-shape',
    title: 'An access entry has a shape EKS refuses',
    severity: 'error',
    stage: 'authentication',
    ref: 'C33',
    needs: ['accessEntries'],
    messages: {
      nodeTypeForPerson: {
        text: '{arn} has an access entry of type {type}, so EKS maps it as a node with the username {template}; the session {session} is not an EC2 instance, so {outcome}.',
        remediation:
          'Recreate the entry for {arn} as STANDARD with the access policies it needs; node types are only for node roles.',
        fix: FIX,
      },
      reservedUsername: {
        text: 'The access entry for {arn} sets the username {value}, which starts with the reserved prefix {prefix}: EKS refuses it ("The username must not begin with {prefix}").',
        remediation:
          'Drop the username (EKS then uses {defaultUsername}) or choose one that does not start with system:, eks:, aws:, amazon: or iam:.',
        fix: FIX,
      },
      systemGroup: {
        text: 'The access entry for {arn} lists the group {value}: EKS refuses group names starting with system: ("The kubernetes group name {value} is invalid, it cannot start with system:"){mastersNote}.',
        remediation: 'Remove {value} from the entry for {arn}{groupRemedy}.',
        fix: FIX,
      },
      nodeTypeExtras: {
        text: 'The access entry for {arn} has type {type} and also {extras}: entries of any type but STANDARD take no groups, no access policies and no username.',
        remediation:
          'Remove {extras} from the {type} entry for {arn}; if this principal is a person or a pipeline, recreate the entry as STANDARD.',
        fix: FIX,
      },
      sessionNameColon: {
        text: 'The access entry for {arn} sets the username {value}: in an access entry {{SessionName}} needs a ":" somewhere before it, so EKS refuses this username.',
        remediation: 'Put a colon before {{SessionName}}, for example {suggestion}.',
        fix: FIX,
      },
      stsArn: {
        text: 'The access entry names the STS session ARN {arn}: EKS refuses session principals ("The principalArn parameter format is not valid") and matches entries by the IAM role {roleArn}.',
        remediation: 'Create the entry for the IAM role ARN {roleArn}, with its IAM path if it has one.',
        fix: FIX,
      },
      serviceLinkedRole: {
        text: 'The access entry names the service-linked role {arn}: EKS does not allow access entries for service-linked roles (role/aws-service-role/…).',
        remediation: 'Delete the entry for {arn}; service-linked roles get their access from EKS itself.',
        fix: FIX,
      },
      unknownType: {
        text: 'The access entry for {arn} has type {type}, which is not one of STANDARD, EC2_LINUX, EC2_WINDOWS, EC2, FARGATE_LINUX, HYBRID_LINUX or HYPERPOD_LINUX.',
        remediation: 'Recreate the entry for {arn} with a valid type (STANDARD for people and pipelines).',
        fix: FIX,
      },
    },
  },
  run({ evidence, simulation }) {
    const hits: Hit<Message>[] = [];
    for (const entry of evidence.accessEntries ?? []) {
      const type = normaliseEntryType(entry.type || undefined);
      const forPrincipal =
        simulation !== undefined &&
        (entryMatchesPrincipal(entry, simulation.principal) ||
          sameArn(canonicalOf(entry.principalArn), simulation.principal.canonicalArn));
      const push = (messageId: Message, data: Record<string, string>, plan: EntryPlan | undefined): void => {
        const fixData = plan
          ? commands(evidence, entry, plan)
          : {
              aws: script(awsEks(fixTarget(evidence), 'delete-access-entry', ['--principal-arn', entry.principalArn])),
              eksctl: script(
                eksctl(fixTarget(evidence), 'delete', 'accessentry', ['--principal-arn', entry.principalArn]),
              ),
              terraform: [hclComment('Remove this entry from access_entries.')],
            };
        hits.push({
          messageId,
          subject: { kind: 'access-entry', name: entry.principalArn },
          affectsPrincipal: forPrincipal,
          data: { arn: entry.principalArn, type, ...data, ...fixData },
        });
      };
      const base: EntryPlan = {
        principalArn: entry.principalArn,
        type: 'STANDARD',
        groups: entry.kubernetesGroups.filter((g) => !g.startsWith('system:')),
        policies: [],
      };

      const parsed = parseArn(entry.principalArn);
      if (parsed.ok && parsed.value.service === 'sts') {
        const roleArn = canonicalOf(entry.principalArn);
        push('stsArn', { roleArn }, { ...base, principalArn: roleArn });
        continue;
      }
      if (parsed.ok && parsed.value.resource.startsWith('role/aws-service-role/')) {
        push('serviceLinkedRole', {}, undefined);
        continue;
      }
      if (!ENTRY_TYPES.has(type)) {
        push('unknownType', {}, base);
        continue;
      }
      if (isNodeEntryType(type) && forPrincipal && simulation && actsAsPerson(simulation, evidence)) {
        const session = simulation.principal.sessionName ?? '';
        push(
          'nodeTypeForPerson',
          {
            template: defaultEntryUsername(entry),
            session: session === '' ? '(none)' : session,
            outcome: simulation.decision.authenticated
              ? 'the Node authorizer finds no node of that name and refuses it with 403 Forbidden'
              : 'the username cannot be rendered ("SessionName did not contain an instance id") and EKS answers 401 Unauthorized',
          },
          { ...base, groups: [], policies: ['AmazonEKSViewPolicy'] },
        );
        continue;
      }
      if (isNodeEntryType(type)) {
        const extras: string[] = [];
        const userGroups = entry.kubernetesGroups.filter(
          (g) => !g.startsWith('system:') && g !== 'eks:kube-proxy-windows',
        );
        if (userGroups.length > 0) extras.push(`the groups ${userGroups.join(', ')}`);
        if ((entry.associatedAccessPolicies ?? []).length > 0)
          extras.push(`${entry.associatedAccessPolicies?.length ?? 0} access policies`);
        if (entry.username && entry.username !== defaultEntryUsername(entry))
          extras.push(`the username ${entry.username}`);
        if (extras.length > 0)
          push(
            'nodeTypeExtras',
            { extras: extras.join(' and ') },
            { principalArn: entry.principalArn, type: nodePlanType(type), groups: [], policies: [] },
          );
        continue;
      }
      const username = entry.username ?? '';
      const prefix = RESERVED_USERNAME_PREFIXES.find((p) => username.startsWith(p));
      if (prefix)
        push(
          'reservedUsername',
          { value: username, prefix, defaultUsername: defaultEntryUsername({ ...entry, username: '' }) },
          base,
        );
      else if (!sessionNameHasColon(username)) {
        const suggestion = username.replace('{{SessionName}}', ':{{SessionName}}');
        push('sessionNameColon', { value: username, suggestion }, { ...base, username: suggestion });
      }
      for (const group of entry.kubernetesGroups.filter((g) => g.startsWith('system:'))) {
        const masters = group === 'system:masters';
        const plan = {
          ...base,
          ...(entry.username && !prefix && sessionNameHasColon(username) ? { username: entry.username } : {}),
          policies: masters ? ['AmazonEKSClusterAdminPolicy'] : [],
        };
        push(
          'systemGroup',
          {
            value: group,
            mastersNote: masters
              ? '; the access-entry equivalent of system:masters is AmazonEKSClusterAdminPolicy at cluster scope'
              : '',
            groupRemedy: masters
              ? 'Remove system:masters from the entry and associate AmazonEKSClusterAdminPolicy at cluster scope instead.'
              : `Remove ${group} from the entry; grant the rights with an access policy or a group of your own bound by RBAC.`,
          },
          plan,
        );
      }
    }
    return hits;
  },
});

function canonicalOf(arn: string): string {
  const canonical = canonicalizeArn(arn);
  return canonical.ok ? canonical.value.canonicalArn : arn;
}

const nodePlanType = (type: string): EntryPlan['type'] =>
  type === 'EC2_WINDOWS' ? 'EC2_WINDOWS' : type === 'FARGATE_LINUX' ? 'FARGATE_LINUX' : 'EC2_LINUX';

function commands(
  evidence: Parameters<typeof awsCommands>[0],
  entry: AccessEntry,
  plan: EntryPlan,
): { aws: Script; eksctl: Script; terraform: HclScript } {
  const t = fixTarget(evidence);
  const replaces = entry.principalArn === plan.principalArn;
  return {
    aws: [
      ...(replaces ? script(awsEks(t, 'delete-access-entry', ['--principal-arn', entry.principalArn])) : []),
      ...awsCommands(evidence, plan),
    ],
    eksctl: [
      ...(replaces ? script(eksctl(t, 'delete', 'accessentry', ['--principal-arn', entry.principalArn])) : []),
      ...eksctlCommand(evidence, [plan]),
    ],
    terraform: terraformBlock([plan]),
  };
}

/**
 * The diagnosed principal is a person or a pipeline, not a node: its session is not an instance
 * ID, and it is no node group's or Fargate profile's role.
 */
function actsAsPerson(
  simulation: NonNullable<CheckContext['simulation']>,
  evidence: CheckContext['evidence'],
): boolean {
  const session = simulation.principal.sessionName;
  if (session === undefined || isInstanceId(session)) return false;
  const canonical = simulation.principal.canonicalArn;
  const nodeRoles = [
    ...(evidence.nodegroups ?? []).map((g) => g.nodeRole),
    ...(evidence.fargateProfiles ?? []).map((p) => p.podExecutionRoleArn),
  ];
  return !nodeRoles.some((role) => sameArn(stripRolePath(role.trim()), canonical));
}
