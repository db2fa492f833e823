import { describe, expect, test } from 'vitest';
import {
  associateCommand,
  awsAuthStep,
  awsEntryCommands,
  eksctlEntryCommand,
  entriesUsable,
  entryKey,
  entrySteps,
  manualEditLines,
  modeChangeStep,
  partitionOf,
  planFromRow,
  policyArn,
  sessionNameHasColon,
  terraformEntries,
  type EntryPlan,
} from '../../checks/_fix.js';
import { renderHcl, renderScript, script, type Command } from '../../src/core/command.js';
import type { FixStep } from '../../src/core/types.js';
import type { Evidence } from '../../src/model/evidence.js';
import { ACCOUNT, awsAuthFrom, clusterIn } from '../helpers/evidence.js';

/** The fix steps several checks share (checks/_fix.ts), as the commands and HCL they print. */

const T = { cluster: 'prod', region: 'eu-west-1' };
const ROLE = `arn:aws:iam::${ACCOUNT}:role/Dev`;
const text = (c: Command): string => renderScript(script(c));
const dialects = (step: FixStep | undefined) => ({
  title: step?.title,
  kubectl: renderScript(step?.kubectl ?? []),
  eksctl: renderScript(step?.eksctl ?? []),
  aws: renderScript(step?.aws ?? []),
  terraform: renderHcl(step?.terraform ?? []),
});

describe('entriesUsable: do access-entry commands work on this cluster now?', () => {
  test.each<[string, Evidence, string]>([
    ['API_AND_CONFIG_MAP', { cluster: clusterIn('API_AND_CONFIG_MAP') }, 'yes'],
    ['API', { cluster: clusterIn('API') }, 'yes'],
    ['CONFIG_MAP, as DescribeCluster says', { cluster: clusterIn('CONFIG_MAP') }, 'no'],
    [
      'CONFIG_MAP, as the access-entry API refused',
      {
        unavailable: {
          accessEntries:
            "InvalidRequestException: The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.",
        },
      },
      'no',
    ],
    ['nothing known about the mode', {}, 'unknown'],
  ])('%s', (_, evidence, usable) => {
    expect(entriesUsable(evidence)).toBe(usable);
  });
});

describe('modeChangeStep', () => {
  test('one keyed, one-way step in every dialect', () => {
    const step = modeChangeStep({ cluster: clusterIn('CONFIG_MAP') });
    expect(step.key).toBe('cluster:authentication-mode');
    expect(step.oneWay).toBe(
      'EKS cannot switch an authentication mode back: once it reads access entries, CONFIG_MAP is gone for good.',
    );
    expect(dialects(step)).toEqual({
      title: 'Switch the cluster to API_AND_CONFIG_MAP so it reads access entries as well as aws-auth',
      kubectl: '# the authentication mode is set through the EKS API: use the aws CLI, eksctl or Terraform',
      eksctl:
        'eksctl utils update-authentication-mode --cluster prod --region eu-west-1 --authentication-mode API_AND_CONFIG_MAP',
      aws: "aws eks update-cluster-config --name prod --region eu-west-1 --access-config 'authenticationMode=API_AND_CONFIG_MAP'",
      terraform:
        '# terraform-aws-modules/eks v20+ (module "eks"); EKS refuses to go back\nauthentication_mode = "API_AND_CONFIG_MAP"',
    });
  });
});

