import { describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import check from '../../../checks/nodes/node-role-unmapped.js';
import missingOrReplaced from '../../../checks/aws-auth/missing-or-replaced.js';
import { planFix } from '../../../src/core/fix-plan.js';
import { renderHit } from '../../../src/core/run-checks.js';
import type { Evidence } from '../../../src/model/evidence.js';
import type { Nodegroup } from '../../../src/model/evidence.js';
import { commandsOf, type Script } from '../../../src/core/command.js';
import { checkTable, expectRendered, fixText } from '../../helpers/check-table.js';
import { ACCOUNT, awsAuthFrom, clusterIn, entry, principal } from '../../helpers/evidence.js';

const ROLE = `arn:aws:iam::${ACCOUNT}:role/eks-node`;
const ROLE_WITH_PATH = `arn:aws:iam::${ACCOUNT}:role/eks/eks-node`;
const nodeRow = (
  arn = ROLE,
  groups = ['system:bootstrappers', 'system:nodes'],
  username = 'system:node:{{EC2PrivateDNSName}}',
) => `- rolearn: ${arn}\n  username: ${username}\n  groups:\n${groups.map((g) => `    - ${g}`).join('\n')}\n`;
const ng = (name: string, fields: Partial<Nodegroup> = {}): Nodegroup => ({
  nodegroupName: name,
  nodeRole: ROLE,
  healthIssues: [],
  ...fields,
});
const { run, passes } = checkTable(check);
const argvOf = (value: unknown) => commandsOf(value as Script);
const NODE_ROW_BODY = (arn: string) =>
  `- rolearn: ${arn}\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes\n`;

describe('nodes/node-role-unmapped', () => {
  passes([
    [
      'CONFIG_MAP with the row EKS writes',
      { cluster: clusterIn('CONFIG_MAP'), nodegroups: [ng('ng-1')], awsAuth: awsAuthFrom({ mapRoles: nodeRow() }) },
    ],
    [
      'a node role with a path and its path-less row',
      {
        cluster: clusterIn('CONFIG_MAP'),
        nodegroups: [ng('ng-1', { nodeRole: ROLE_WITH_PATH })],
        awsAuth: awsAuthFrom({ mapRoles: nodeRow() }),
      },
    ],
    [
      'API_AND_CONFIG_MAP with an EC2_LINUX entry',
      {
        cluster: clusterIn('API_AND_CONFIG_MAP'),
        nodegroups: [ng('ng-1')],
        accessEntries: [entry(ROLE, { type: 'EC2_LINUX' })],
        awsAuth: { state: 'absent' },
      },
    ],
    [
      'API_AND_CONFIG_MAP with only the row',
      {
        cluster: clusterIn('API_AND_CONFIG_MAP'),
        nodegroups: [ng('ng-1')],
        accessEntries: [],
        awsAuth: awsAuthFrom({ mapRoles: nodeRow() }),
      },
    ],
    [
      'API with an EC2_LINUX entry for the pathed role',
      {
        cluster: clusterIn('API'),
        nodegroups: [ng('ng-1', { nodeRole: ROLE_WITH_PATH })],
        accessEntries: [entry(ROLE_WITH_PATH, { type: 'EC2_LINUX' })],
      },
    ],
    [
      'Windows with the Windows row',
      {
        cluster: clusterIn('CONFIG_MAP'),
        nodegroups: [ng('win', { amiType: 'WINDOWS_CORE_2022_x86_64' })],
        awsAuth: awsAuthFrom({
          mapRoles: nodeRow(ROLE, ['system:bootstrappers', 'system:nodes', 'eks:kube-proxy-windows']),
        }),
      },
    ],
    [
      'Windows with an EC2_WINDOWS entry',
      {
        cluster: clusterIn('API'),
        nodegroups: [ng('win', { amiType: 'WINDOWS_FULL_2019_x86_64' })],
        accessEntries: [entry(ROLE, { type: 'EC2_WINDOWS' })],
      },
    ],
    [
      'CONFIG_MAP with the node row under mapUsers (the authenticator looks role ARNs up there too)',
      {
        cluster: clusterIn('CONFIG_MAP'),
        nodegroups: [ng('ng-1')],
        awsAuth: awsAuthFrom({ mapUsers: nodeRow().replace('rolearn', 'userarn') }),
      },
    ],
    ['CONFIG_MAP without aws-auth given: unknown', { cluster: clusterIn('CONFIG_MAP'), nodegroups: [ng('ng-1')] }],
    [
      'API without entries given: unknown',
      { cluster: clusterIn('API'), nodegroups: [ng('ng-1')], awsAuth: awsAuthFrom({ mapRoles: '' }) },
    ],
  ]);

  test('fails: CONFIG_MAP and no row for the role', () => {
    const hits = run({
      cluster: clusterIn('CONFIG_MAP'),
      nodegroups: [ng('ng-1'), ng('ng-2')],
      awsAuth: awsAuthFrom({ mapRoles: '' }),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'noMapping',
        affectsPrincipal: false,
        subject: { kind: 'nodegroup', name: 'ng-1, ng-2' },
        data: { role: ROLE, expected: 'no aws-auth row', nodegroups: 'node group ng-1, node group ng-2' },
      },
    ]);
    expect(fixText(hits[0]?.data.eksctl)).toBe(
      `eksctl create iamidentitymapping --cluster prod --region eu-west-1 --arn ${ROLE} --username 'system:node:{{EC2PrivateDNSName}}' --group system:bootstrappers --group system:nodes`,
    );
    expectRendered(check, hits);
  });

  test('fails: the row under mapUsers lacks the node groups; the fix edits that row', () => {
    const hits = run({
      cluster: clusterIn('CONFIG_MAP'),
      nodegroups: [ng('ng-1')],
      awsAuth: awsAuthFrom({ mapUsers: nodeRow(ROLE, ['team']).replace('rolearn', 'userarn') }),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'notANodeMapping',
        data: { where: 'aws-auth mapUsers[0] (line 9)', missing: 'system:bootstrappers, system:nodes' },
      },
    ]);
    expect(argvOf(hits[0]?.data.kubectl)[0]?.argv.at(-1)).toBe(
      JSON.stringify({
        data: {
          mapUsers: `- userarn: ${ROLE}\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - team\n    - system:bootstrappers\n    - system:nodes\n`,
        },
      }),
    );
  });

  test('fails: aws-auth is absent', () => {
    expect(
      run({ cluster: clusterIn('CONFIG_MAP'), nodegroups: [ng('ng-1')], awsAuth: { state: 'absent' } }),
    ).toMatchObject([{ messageId: 'noMapping' }]);
  });

  test('fails: API_AND_CONFIG_MAP with neither entry nor row; the fix is an EC2_LINUX entry', () => {
    const hits = run({
      cluster: clusterIn('API_AND_CONFIG_MAP'),
      nodegroups: [ng('ng-1', { nodeRole: ROLE_WITH_PATH })],
      accessEntries: [],
      awsAuth: awsAuthFrom({ mapRoles: '' }),
    });
    expect(hits).toMatchObject([
      { messageId: 'noMapping', data: { expected: 'no EC2_LINUX access entry and no aws-auth row' } },
    ]);
    expect(fixText(hits[0]?.data.aws)).toBe(
      `aws eks create-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${ROLE_WITH_PATH} --type EC2_LINUX`,
    );
  });

  test('fails: API mode ignores the node row', () => {
    const hits = run({
      cluster: clusterIn('API'),
      nodegroups: [ng('ng-1')],
      accessEntries: [],
      awsAuth: awsAuthFrom({ mapRoles: nodeRow() }),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'rowIgnoredInApiMode',
        location: { key: 'mapRoles[0]' },
        data: { where: 'aws-auth mapRoles[0] (line 9)', entryType: 'EC2_LINUX' },
      },
    ]);
    expectRendered(check, hits);
  });

  test('fails: a STANDARD entry replaces the node row', () => {
    const hits = run({
      cluster: clusterIn('API_AND_CONFIG_MAP'),
      nodegroups: [ng('ng-1')],
      accessEntries: [entry(ROLE)],
      awsAuth: awsAuthFrom({ mapRoles: nodeRow() }),
    });
    expect(hits).toMatchObject([
      { messageId: 'wrongEntryType', data: { entryType: 'STANDARD', expectedType: 'EC2_LINUX' } },
    ]);
    expect(String(fixText(hits[0]?.data.aws)).split('\n')).toEqual([
      `aws eks delete-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${ROLE}`,
      `aws eks create-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${ROLE} --type EC2_LINUX`,
    ]);
    expectRendered(check, hits);
  });

  test('fails: Windows nodes with an EC2_LINUX entry', () => {
    const hits = run({
      cluster: clusterIn('API'),
      nodegroups: [ng('win', { amiType: 'WINDOWS_CORE_2019_x86_64' })],
      accessEntries: [entry(ROLE, { type: 'EC2_LINUX' })],
    });
    expect(hits).toMatchObject([
      { messageId: 'wrongEntryType', data: { entryType: 'EC2_LINUX', expectedType: 'EC2_WINDOWS' } },
    ]);
  });

  test('fails: the row is lost with a mapRoles block that does not parse', () => {
    const mapRoles = `${nodeRow()}- rolearn: arn:aws:iam::${ACCOUNT}:role/admin\n  username: {{SessionName}}\n  groups:\n    - system:masters\n`;
    const hits = run({
      cluster: clusterIn('CONFIG_MAP'),
      nodegroups: [ng('ng-1')],
      awsAuth: awsAuthFrom({ mapRoles }),
    });
    expect(hits).toMatchObject([
      { messageId: 'lostWithBlock', location: { key: 'mapRoles[0]', line: 9 }, data: { line: 9 } },
    ]);
    expect(fixText(hits[0]?.data.kubectl)).toContain('fix the YAML error in data.mapRoles');
    expectRendered(check, hits);
  });

  test('fails: the row carries the role path', () => {
    const hits = run({
      cluster: clusterIn('CONFIG_MAP'),
      nodegroups: [ng('ng-1', { nodeRole: ROLE_WITH_PATH })],
      awsAuth: awsAuthFrom({ mapRoles: nodeRow(ROLE_WITH_PATH) }),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'rowHasPath',
        location: { key: 'mapRoles[0].rolearn' },
        data: { rowArn: ROLE_WITH_PATH, canonical: ROLE },
      },
    ]);
  });

  test.each<[string, string, Partial<Nodegroup>, string]>([
    ['without system:bootstrappers', nodeRow(ROLE, ['system:nodes']), {}, 'system:bootstrappers'],
    [
      'with a non-node username',
      nodeRow(ROLE, ['system:bootstrappers', 'system:nodes'], 'ops'),
      {},
      'username system:node:{{EC2PrivateDNSName}}',
    ],
    [
      'Windows without eks:kube-proxy-windows',
      nodeRow(),
      { amiType: 'WINDOWS_CORE_2022_x86_64' },
      'eks:kube-proxy-windows',
    ],
  ])('fails: a row %s', (_, mapRoles, fields, missing) => {
    const hits = run({
      cluster: clusterIn('CONFIG_MAP'),
      nodegroups: [ng('ng-1', fields)],
      awsAuth: awsAuthFrom({ mapRoles }),
    });
    expect(hits).toMatchObject([{ messageId: 'notANodeMapping', data: { missing } }]);
  });

  test('concerns the principal when it is the node role', () => {
    const hits = run({
      cluster: clusterIn('CONFIG_MAP'),
      nodegroups: [ng('ng-1')],
      awsAuth: awsAuthFrom({ mapRoles: '' }),
      principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/eks-node/i-0123456789abcdef0`),
    });
    expect(hits).toMatchObject([{ messageId: 'noMapping', affectsPrincipal: true }]);
  });
  describe('the kubectl fix is an exact patch of mapRoles (no hand edit)', () => {
    const OTHER = `arn:aws:iam::${ACCOUNT}:role/other-nodes`;
    const admin = `- rolearn: arn:aws:iam::${ACCOUNT}:role/admin # the platform team\n  username: admin\n  groups:\n    - system:masters\n`;

    test('a missing row is appended, comments and the other rows kept', () => {
      const hits = run({
        cluster: clusterIn('CONFIG_MAP'),
        nodegroups: [ng('ng-1')],
        awsAuth: awsAuthFrom({ mapRoles: admin }),
      });
      expect(argvOf(hits[0]?.data.kubectl)).toEqual([
        {
          argv: [
            'kubectl',
            'patch',
            'configmap',
            'aws-auth',
            '-n',
            'kube-system',
            '--type',
            'merge',
            '-p',
            JSON.stringify({ data: { mapRoles: `${admin}${NODE_ROW_BODY(ROLE)}` } }),
          ],
        },
      ]);
    });

    test('the node role keeps no IAM path in its row', () => {
      const hits = run({
        cluster: clusterIn('CONFIG_MAP'),
        nodegroups: [ng('ng-1', { nodeRole: ROLE_WITH_PATH })],
        awsAuth: awsAuthFrom({ mapRoles: '' }),
      });
      expect(argvOf(hits[0]?.data.kubectl)[0]?.argv.at(-1)).toBe(
        JSON.stringify({ data: { mapRoles: NODE_ROW_BODY(ROLE) } }),
      );
    });

    test('two unmapped roles: each finding carries the same one change adding both rows', () => {
      const hits = run({
        cluster: clusterIn('CONFIG_MAP'),
        nodegroups: [ng('ng-1'), ng('ng-2', { nodeRole: OTHER })],
        awsAuth: awsAuthFrom({ mapRoles: '' }),
      });
      expect(hits).toHaveLength(2);
      const body = JSON.stringify({ data: { mapRoles: `${NODE_ROW_BODY(ROLE)}${NODE_ROW_BODY(OTHER)}` } });
      for (const hit of hits) {
        expect(argvOf(hit.data.kubectl)[0]?.argv.at(-1)).toBe(body);
        expect(fixText(hit.data.eksctl).split('\n')).toHaveLength(2);
      }
      expect(fixText(hits[0]?.data.kubectl)).toBe(fixText(hits[1]?.data.kubectl));
      expect(String(hits[0]?.data.remedy)).toContain(`the other unmapped node roles: ${OTHER}`);
    });

    test('aws-auth absent: the ConfigMap is created with the node row', () => {
      const hits = run({ cluster: clusterIn('CONFIG_MAP'), nodegroups: [ng('ng-1')], awsAuth: { state: 'absent' } });
      const [create] = argvOf(hits[0]?.data.kubectl);
      expect(create?.argv).toEqual(['kubectl', 'create', '-f', '-']);
      expect(parseYaml(create?.stdin ?? '')).toEqual({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'aws-auth', namespace: 'kube-system' },
        data: { mapRoles: NODE_ROW_BODY(ROLE) },
      });
    });

    test('a row with its path: the rolearn is rewritten in place', () => {
      const hits = run({
        cluster: clusterIn('CONFIG_MAP'),
        nodegroups: [ng('ng-1', { nodeRole: ROLE_WITH_PATH })],
        awsAuth: awsAuthFrom({ mapRoles: nodeRow(ROLE_WITH_PATH) }),
      });
      expect(argvOf(hits[0]?.data.kubectl)[0]?.argv.at(-1)).toBe(
        JSON.stringify({ data: { mapRoles: NODE_ROW_BODY(ROLE) } }),
      );
    });

    test('a row without system:bootstrappers: the group is added, the row kept', () => {
      const hits = run({
        cluster: clusterIn('CONFIG_MAP'),
        nodegroups: [ng('ng-1')],
        awsAuth: awsAuthFrom({ mapRoles: nodeRow(ROLE, ['system:nodes', 'team-a'], 'ops') }),
      });
      expect(argvOf(hits[0]?.data.kubectl)[0]?.argv.at(-1)).toBe(
        JSON.stringify({
          data: {
            mapRoles: `- rolearn: ${ROLE}\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:nodes\n    - team-a\n    - system:bootstrappers\n`,
          },
        }),
      );
    });
  });
  test('with aws-auth/missing-or-replaced, the plan adds the node rows once (one patch, no second at a stale version)', () => {
    const evidence: Evidence = {
      cluster: clusterIn('CONFIG_MAP'),
      nodegroups: [ng('ng-1')],
      awsAuth: awsAuthFrom({
        mapRoles: `- rolearn: arn:aws:iam::${ACCOUNT}:role/admin\n  username: admin\n  groups:\n    - system:masters\n`,
      }),
    };
    const findings = [
      ...missingOrReplaced.run({ evidence }).map((hit) => renderHit(missingOrReplaced, hit, evidence)),
      ...run(evidence).map((hit) => renderHit(check, hit, evidence)),
    ];
    expect(findings.map((f) => f.checkId)).toEqual(['aws-auth/missing-or-replaced', 'nodes/node-role-unmapped']);
    const plan = planFix(findings, 'aws-auth/missing-or-replaced', false);
    const patches = (plan?.steps ?? []).flatMap((s) => s.kubectl?.commands ?? []).filter((c) => c.argv[1] === 'patch');
    expect(patches).toHaveLength(1);
    expect(plan?.steps[0]?.findings).toEqual(['aws-auth/missing-or-replaced', 'nodes/node-role-unmapped']);
  });
});
