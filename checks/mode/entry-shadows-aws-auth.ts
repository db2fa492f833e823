import {
  effectiveEntryGroups,
  effectiveEntryUsername,
  isClusterAdminPolicy,
  isNodeEntryType,
  policyName,
} from '../../src/model/access-entries.js';
import { comment, script, type Script } from '../../src/core/command.js';
import { awsEks, fixTarget } from '../../src/core/fix-target.js';
import { stripRolePath } from '../../src/model/arn.js';
import { effectiveRows } from '../../src/model/aws-auth/parse.js';
import { defineCheck, type Hit } from '../../src/core/types.js';
import { clusterNameOf } from '../../src/core/fix-format.js';
import { associateCommand, awsCommands, terraformBlock } from '../access-entry/commands.js';
import { resolveMode } from './resolve.js';

type Message = 'dropsMasters' | 'grantsNothing' | 'dropsGroups' | 'replacesRow';

const RISKS = [
  'AmazonEKSClusterAdminPolicy at cluster scope grants every verb on every resource, like `system:masters`: associate it only if the row really gave `system:masters`.',
  'Deleting the entry instead brings the aws-auth row back only while the mode is API_AND_CONFIG_MAP; a later move to API (one-way) ignores the row again.',
  'Do not delete the aws-auth row until the entry is verified: it is the fallback if the entry is removed.',
  'Access-entry changes are eventually consistent: allow a few seconds before testing.',
];

const FIX = {
  kubectl:
    '# kubectl cannot change access entries. After the fix, check the identity EKS now gives:\nkubectl auth whoami',
  eksctl:
    '# Or remove the entry, so that the aws-auth row applies again (API_AND_CONFIG_MAP only):\neksctl delete accessentry --cluster {cluster} --principal-arn {entryArn}',
  aws: '{aws}',
  terraform: '{terraform}',
  risks: RISKS,
};