describe('small helpers', () => {
  test.each([
    ['arn:aws:iam::1:role/a', 'aws'],
    ['arn:aws-cn:iam::1:role/a', 'aws-cn'],
    ['arn:aws-us-gov:iam::1:user/a', 'aws-us-gov'],
    ['not an arn', 'aws'],
    ['urn:arn:aws-cn:x', 'aws'],
  ])('partitionOf(%s) = %s', (arn, partition) => {
    expect(partitionOf(arn)).toBe(partition);
  });

  test('policyArn', () => {
    expect(policyArn('aws-cn', 'AmazonEKSViewPolicy')).toBe(
      'arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
    );
  });

  test.each([
    ['dev', true],
    ['dev:{{SessionName}}', true],
    ['a-{{AccountID}}:{{SessionName}}', true],
    ['{{SessionName}}', false],
    ['dev-{{SessionName}}', false],
    ['{{SessionName}}:dev', false],
  ])('sessionNameHasColon(%s) = %s', (username, ok) => {
    expect(sessionNameHasColon(username)).toBe(ok);
  });

  test.each([
    [`arn:aws:iam::${ACCOUNT}:role/team/Deploy-Bot`, 0, 'deploy-bot'],
    [`arn:aws:iam::${ACCOUNT}:user/jane.doe@example.com`, 0, 'jane_doe_example_com'],
    [`arn:aws:iam::${ACCOUNT}:role/_svc`, 0, '_svc'],
    [`arn:aws:iam::${ACCOUNT}:role/9lives`, 3, 'entry_3'],
    [`arn:aws:iam::${ACCOUNT}:role/-x`, 1, 'entry_1'],
    [`arn:aws:iam::${ACCOUNT}:role/`, 2, 'entry_2'],
  ])('entryKey(%s, %i) = %s', (arn, index, key) => {
    expect(entryKey(arn, index)).toBe(key);
  });

  test('entryKey without an index numbers the entry 0', () => {
    expect(entryKey(`arn:aws:iam::${ACCOUNT}:role/1`)).toBe('entry_0');
  });
});

describe('planFromRow: the access entry that reproduces an aws-auth row', () => {
  const NODE = 'system:node:{{EC2PrivateDNSName}}';
  test.each<[string, { username: string; groups: string[] }, Omit<EntryPlan, 'principalArn'>]>([
    [
      'a Linux node row',
      { username: NODE, groups: ['system:bootstrappers', 'system:nodes'] },
      {
        type: 'EC2_LINUX',
        groups: [],
        policies: [],
      },
    ],
    [
      'a Windows node row',
      { username: NODE, groups: ['system:bootstrappers', 'system:nodes', 'eks:kube-proxy-windows'] },
      { type: 'EC2_WINDOWS', groups: [], policies: [] },
    ],
    [
      'a Fargate row',
      {
        username: 'system:node:{{SessionName}}',
        groups: ['system:bootstrappers', 'system:nodes', 'system:node-proxier'],
      },
      { type: 'FARGATE_LINUX', groups: [], policies: [] },
    ],
    [
      'node groups without a node username: a standard entry, the system: groups dropped',
      { username: 'ci', groups: ['system:nodes', 'system:node-proxier'] },
      { type: 'STANDARD', username: 'ci', groups: [], policies: [] },
    ],
    [
      'a node username without the node groups',
      { username: NODE, groups: ['devs'] },
      { type: 'STANDARD', groups: ['devs'], policies: [] },
    ],
    [
      'system:masters becomes the cluster admin policy; template groups are dropped',
      { username: 'admin:{{SessionName}}', groups: ['system:masters', 'team-{{AccountID}}', 'ops'] },
      {
        type: 'STANDARD',
        username: 'admin:{{SessionName}}',
        groups: ['ops'],
        policies: ['AmazonEKSClusterAdminPolicy'],
      },
    ],
    [
      'no username: EKS picks one',
      { username: '', groups: ['devs'] },
      { type: 'STANDARD', groups: ['devs'], policies: [] },
    ],
    [
      'a reserved username prefix is dropped',
      { username: 'eks:admin', groups: [] },
      { type: 'STANDARD', groups: [], policies: [] },
    ],
    [
      'a reserved prefix only counts at the start',
      { username: 'dev-system:x', groups: [] },
      { type: 'STANDARD', username: 'dev-system:x', groups: [], policies: [] },
    ],
    [
      '{{SessionName}} without a colon before it is dropped',
      { username: 'dev-{{SessionName}}', groups: [] },
      { type: 'STANDARD', groups: [], policies: [] },
    ],
  ])('%s', (_, row, plan) => {
    expect(planFromRow(ROLE, row)).toStrictEqual({ principalArn: ROLE, ...plan });
  });
});

