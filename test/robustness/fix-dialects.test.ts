import { parse as parseHcl } from '@cdktn/hcl2json';
import { beforeAll, describe, expect, test } from 'vitest';
import { allFixtures, fixesOf, type FixCase } from '../helpers/fix-corpus.js';

/**
 * Issue 12 item 3 for the dialects that cannot run here: every eksctl line eksauth prints (over the
 * shipped scenarios and the fixtures of the checks no scenario reaches) names a subcommand and flags
 * eksctl defines, and every Terraform snippet parses and uses argument names terraform-aws-modules/eks defines.
 */

/**
 * eksctl's flags per subcommand, read from its flag definitions: github.com/eksctl-io/eksctl at
 * 99984adb6164ece593c0728523b7f497ea61d60e (2026-08-21), pkg/ctl/<verb>/<file>.go and the helpers in
 * pkg/ctl/cmdutils/cmdutils.go (AddClusterFlag --cluster/-c, AddClusterFlagWithDeprecated also --name/-n,
 * AddRegionFlag --region/-r, AddConfigFileFlag --config-file/-f, AddTimeoutFlag --timeout,
 * AddCommonFlagsForAWS --profile/-p, AddCommonFlagsForGetCmd --chunk-size --output/-o, AddApproveFlag
 * --approve, AddIAMIdentityMappingARNFlags --arn --role). Docs: https://eksctl.io/usage/access-entries/,
 * https://eksctl.io/usage/iam-identity-mappings/.
 */
const CLUSTER = ['--cluster', '-c'];
const REGION = ['--region', '-r'];
const CONFIG = ['--config-file', '-f'];
const PROFILE = ['--profile', '-p'];
const GET = ['--chunk-size', '--output', '-o'];
const GLOBAL = ['--help', '-h', '--verbose', '-v', '--color'];
const EKSCTL: Record<string, { source: string; flags: string[] }> = {
  'create accessentry': {
    source: 'pkg/ctl/create/access_entry.go',
    flags: [
      '--principal-arn',
      '--type',
      '--kubernetes-groups',
      '--kubernetes-username',
      ...CLUSTER,
      ...REGION,
      ...CONFIG,
      '--timeout',
      ...PROFILE,
    ],
  },
  'delete accessentry': {
    source: 'pkg/ctl/delete/access_entry.go',
    flags: ['--principal-arn', ...CLUSTER, ...REGION, ...CONFIG, ...PROFILE],
  },
  'create iamidentitymapping': {
    source: 'pkg/ctl/create/iamidentitymapping.go',
    flags: [
      '--account',
      '--arn',
      '--role',
      '--username',
      '--group',
      '--service-name',
      '--namespace',
      '--no-duplicate-arns',
      ...CLUSTER,
      '--name',
      '-n',
      ...REGION,
      ...CONFIG,
      '--timeout',
      ...PROFILE,
    ],
  },
  'delete iamidentitymapping': {
    source: 'pkg/ctl/delete/iamidentitymapping.go',
    flags: [
      '--all',
      '--arn',
      '--role',
      '--account',
      ...CLUSTER,
      '--name',
      '-n',
      ...REGION,
      ...CONFIG,
      '--timeout',
      ...PROFILE,
    ],
  },
  'get iamidentitymapping': {
    source: 'pkg/ctl/get/iamidentitymapping.go',
    flags: ['--arn', '--role', ...CLUSTER, '--name', '-n', ...REGION, ...GET, ...CONFIG, '--timeout', ...PROFILE],
  },
  'get cluster': {
    source: 'pkg/ctl/get/cluster.go',
    flags: ['--name', '-n', '--all-regions', '-A', ...REGION, ...GET, '--timeout', ...CONFIG, ...PROFILE],
  },
  'get nodegroup': {
    source: 'pkg/ctl/get/nodegroup.go',
    flags: [...CLUSTER, '--name', '-n', ...REGION, ...GET, '--timeout', ...CONFIG, ...PROFILE],
  },
  'utils set-public-access-cidrs': {
    source: 'pkg/ctl/utils/set_public_access_cidrs.go',
    flags: [...CLUSTER, ...REGION, ...CONFIG, '--approve', '--timeout', ...PROFILE],
  },
  // No AddCommonFlagsForAWS here: this subcommand has no --profile (AWS_PROFILE still applies).
  'utils update-authentication-mode': {
    source: 'pkg/ctl/utils/update_authentication_mode.go',
    flags: ['--authentication-mode', ...CLUSTER, ...REGION, ...CONFIG],
  },
  'utils write-kubeconfig': {
    source: 'pkg/ctl/utils/write_kubeconfig.go',
    flags: [
      ...CLUSTER,
      '--name',
      '-n',
      ...REGION,
      '--timeout',
      ...CONFIG,
      '--kubeconfig',
      '--authenticator-role-arn',
      '--set-kubeconfig-context',
      '--auto-kubeconfig',
      ...PROFILE,
    ],
  },
};

