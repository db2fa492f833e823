import { sameArn, stripRolePath } from '../../src/model/arn.js';
import { effectiveRows } from '../../src/model/aws-auth/parse.js';
import type { MappingRow } from '../../src/model/aws-auth/types.js';
import { defineCheck, type Hit } from '../../src/core/types.js';
import { clusterNameOf, regionOf } from '../../src/core/fix-format.js';
import { awsCommands, eksctlCommand, planFromRow, terraformBlock } from '../access-entry/commands.js';
import { resolveMode } from './resolve.js';

type Message = 'principalRowIgnored' | 'rowsIgnored' | 'accountsIgnored';

const MODE_IS_ONE_WAY =
  'The mode cannot go back from API: EKS answers `Unsupported authentication mode update from API to API_AND_CONFIG_MAP.`, so every principal needs an access entry from now on.';
const REAL_ARN =
  'aws-auth rows hold the role ARN without its IAM path; an access entry needs the real ARN, path included (`aws iam get-role --role-name NAME --query Role.Arn`), or EKS answers `invalid principal`.';
const NO_MASTERS =
  'Access entries refuse `system:` groups: `system:masters` becomes AmazonEKSClusterAdminPolicy at cluster scope, which grants everything; give it only to principals that had `system:masters`.';

const rowRef = (row: MappingRow): string => `${row.block}[${row.index}] (line ${row.location.line})`;