describe('access-entry commands', () => {
  const full: EntryPlan = {
    principalArn: `arn:aws-cn:iam::${ACCOUNT}:role/Dev`,
    type: 'STANDARD',
    username: 'dev:{{SessionName}}',
    groups: ['devs', 'ops'],
    policies: ['AmazonEKSEditPolicy', 'AmazonEKSViewPolicy'],
    namespaces: ['team-a', 'team-b'],
  };
  const node: EntryPlan = { principalArn: ROLE, type: 'EC2_LINUX', groups: [], policies: [] };

  test('aws CLI: create the entry, then associate each policy in its namespaces', () => {
    expect(awsEntryCommands(T, full).map(text)).toEqual([
      `aws eks create-access-entry --cluster-name prod --region eu-west-1 --principal-arn arn:aws-cn:iam::${ACCOUNT}:role/Dev --username 'dev:{{SessionName}}' --kubernetes-groups devs ops`,
      `aws eks associate-access-policy --cluster-name prod --region eu-west-1 --principal-arn arn:aws-cn:iam::${ACCOUNT}:role/Dev --policy-arn arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSEditPolicy --access-scope 'type=namespace,namespaces=team-a,team-b'`,
      `aws eks associate-access-policy --cluster-name prod --region eu-west-1 --principal-arn arn:aws-cn:iam::${ACCOUNT}:role/Dev --policy-arn arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy --access-scope 'type=namespace,namespaces=team-a,team-b'`,
    ]);
  });

  test('aws CLI: a node entry names its type and nothing else', () => {
    expect(awsEntryCommands(T, node).map(text)).toEqual([
      `aws eks create-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${ROLE} --type EC2_LINUX`,
    ]);
  });

  test.each([
    [undefined, 'type=cluster'],
    [[], 'type=cluster'],
    [['a'], 'type=namespace,namespaces=a'],
  ])('associate-access-policy scope for namespaces %j', (namespaces, scope) => {
    const argv = associateCommand({ ...T, profile: 'ops' }, ROLE, 'AmazonEKSViewPolicy', namespaces).argv;
    expect(argv).toEqual([
      'aws',
      'eks',
      'associate-access-policy',
      '--cluster-name',
      'prod',
      '--region',
      'eu-west-1',
      '--profile',
      'ops',
      '--principal-arn',
      ROLE,
      '--policy-arn',
      'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
      '--access-scope',
      scope,
    ]);
  });

  test('eksctl: one ClusterConfig on standard input with every entry', () => {
    const plans: EntryPlan[] = [full, node, { ...full, principalArn: ROLE, namespaces: [] }];
    const command = eksctlEntryCommand(T, plans);
    expect(command.argv).toEqual(['eksctl', 'create', 'accessentry', '-f', '-']);
    expect(command.stdin?.format).toBe('yaml');
    expect(command.stdin?.value).toStrictEqual({
      apiVersion: 'eksctl.io/v1alpha5',
      kind: 'ClusterConfig',
      metadata: { name: 'prod', region: 'eu-west-1' },
      accessConfig: {
        accessEntries: [
          {
            principalARN: full.principalArn,
            kubernetesUsername: 'dev:{{SessionName}}',
            kubernetesGroups: ['devs', 'ops'],
            accessPolicies: [
              {
                policyARN: 'arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSEditPolicy',
                accessScope: { type: 'namespace', namespaces: ['team-a', 'team-b'] },
              },
              {
                policyARN: 'arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
                accessScope: { type: 'namespace', namespaces: ['team-a', 'team-b'] },
              },
            ],
          },
          { principalARN: ROLE, type: 'EC2_LINUX' },
          {
            principalARN: ROLE,
            kubernetesUsername: 'dev:{{SessionName}}',
            kubernetesGroups: ['devs', 'ops'],
            accessPolicies: [
              {
                policyARN: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy',
                accessScope: { type: 'cluster' },
              },
              {
                policyARN: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
                accessScope: { type: 'cluster' },
              },
            ],
          },
        ],
      },
    });
  });

  test('eksctl: the profile the run used', () => {
    expect(eksctlEntryCommand({ ...T, profile: 'ops' }, [node]).argv).toEqual([
      'eksctl',
      'create',
      'accessentry',
      '-f',
      '-',
      '--profile',
      'ops',
    ]);
  });

  test('terraform-aws-modules/eks access_entries, keyed by name, policies keyed by snake-cased name', () => {
    const hcl = terraformEntries([
      full,
      node,
      {
        principalArn: `arn:aws:iam::${ACCOUNT}:role/1st`,
        type: 'STANDARD',
        groups: [],
        policies: ['AmazonEKSClusterAdminPolicy'],
        namespaces: [],
      },
      {
        principalArn: `arn:aws:iam::${ACCOUNT}:role/Custom`,
        type: 'STANDARD',
        groups: [],
        policies: ['AmazonEKS', 'MyAmazonEKSPolicy'],
      },
    ]);
    expect(hcl[0]).toEqual({ kind: 'comment', text: 'terraform-aws-modules/eks v20+ (module "eks")' });
    expect(hcl[1]).toStrictEqual({
      kind: 'attribute',
      name: 'access_entries',
      value: {
        dev: {
          principal_arn: full.principalArn,
          user_name: 'dev:{{SessionName}}',
          kubernetes_groups: ['devs', 'ops'],
          policy_associations: {
            edit_policy: {
              policy_arn: 'arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSEditPolicy',
              access_scope: { type: 'namespace', namespaces: ['team-a', 'team-b'] },
            },
            view_policy: {
              policy_arn: 'arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
              access_scope: { type: 'namespace', namespaces: ['team-a', 'team-b'] },
            },
          },
        },
        dev_1: { principal_arn: ROLE, type: 'EC2_LINUX' },
        entry_2: {
          principal_arn: `arn:aws:iam::${ACCOUNT}:role/1st`,
          policy_associations: {
            cluster_admin_policy: {
              policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
              access_scope: { type: 'cluster' },
            },
          },
        },
        custom: {
          principal_arn: `arn:aws:iam::${ACCOUNT}:role/Custom`,
          policy_associations: {
            policy: {
              policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKS',
              access_scope: { type: 'cluster' },
            },
            my_amazon_ekspolicy: {
              policy_arn: 'arn:aws:eks::aws:cluster-access-policy/MyAmazonEKSPolicy',
              access_scope: { type: 'cluster' },
            },
          },
        },
      },
    });
  });
});