/**
 * terraform-aws-modules/eks argument names, read from github.com/terraform-aws-modules/terraform-aws-eks:
 * v20.37.2 (8a0efdbbc84180a26e0bacfd2b6fcfceac53b3b6) variables.tf and main.tf (aws_eks_access_entry reads
 * kubernetes_groups, principal_arn, type, user_name, tags; the association reads policy_arn and
 * access_scope.type/namespaces); v20.37.2 modules/aws-auth/variables.tf and v19.21.0
 * (2cb1fac31b0fc2dd6a236b0c0678df75819c5a3b) variables.tf for aws_auth_roles/users/accounts, whose items are
 * yamlencoded into aws-auth rows (rolearn/userarn, username, groups).
 */
const MODULE_VARIABLES: Record<string, string> = {
  access_entries: 'v20.37.2 variables.tf',
  authentication_mode: 'v20.37.2 variables.tf',
  enable_cluster_creator_admin_permissions: 'v20.37.2 variables.tf',
  cluster_endpoint_public_access: 'v20.37.2 variables.tf',
  cluster_endpoint_public_access_cidrs: 'v20.37.2 variables.tf',
  self_managed_node_groups: 'v20.37.2 variables.tf',
  aws_auth_roles: 'v20.37.2 modules/aws-auth/variables.tf, v19.21.0 variables.tf',
  aws_auth_users: 'v20.37.2 modules/aws-auth/variables.tf, v19.21.0 variables.tf',
  aws_auth_accounts: 'v20.37.2 modules/aws-auth/variables.tf, v19.21.0 variables.tf',
  manage_aws_auth_configmap: 'v20.37.2 modules/aws-auth/variables.tf, v19.21.0 variables.tf',
  // v21 renamed these (the snippet says so and names the v20 ones): v21.19.0 (bef29c4d9523523e57fe898643fde2895106b339) variables.tf.
  endpoint_public_access: 'v21.19.0 variables.tf',
  endpoint_public_access_cidrs: 'v21.19.0 variables.tf',
};
/**
 * Fragments a snippet may be instead of module arguments: the kubernetes provider's connection and
 * exec arguments (host, cluster_ca_certificate, exec { api_version, command, args, env }: hashicorp/kubernetes
 * provider docs, https://registry.terraform.io/providers/hashicorp/kubernetes/latest/docs), one key of an
 * access entry, or one entry of its policy_associations (checked below like a whole one).
 */
const PROVIDER_FRAGMENT = ['host', 'cluster_ca_certificate', 'exec', 'args', 'token'];
/** Plain Terraform blocks a snippet may also hold (a provider, a data source, a resource). */
const BLOCKS = ['resource', 'data', 'provider', 'module', 'locals'];
const ENTRY_KEYS = ['kubernetes_groups', 'principal_arn', 'type', 'user_name', 'tags', 'policy_associations'];
const ROW_KEYS = {
  aws_auth_roles: ['rolearn', 'username', 'groups'],
  aws_auth_users: ['userarn', 'username', 'groups'],
};

let cases: FixCase[] = [];
beforeAll(async () => {
  cases = (await allFixtures()).flatMap((f) => fixesOf(f.evidence));
}, 120_000);

const keysOutside = (value: unknown, allowed: readonly string[]): string[] =>
  value !== null && typeof value === 'object'
    ? Object.keys(value).filter((k) => !allowed.includes(k))
    : ['(not an object)'];