export default defineCheck<Message>({
  meta: {
    id: 'mode/api-ignores-aws-auth',
    title: 'The cluster is in API mode, so aws-auth rows are ignored',
    severity: 'warning',
    stage: 'authentication',
    ref: 'C30',
    needs: ['cluster', 'awsAuth'],
    messages: {
      principalRowIgnored: {
        severity: 'error',
        text: '{where} maps {arn}, but cluster {cluster} is in API mode, where EKS reads only access entries: this row is ignored and {arn} has no access entry.',
        remediation: 'Create an access entry for {arn} that grants what the row granted.',
        fix: {
          kubectl:
            '# API mode ignores aws-auth: editing it changes nothing. Create an access entry instead (aws CLI, eksctl or Terraform).',
          eksctl: '{eksctl}',
          aws: '{aws}',
          terraform: '{terraform}',
          risks: [MODE_IS_ONE_WAY, REAL_ARN, NO_MASTERS],
        },
      },
      rowsIgnored: {
        text: 'Cluster {cluster} is in API mode, so {count} aws-auth rows are ignored{entriesNote}: {examples}.',
        remediation:
          'Create access entries for the principals that still need access, then remove the dead rows from aws-auth.',
        fix: {
          kubectl:
            '# API mode ignores aws-auth: the rows can be removed once each principal has an access entry.\nkubectl get configmap aws-auth -n kube-system -o yaml > aws-auth.backup.yaml',
          eksctl: '{eksctl}',
          aws: '{aws}',
          terraform: '{terraform}',
          risks: [MODE_IS_ONE_WAY, REAL_ARN, NO_MASTERS],
        },
      },
      accountsIgnored: {
        text: 'Cluster {cluster} is in API mode, so mapAccounts ({accounts}) is ignored: principals of those accounts without their own access entry get 401.',
        remediation:
          'Create an access entry for each principal of those accounts that needs access: access entries have no per-account mapping.',
        fix: {
          kubectl: '# API mode ignores aws-auth, mapAccounts included.',
          eksctl: '{eksctl}',
          aws: 'aws eks create-access-entry --cluster-name {cluster} --region {region} --principal-arn {exampleArn}',
          terraform: '# terraform-aws-modules/eks\naccess_entries = { role_name = { principal_arn = "{exampleArn}" } }',
          risks: [
            MODE_IS_ONE_WAY,
            'mapAccounts gave every principal of the account a username and no groups; recreate only the entries that are really needed.',
          ],
        },
      },
    },
  },
  run({ evidence, simulation }) {
    const { mode } = resolveMode(evidence);
    if (mode !== 'API' || evidence.awsAuth?.state !== 'present') return [];
    const configMap = evidence.awsAuth.configMap;
    const hits: Hit<Message>[] = [];
    const cluster = clusterNameOf(evidence);
    const entries = evidence.accessEntries;
    const entryArns = new Set((entries ?? []).map((e) => stripRolePath(e.principalArn).toLowerCase()));
    const hasEntry = (arn: string): boolean => entryArns.has(arn.trim().toLowerCase());
    const rows = [...effectiveRows(configMap.roleRows), ...effectiveRows(configMap.userRows)];

    const principalArn = simulation?.principal.canonicalArn;
    const isPrincipalRow = (row: MappingRow): boolean =>
      principalArn !== undefined && sameArn(row.arn.trim(), principalArn);
    const refused =
      simulation !== undefined && (!simulation.decision.authenticated || simulation.authorization.likelyForbidden);
    const nearMiss = simulation?.nearMisses.some((m) => m.checkId === 'mode/api-ignores-aws-auth') ?? false;

    for (const row of rows.filter(isPrincipalRow)) {
      if (simulation?.principalEntry) continue;
      const plan = planFromRow(simulation?.principal.iamArn ?? row.arn, row);
      hits.push({
        messageId: 'principalRowIgnored',
        subject: { kind: 'aws-auth', name: `${row.block}[${row.index}]` },
        location: row.fieldLocations.arn ?? row.location,
        affectsPrincipal: nearMiss && refused,
        data: {
          where: rowRef(row),
          arn: row.arn,
          cluster,
          aws: awsCommands(evidence, plan),
          eksctl: eksctlCommand(evidence, [plan]),
          terraform: terraformBlock([plan]),
        },
      });
    }

    const dead = rows.filter((row) => !isPrincipalRow(row) && !hasEntry(row.arn));
    const first = dead[0];
    if (first) {
      const plans = dead.slice(0, 3).map((row) => planFromRow(row.arn.trim(), row));
      hits.push({
        messageId: 'rowsIgnored',
        subject: { kind: 'aws-auth', name: 'aws-auth' },
        location: first.fieldLocations.arn ?? first.location,
        affectsPrincipal: false,
        data: {
          cluster,
          count: dead.length,
          entriesNote:
            entries === undefined
              ? ' (access entries not given: some of these principals may have one)'
              : ' and none of their principals has an access entry',
          examples:
            dead
              .slice(0, 3)
              .map((r) => `${r.arn} (${rowRef(r)})`)
              .join(', ') + (dead.length > 3 ? `, and ${dead.length - 3} more` : ''),
          aws: plans.flatMap((plan) => awsCommands(evidence, plan)),
          eksctl: eksctlCommand(evidence, plans),
          terraform: terraformBlock(plans),
        },
      });
    }

    const firstAccount = configMap.accounts[0];
    if (firstAccount && !configMap.blocks.mapAccounts.dropped) {
      hits.push({
        messageId: 'accountsIgnored',
        subject: { kind: 'aws-auth', name: 'mapAccounts' },
        location: firstAccount.location,
        affectsPrincipal:
          simulation !== undefined &&
          refused &&
          configMap.accounts.some((a) => a.id === simulation.principal.accountId) &&
          !simulation.principalEntry,
        data: {
          cluster,
          accounts: configMap.accounts.map((a) => a.id).join(', '),
          account: firstAccount.id,
          // The cluster's partition (aws-cn, aws-us-gov), as in the eksctl form below.
          exampleArn: `arn:${evidence.cluster?.partition ?? 'aws'}:iam::${firstAccount.id}:role/ROLE_NAME`,
          region: regionOf(evidence),
          eksctl: eksctlCommand(evidence, [
            {
              principalArn: `arn:${evidence.cluster?.partition ?? 'aws'}:iam::${firstAccount.id}:role/ROLE_NAME`,
              type: 'STANDARD',
              groups: [],
              policies: [],
            },
          ]),
        },
      });
    }
    return hits;
  },
});