test('terraform: principals of the same name (a role and a user, two accounts) keep one entry each', () => {
  const plans: EntryPlan[] = [
    { principalArn: `arn:aws:iam::${ACCOUNT}:role/Admin`, type: 'STANDARD', groups: [], policies: [] },
    { principalArn: 'arn:aws:iam::444455556666:role/Admin', type: 'STANDARD', groups: [], policies: [] },
    { principalArn: `arn:aws:iam::${ACCOUNT}:user/admin`, type: 'STANDARD', groups: [], policies: [] },
  ];
  expect(renderHcl(terraformEntries(plans))).toBe(
    [
      '# terraform-aws-modules/eks v20+ (module "eks")',
      'access_entries = {',
      `  admin = { principal_arn = "arn:aws:iam::${ACCOUNT}:role/Admin" }`,
      '  admin_1 = { principal_arn = "arn:aws:iam::444455556666:role/Admin" }',
      `  admin_2 = { principal_arn = "arn:aws:iam::${ACCOUNT}:user/admin" }`,
      '}',
    ].join('\n'),
  );
});

describe('entrySteps: create access entries, after the mode change where needed', () => {
  const plan: EntryPlan = { principalArn: ROLE, type: 'STANDARD', groups: ['devs'], policies: [] };
  const create = `aws eks create-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${ROLE} --kubernetes-groups devs`;

  test('a cluster that reads access entries: one step', () => {
    const steps = entrySteps({ cluster: clusterIn('API_AND_CONFIG_MAP') }, 'Create the entry', [plan]);
    expect(steps).toHaveLength(1);
    expect(dialects(steps[0])).toEqual({
      title: 'Create the entry',
      kubectl: '# access entries are managed through the EKS API, not kubectl: use the aws CLI, eksctl or Terraform',
      eksctl: expect.stringMatching(/^eksctl create accessentry -f - <<'EOF'\n/),
      aws: create,
      terraform: renderHcl(terraformEntries([plan])),
    });
    expect(steps[0]?.eksctl).toEqual(script(eksctlEntryCommand(T, [plan])));
  });

  test('a CONFIG_MAP cluster: the one-way mode change first', () => {
    const evidence = { cluster: clusterIn('CONFIG_MAP') };
    const steps = entrySteps(evidence, 'Create the entry', [plan]);
    expect(steps.map((s) => s.title)).toEqual([modeChangeStep(evidence).title, 'Create the entry']);
    expect(renderScript(steps[1]?.aws ?? [])).toBe(create);
  });

  test('an unknown mode: the aws CLI form says when it applies', () => {
    const steps = entrySteps({ cluster: { name: 'prod', region: 'eu-west-1' } }, 'Create the entry', [plan, plan]);
    expect(steps).toHaveLength(1);
    expect(renderScript(steps[0]?.aws ?? [])).toBe(
      `# only where the cluster reads access entries (authentication mode API_AND_CONFIG_MAP or API)\n${create}\n${create}`,
    );
  });
});