export default defineCheck<Message>({
  meta: {
    id: 'mode/entry-shadows-aws-auth',
    title: 'An access entry replaces the aws-auth mapping of the same principal',
    severity: 'warning',
    stage: 'authentication',
    ref: 'C36',
    needs: ['accessEntries', 'awsAuth'],
    messages: {
      dropsMasters: {
        severity: 'error',
        text: 'The access entry for {entryArn} replaces {where}, which gave system:masters; the entry has {granted}, so {entryArn} is no longer cluster-admin.',
        remediation:
          'Associate AmazonEKSClusterAdminPolicy at cluster scope with the entry for {entryArn}, or delete the entry so the aws-auth row applies again.',
        fix: FIX,
      },
      grantsNothing: {
        severity: 'error',
        text: 'The access entry for {entryArn} replaces {where} (groups {rowGroups}) but has no access policy and no group: {entryArn} authenticates and then gets 403 Forbidden for everything but discovery.',
        remediation:
          'Give the entry for {entryArn} the groups or access policies the aws-auth row granted, or delete the entry.',
        fix: FIX,
      },
      dropsGroups: {
        text: 'The access entry for {entryArn} replaces {where}: the groups {lostGroups} of the row are not on the entry, so the RBAC bindings of those groups no longer apply to {entryArn}.',
        remediation:
          'Add the groups {lostGroups} to the entry for {entryArn}, or an access policy that covers what they granted.',
        fix: FIX,
      },
      replacesRow: {
        severity: 'info',
        text: 'The access entry for {entryArn} replaces {where}: EKS uses only the entry for this principal{note}.',
        remediation: 'Remove {where} from aws-auth once the entry is verified, so the two cannot drift apart.',
        fix: FIX,
      },
    },
  },
  run({ evidence, simulation }) {
    const { mode } = resolveMode(evidence);
    if (mode !== 'API_AND_CONFIG_MAP' || evidence.awsAuth?.state !== 'present') return [];
    const configMap = evidence.awsAuth.configMap;
    const rows = [...effectiveRows(configMap.roleRows), ...effectiveRows(configMap.userRows)];
    const rowsByArn = new Map([...rows].reverse().map((r) => [r.arn.trim().toLowerCase(), r] as const));
    const hits: Hit<Message>[] = [];
    const cluster = clusterNameOf(evidence);
    for (const entry of evidence.accessEntries ?? []) {
      const row = rowsByArn.get(stripRolePath(entry.principalArn).toLowerCase());
      if (!row) continue;
      const rowIsNode = row.username.startsWith('system:node:') && row.groups.includes('system:nodes');
      if (isNodeEntryType(entry.type) && rowIsNode) continue;
      const policies = entry.associatedAccessPolicies;
      const entryGroups = effectiveEntryGroups(entry);
      const admin = policies?.some(isClusterAdminPolicy) ?? false;
      const lostGroups = row.groups.filter((g) => !entryGroups.includes(g) && g !== 'system:masters');
      let messageId: Message = 'replacesRow';
      if (policies !== undefined && row.groups.includes('system:masters') && !admin) messageId = 'dropsMasters';
      else if (policies !== undefined && policies.length === 0 && entryGroups.length === 0 && row.groups.length > 0)
        messageId = 'grantsNothing';
      else if (lostGroups.length > 0 && !admin) messageId = 'dropsGroups';

      const isPrincipals = simulation?.principalEntry === entry && simulation.via?.kind === 'access-entry';
      const groupsToAdd = [...new Set([...entry.kubernetesGroups, ...row.groups])].filter(
        (g) => !g.startsWith('system:') && !g.includes('{{'),
      );
      const needsAdmin = row.groups.includes('system:masters') && !admin;
      const t = fixTarget(evidence);
      let aws: Script = [];
      if (groupsToAdd.length > entry.kubernetesGroups.length)
        aws.push(
          ...script(
            awsEks(t, 'update-access-entry', [
              '--principal-arn',
              entry.principalArn,
              '--kubernetes-groups',
              ...groupsToAdd,
            ]),
          ),
        );
      if (needsAdmin) aws.push(...associateCommand(evidence, entry.principalArn, 'AmazonEKSClusterAdminPolicy'));
      if (aws.length === 0)
        aws.push(
          comment(`Nothing to add; after verifying the entry, remove ${row.block}[${row.index}] from aws-auth.`),
        );
      // A node-type entry takes no groups or policies: it has to become a STANDARD entry.
      if (isNodeEntryType(entry.type))
        aws = script(awsEks(t, 'delete-access-entry', ['--principal-arn', entry.principalArn]));
      const keptPolicies = (policies ?? [])
        .filter((p) => p.accessScope.type === 'cluster')
        .map((p) => policyName(p.policyArn));
      const plan = {
        principalArn: entry.principalArn,
        type: 'STANDARD' as const,
        ...(entry.username && !isNodeEntryType(entry.type) ? { username: entry.username } : {}),
        groups: groupsToAdd,
        policies: [...new Set([...keptPolicies, ...(needsAdmin ? ['AmazonEKSClusterAdminPolicy'] : [])])],
      };
      const granted = [
        policies === undefined
          ? 'policies not listed'
          : policies.length === 0
            ? 'no access policy'
            : `policies ${policies.map((p) => policyName(p.policyArn)).join(', ')}`,
        entryGroups.length === 0 ? 'no group' : `groups ${entryGroups.join(', ')}`,
      ].join(' and ');
      hits.push({
        messageId,
        subject: { kind: 'access-entry', name: entry.principalArn },
        location: row.fieldLocations.arn ?? row.location,
        affectsPrincipal:
          isPrincipals &&
          (messageId === 'dropsMasters' ||
            (messageId === 'grantsNothing' && (simulation?.authorization.likelyForbidden ?? false))),
        data: {
          cluster,
          entryArn: entry.principalArn,
          where: `aws-auth ${row.block}[${row.index}] (line ${row.location.line})`,
          rowGroups: row.groups.join(', ') || '(none)',
          lostGroups: lostGroups.join(', '),
          granted,
          note:
            policies === undefined
              ? ' (its access policies were not listed, so what it grants is unknown)'
              : effectiveEntryUsername(entry) !== row.username
                ? `, and its username ${effectiveEntryUsername(entry)} replaces ${row.username || '(the ARN)'}`
                : '',
          aws,
          terraform: terraformBlock([plan]),
          ...(isNodeEntryType(entry.type) ? { aws: [...aws, ...awsCommands(evidence, plan)] } : {}),
        },
      });
    }
    return hits;
  },
});