describe('eksctl lines use subcommands and flags eksctl defines', () => {
  test('every eksctl command printed for the scenarios', () => {
    const problems = new Set<string>();
    let seen = 0;
    for (const c of cases)
      for (const step of c.finding.fix.steps)
        for (const command of step.eksctl?.commands ?? []) {
          if (command.argv[0] !== 'eksctl') continue;
          seen++;
          const sub = command.argv.slice(1, 3).join(' ');
          const known = EKSCTL[sub];
          if (!known) {
            problems.add(`${c.check.meta.id}: eksctl has no subcommand "${sub}"`);
            continue;
          }
          for (const arg of command.argv.slice(3)) {
            if (!arg.startsWith('-') || arg === '-') continue;
            const flag = arg.split('=')[0] ?? arg;
            if (![...known.flags, ...GLOBAL].includes(flag))
              problems.add(`${c.check.meta.id}: eksctl ${sub} has no flag ${flag} (${known.source})`);
          }
        }
    expect(seen).toBeGreaterThan(20);
    expect([...problems].sort()).toEqual([]);
  });
});

describe('eksctl cannot change an existing access entry (issue 12): its form says so instead of a command', () => {
  test('a step that updates an entry with the aws CLI runs no eksctl command and says eksctl cannot', () => {
    // No `update accessentry` in eksctl (see EKSCTL above and checks/rbac/_grant.ts EKSCTL_CANNOT_UPDATE_ENTRY).
    expect(Object.keys(EKSCTL).filter((sub) => sub.endsWith(' accessentry'))).toEqual([
      'create accessentry',
      'delete accessentry',
    ]);
    let seen = 0;
    for (const c of cases)
      for (const step of c.finding.fix.steps) {
        if (!(step.aws?.commands ?? []).some((command) => command.argv[2] === 'update-access-entry')) continue;
        seen++;
        expect(step.eksctl?.commands ?? [], c.check.meta.id).toEqual([]);
        expect(step.eksctl?.text, c.check.meta.id).toMatch(
          /eksctl cannot change (an existing access entry|an entry's username)/,
        );
      }
    expect(seen).toBeGreaterThan(0);
  });
});

describe('Terraform snippets parse and use terraform-aws-modules/eks argument names', () => {
  test('every snippet printed for the scenarios', async () => {
    const problems = new Set<string>();
    let seen = 0;
    for (const c of cases)
      for (const step of c.finding.fix.steps) {
        if (!step.terraform) continue;
        seen++;
        const where = `${c.check.meta.id}:${c.finding.messageId}`;
        let parsed: Record<string, unknown>;
        try {
          parsed = (await parseHcl('fix.tf', step.terraform.text)) as Record<string, unknown>;
        } catch (error) {
          problems.add(`${where}: does not parse: ${String(error).split('\n')[0]}`);
          continue;
        }
        for (const [name, value] of Object.entries(parsed)) {
          if (BLOCKS.includes(name) || PROVIDER_FRAGMENT.includes(name) || ENTRY_KEYS.includes(name)) continue;
          const association = value as { policy_arn?: unknown; access_scope?: unknown };
          if (typeof value === 'object' && value !== null && 'policy_arn' in association) {
            for (const k of keysOutside(association.access_scope, ['type', 'namespaces']))
              problems.add(`${where}: ${name}.access_scope ${k}`);
            continue;
          }
          if (!(name in MODULE_VARIABLES)) {
            problems.add(`${where}: "${name}" is no argument of terraform-aws-modules/eks v19/v20`);
            continue;
          }
          if (name === 'access_entries')
            for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
              for (const k of keysOutside(entry, ENTRY_KEYS)) problems.add(`${where}: access_entries.${key}.${k}`);
              const associations = (entry as { policy_associations?: Record<string, unknown> }).policy_associations;
              for (const [pol, association] of Object.entries(associations ?? {})) {
                for (const k of keysOutside(association, ['policy_arn', 'access_scope']))
                  problems.add(`${where}: policy_associations.${pol}.${k}`);
                for (const k of keysOutside((association as { access_scope?: unknown }).access_scope, [
                  'type',
                  'namespaces',
                ]))
                  problems.add(`${where}: policy_associations.${pol}.access_scope ${k}`);
              }
            }
          if (name === 'aws_auth_roles' || name === 'aws_auth_users')
            for (const row of value as unknown[])
              for (const k of keysOutside(row, ROW_KEYS[name])) problems.add(`${where}: ${name}[].${k}`);
        }
      }
    expect(seen).toBeGreaterThan(20);
    expect([...problems].sort()).toEqual([]);
  });
});