describe('awsAuthStep and manualEditLines', () => {
  const USER = `arn:aws:iam::${ACCOUNT}:user/bob`;
  const evidence: Evidence = {
    cluster: clusterIn('CONFIG_MAP'),
    awsAuth: awsAuthFrom({
      mapRoles: `- rolearn: ${ROLE}\n  username: dev\n  groups:\n    - devs\n`,
      mapUsers: `- userarn: ${USER}\n  username: bob\n`,
    }),
  };

  test('manualEditLines: fetch, edit by each instruction, lint, replace', () => {
    expect(renderScript(manualEditLines(['first', 'second']))).toBe(
      [
        'kubectl get configmap aws-auth -n kube-system -o yaml > aws-auth.yaml',
        '# edit aws-auth.yaml: first',
        '# edit aws-auth.yaml: second',
        'eksauth lint aws-auth.yaml',
        'kubectl replace -f aws-auth.yaml',
      ].join('\n'),
    );
  });

  test('rows to replace and to add: eksctl deletes and re-creates, Terraform lists roles and users', () => {
    const step = awsAuthStep(
      evidence,
      'Fix the rows',
      [
        { from: `${ROLE}/`, to: { block: 'mapRoles', arn: ROLE, username: 'dev', groups: ['devs', 'ops'] } },
        { to: { block: 'mapUsers', arn: USER, username: '', groups: [] } },
      ],
      ['set the rows'],
    );
    expect(dialects(step)).toEqual({
      title: 'Fix the rows',
      kubectl: renderScript(manualEditLines(['set the rows'])),
      eksctl: [
        `eksctl delete iamidentitymapping --cluster prod --region eu-west-1 --arn ${ROLE}/ --all`,
        `eksctl create iamidentitymapping --cluster prod --region eu-west-1 --arn ${ROLE} --username dev --group devs --group ops`,
        `eksctl create iamidentitymapping --cluster prod --region eu-west-1 --arn ${USER}`,
      ].join('\n'),
      aws: '# aws-auth is a Kubernetes object: the aws CLI cannot edit it (use kubectl, eksctl or Terraform)',
      terraform: [
        '# terraform-aws-modules/eks v19 (module "eks"), or v20+ with its aws-auth submodule',
        `aws_auth_roles = [{ rolearn = "${ROLE}", username = "dev", groups = ["devs", "ops"] }]`,
        `aws_auth_users = [{ userarn = "${USER}", username = "", groups = [] }]`,
      ].join('\n'),
    });
  });

  test('exact edits: kubectl patches the edited block instead of the hand edit', () => {
    const step = awsAuthStep(
      evidence,
      'Fix the row',
      [{ to: { block: 'mapRoles', arn: ROLE, username: 'dev', groups: ['ops'] } }],
      ['set groups'],
      [{ block: 'mapRoles', index: 0, set: { groups: ['ops'] } }],
    );
    expect(renderScript(step.kubectl ?? [])).toBe(
      `kubectl patch configmap aws-auth -n kube-system --type merge -p '{"data":{"mapRoles":"- rolearn: ${ROLE}\\n  username: dev\\n  groups:\\n    - ops\\n"}}'`,
    );
    expect(renderHcl(step.terraform ?? [])).not.toContain('aws_auth_users');
  });

  test('no rows: eksctl says it cannot make the edit, Terraform has only its comment', () => {
    const step = awsAuthStep(evidence, 'Edit', [], ['remove the key']);
    expect(renderScript(step.eksctl ?? [])).toBe('# eksctl cannot make this edit: use kubectl or Terraform');
    expect(renderHcl(step.terraform ?? [])).toBe(
      '# terraform-aws-modules/eks v19 (module "eks"), or v20+ with its aws-auth submodule',
    );
  });
});

test('entryKey of a bare name (no slash) is the name itself', () => {
  expect(entryKey('Admin')).toBe('admin');
});
