import { describe, expect, test } from 'vitest';
import check from '../../../checks/aws-auth/missing-or-replaced.js';
import { parse as parseYaml } from 'yaml';
import { commandsOf, renderScript } from '../../../src/core/command.js';
import type { Evidence, Nodegroup } from '../../../src/model/evidence.js';
import { ACCOUNT, awsAuthFrom, awsAuthFromText, contextFor, entry, principal } from '../../helpers/evidence.js';
import { LINE_OF, configMapText, nodeRow, row } from './_configmap.js';

const NODE_ROLE = `arn:aws:iam::${ACCOUNT}:role/eks/NodeRole`;
const nodegroups: Nodegroup[] = [{ nodegroupName: 'ng-1', nodeRole: NODE_ROLE, healthIssues: [] }];
const admin = row('rolearn', `arn:aws:iam::${ACCOUNT}:role/Admin`);
const run = (evidence: Evidence) => check.run(contextFor(evidence));

describe('aws-auth/missing-or-replaced', () => {
  test.each<[string, Evidence]>([
    [
      'a ConfigMap with a node row for the node group',
      {
        awsAuth: awsAuthFromText(
          configMapText({ mapRoles: `${nodeRow(`arn:aws:iam::${ACCOUNT}:role/NodeRole`)}${admin}` }),
        ),
        nodegroups,
      },
    ],
    [
      'mapUsers only, no node groups known',
      { awsAuth: awsAuthFrom({ mapUsers: row('userarn', `arn:aws:iam::${ACCOUNT}:user/a`) }) },
    ],
    [
      'an absent aws-auth in API mode',
      { awsAuth: { state: 'absent' }, cluster: { name: 'c', authenticationMode: 'API' }, nodegroups },
    ],
    [
      'no node row, but the node role has an access entry',
      {
        awsAuth: awsAuthFrom({ mapRoles: admin }),
        nodegroups,
        cluster: { name: 'c', authenticationMode: 'API_AND_CONFIG_MAP' },
        accessEntries: [entry(NODE_ROLE, { type: 'EC2_LINUX' })],
      },
    ],
    [
      'a broken mapRoles (aws-auth/yaml-invalid reports it)',
      { awsAuth: awsAuthFrom({ mapRoles: '- rolearn: x\n  username: {{SessionName}}\n' }), nodegroups },
    ],
  ])('passes: %s', (_, evidence) => {
    expect(run(evidence)).toEqual([]);
  });

  test('absent, with nothing known to depend on it: a warning', () => {
    expect(run({ awsAuth: { state: 'absent' } })).toMatchObject([
      { messageId: 'absentNoImpact', affectsPrincipal: false, data: { mode: 'CONFIG_MAP' } },
    ]);
  });

  test('absent while managed node groups rely on it', () => {
    expect(run({ awsAuth: { state: 'absent' }, nodegroups, cluster: { name: 'prod' } })).toMatchObject([
      {
        messageId: 'absent',
        affectsPrincipal: false,
        data: { cluster: 'prod', nodeRole: `arn:aws:iam::${ACCOUNT}:role/NodeRole` },
      },
    ]);
  });

  test('absent: concerns a principal that is refused because of it', () => {
    expect(
      run({ awsAuth: { state: 'absent' }, principal: principal(`arn:aws:iam::${ACCOUNT}:role/Dev`) }),
    ).toMatchObject([{ messageId: 'absent', affectsPrincipal: true }]);
  });

  test('absent in API_AND_CONFIG_MAP: the refused principal lacks an access entry, not a row', () => {
    const hits = run({
      awsAuth: { state: 'absent' },
      principal: principal(`arn:aws:iam::${ACCOUNT}:role/Dev`),
      cluster: { name: 'c', authenticationMode: 'API_AND_CONFIG_MAP' },
      accessEntries: [],
    });
    expect(hits).toMatchObject([{ messageId: 'absentNoImpact', affectsPrincipal: false }]);
  });

  test('absent: not the reason when the principal created the cluster', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:role/Creator`;
    expect(
      run({ awsAuth: { state: 'absent' }, principal: principal(arn), creator: { arn, source: 'flag' } }),
    ).toMatchObject([{ messageId: 'absentNoImpact', affectsPrincipal: false }]);
  });

  test.each([
    ['D7: blank values', awsAuthFrom({ mapRoles: '""', mapUsers: '``', mapAccounts: '' })],
    [
      'D4: lower-case top-level keys only',
      awsAuthFromText(configMapText({ maproles: admin, mapusers: row('userarn', `arn:aws:iam::${ACCOUNT}:user/a`) })),
    ],
    ['an empty list', awsAuthFromText(configMapText({ mapRoles: '[]' }))],
  ])('empty: %s', (_, awsAuth) => {
    expect(run({ awsAuth })).toMatchObject([{ messageId: 'emptyNoImpact', affectsPrincipal: false }]);
  });

  test('empty while node groups rely on it names the miscased keys', () => {
    const awsAuth = awsAuthFromText(configMapText({ maproles: admin }));
    expect(run({ awsAuth, nodegroups })).toMatchObject([
      { messageId: 'empty', data: { keysNote: expect.stringContaining('data.maproles') } },
    ]);
  });

  test('mapRoles rewritten without the node rows', () => {
    const hits = run({
      awsAuth: awsAuthFromText(configMapText({ mapRoles: admin })),
      nodegroups,
      cluster: { name: 'prod' },
    });
    expect(hits).toMatchObject([
      {
        messageId: 'nodeRowsMissing',
        location: { line: LINE_OF(0), column: 3 },
        affectsPrincipal: false,
        data: {
          rowCount: 1,
          nodegroups: 'ng-1',
          nodeRoles: `arn:aws:iam::${ACCOUNT}:role/NodeRole`,
          mode: 'CONFIG_MAP',
        },
      },
    ]);
  });

  test('a refused principal with no trace in aws-auth was probably lost in the same rewrite', () => {
    const hits = run({
      awsAuth: awsAuthFromText(configMapText({ mapRoles: admin })),
      nodegroups,
      principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/ops/omar`),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'nodeRowsMissing',
        affectsPrincipal: true,
        data: { principalNote: expect.stringContaining(`arn:aws:iam::${ACCOUNT}:role/ops has no row either`) },
      },
    ]);
  });

  test('leaves the refusal to aws-auth/key-casing or a broken mapAccounts when they name the principal', () => {
    const caller = principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s`);
    expect(run({ awsAuth: awsAuthFromText(configMapText({ maproles: admin })), principal: caller })).toMatchObject([
      { messageId: 'emptyNoImpact', affectsPrincipal: false },
    ]);
    expect(
      run({ awsAuth: awsAuthFromText(configMapText({ mapAccounts: `a: "${ACCOUNT}"\n` })), principal: caller }),
    ).toMatchObject([{ messageId: 'emptyNoImpact', affectsPrincipal: false }]);
    expect(
      run({ awsAuth: awsAuthFromText(configMapText({ mapAccounts: '- "444455556666"\n' })), principal: caller }),
    ).toMatchObject([{ messageId: 'empty', affectsPrincipal: true }]);
  });

  test('mapRoles rewritten without the node rows concerns the node role itself', () => {
    const hits = run({
      awsAuth: awsAuthFromText(configMapText({ mapRoles: admin })),
      nodegroups,
      principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/NodeRole/i-0123456789abcdef0`),
    });
    expect(hits).toMatchObject([{ messageId: 'nodeRowsMissing', affectsPrincipal: true }]);
  });
  describe('the fix restores what the evidence holds exactly, and says who knows the rest (issue 12)', () => {
    const CANON = `arn:aws:iam::${ACCOUNT}:role/NodeRole`;
    const FARGATE = `arn:aws:iam::${ACCOUNT}:role/fargate-exec`;
    const nodeBody = `- rolearn: ${CANON}\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes\n`;
    const fargateBody = `- rolearn: ${FARGATE}\n  username: system:node:{{SessionName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes\n    - system:node-proxier\n`;
    const ops = principal(`arn:aws:sts::${ACCOUNT}:assumed-role/ops/omar`);
    const cluster = { name: 'prod', region: 'eu-west-1', authenticationMode: 'CONFIG_MAP' } as const;

    test('nodeRowsMissing: an exact patch adds the node and Fargate rows (no IAM path), the rows kept', () => {
      const [hit] = run({
        cluster,
        awsAuth: awsAuthFrom({ mapRoles: admin }),
        nodegroups,
        fargateProfiles: [{ fargateProfileName: 'fp', podExecutionRoleArn: FARGATE }],
      });
      expect(hit).toMatchObject({ messageId: 'nodeRowsMissing' });
      expect(hit?.fix).toHaveLength(1);
      expect(commandsOf(hit?.fix?.[0]?.kubectl ?? [])).toEqual([
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
            JSON.stringify({ data: { mapRoles: `${admin}${nodeBody}${fargateBody}` } }),
          ],
        },
      ]);
      expect(commandsOf(hit?.fix?.[0]?.eksctl ?? []).map((c) => c.argv.slice(1, 3))).toEqual([
        ['create', 'iamidentitymapping'],
        ['create', 'iamidentitymapping'],
      ]);
      // CONFIG_MAP: no access-entry command without the one-way mode switch.
      expect(commandsOf(hit?.fix?.[0]?.aws ?? [])).toEqual([]);
    });

    test("the refused principal's lost row: a second step says only its owners know it (a hand merge)", () => {
      const [hit] = run({ cluster, awsAuth: awsAuthFrom({ mapRoles: admin }), nodegroups, principal: ops });
      expect(hit).toMatchObject({ messageId: 'nodeRowsMissing', affectsPrincipal: true });
      expect(hit?.fix?.map((s) => s.title)).toEqual([
        expect.stringContaining('Restore the node rows EKS writes'),
        expect.stringContaining(`the row of arn:aws:iam::${ACCOUNT}:role/ops among them`),
      ]);
      const merge = renderScript(hit?.fix?.[1]?.kubectl ?? []);
      expect(merge).toContain('kubectl get configmap aws-auth');
      expect(merge).toContain('eksauth lint aws-auth.yaml');
      expect(
        commandsOf(hit?.fix?.[1]?.kubectl ?? [])
          .flatMap((c) => c.argv)
          .join(' '),
      ).not.toContain('role/ops');
    });

    test('absent: the ConfigMap is created with the node rows, then the other rows are merged in', () => {
      const [hit] = run({ cluster, awsAuth: { state: 'absent' }, nodegroups });
      expect(hit).toMatchObject({ messageId: 'absent' });
      const [create] = commandsOf(hit?.fix?.[0]?.kubectl ?? []);
      expect(create?.argv).toEqual(['kubectl', 'create', '-f', '-']);
      expect(parseYaml(create?.stdin ?? '')).toMatchObject({ data: { mapRoles: nodeBody } });
      expect(renderScript(hit?.fix?.[1]?.kubectl ?? [])).toContain('kubectl replace -f aws-auth.yaml');
    });

    test('absent with no node role known: only the restore from the last good copy', () => {
      const [hit] = run({ cluster, awsAuth: { state: 'absent' }, principal: ops });
      expect(hit?.fix).toHaveLength(1);
      expect(commandsOf(hit?.fix?.[0]?.kubectl ?? []).map((c) => c.argv)).toEqual([
        ['eksauth', 'lint', 'aws-auth.yaml'],
        ['kubectl', 'create', '-f', 'aws-auth.yaml'],
      ]);
    });

    test('API_AND_CONFIG_MAP: node-type access entries are the alternative, with no mode change', () => {
      const [hit] = run({
        cluster: { ...cluster, authenticationMode: 'API_AND_CONFIG_MAP' },
        awsAuth: awsAuthFrom({ mapRoles: admin }),
        nodegroups,
        accessEntries: [],
      });
      expect(commandsOf(hit?.fix?.[0]?.aws ?? []).map((c) => c.argv)).toEqual([
        [
          'aws',
          'eks',
          'create-access-entry',
          '--cluster-name',
          'prod',
          '--region',
          'eu-west-1',
          '--principal-arn',
          NODE_ROLE,
          '--type',
          'EC2_LINUX',
        ],
      ]);
    });
  });
});

describe('aws-auth/missing-or-replaced: who is blocked, exactly', () => {
  const CANON_NODE = `arn:aws:iam::${ACCOUNT}:role/NodeRole`;
  const DEV = `arn:aws:iam::${ACCOUNT}:role/Dev`;
  const cluster = { name: 'prod', region: 'eu-west-1', authenticationMode: 'CONFIG_MAP' } as const;

  test('no aws-auth read at all: nothing to say', () => {
    expect(run({})).toEqual([]);
    expect(run({ nodegroups, principal: principal(DEV) })).toEqual([]);
  });

  test('absent while node groups rely on it and the principal is refused: both are named, the principal first', () => {
    const hits = run({ cluster, awsAuth: { state: 'absent' }, nodegroups, principal: principal(DEV) });
    expect(hits).toEqual([
      expect.objectContaining({
        messageId: 'absent',
        subject: { kind: 'aws-auth', name: 'kube-system/aws-auth' },
        affectsPrincipal: true,
        data: {
          mode: 'CONFIG_MAP',
          cluster: 'prod',
          nodeRole: CANON_NODE,
          impact: `${DEV} gets 401 Unauthorized, and nodes of ng-1 cannot join, and existing ones fail on token refresh`,
        },
      }),
    ]);
    expect(hits[0]?.location).toBeUndefined();
    expect(hits[0]?.fix?.map((s) => s.title)).toEqual([
      `Restore the node rows EKS writes for ${CANON_NODE} (from the node groups' and Fargate profiles' roles)`,
      `Put back the other rows from your last good copy (Git, a backup, Terraform state), the row of ${DEV} among them: no evidence here holds them, only their owners know their usernames and groups`,
    ]);
    // The ConfigMap is created by the first step: the rest is merged into it by hand.
    expect(commandsOf(hits[0]?.fix?.[1]?.kubectl ?? []).map((c) => c.argv)).toEqual([
      ['kubectl', 'get', 'configmap', 'aws-auth', '-n', 'kube-system', '-o', 'yaml'],
      ['eksauth', 'lint', 'aws-auth.yaml'],
      ['kubectl', 'replace', '-f', 'aws-auth.yaml'],
    ]);
  });

  test('absent with only the refused principal: its 401 is the impact, and aws-auth is created from the last good copy', () => {
    const [hit] = run({ cluster, awsAuth: { state: 'absent' }, principal: principal(DEV) });
    expect(hit).toMatchObject({
      messageId: 'absent',
      affectsPrincipal: true,
      data: { impact: `${DEV} gets 401 Unauthorized`, nodeRole: 'NODE_ROLE_ARN' },
    });
    expect(hit?.fix?.map((s) => s.title)).toEqual([
      `Put back the other rows from your last good copy (Git, a backup, Terraform state), the row of ${DEV} among them: no evidence here holds them, only their owners know their usernames and groups`,
    ]);
    expect(renderScript(hit?.fix?.[0]?.kubectl ?? [])).toContain(
      '# write aws-auth.yaml from your last good copy, then check and create it:',
    );
  });

  test('absent with nothing depending on it: the rows are still put back, for nobody in particular', () => {
    const [hit] = run({ awsAuth: { state: 'absent' } });
    expect(hit?.data).toEqual({ mode: 'CONFIG_MAP', cluster: 'CLUSTER_NAME', nodeRole: 'NODE_ROLE_ARN', impact: '' });
    expect(hit?.fix?.map((s) => s.title)).toEqual([
      'Put back the other rows from your last good copy (Git, a backup, Terraform state): no evidence here holds them, only their owners know their usernames and groups',
    ]);
  });

  test('empty: located at the block, impact and note exact', () => {
    const [hit] = run({ awsAuth: awsAuthFromText(configMapText({ mapRoles: '[]' })), nodegroups });
    expect(hit).toMatchObject({
      messageId: 'empty',
      location: { line: LINE_OF(0), column: 3 },
      affectsPrincipal: false,
      data: {
        keysNote: '',
        impact: 'nodes of ng-1 cannot join, and existing ones fail on token refresh',
      },
    });
    const [miscased] = run({ awsAuth: awsAuthFromText(configMapText({ maproles: admin, MapUsers: admin })) });
    expect(miscased?.data.keysNote).toBe(' (EKS ignores data.maproles, data.MapUsers: see aws-auth/key-casing)');
    expect(miscased?.location).toBeUndefined();
  });

  test('empty, refused principal whose account only an unreadable mapAccounts item names: aws-auth/map-accounts-shape explains it', () => {
    const caller = principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s`);
    const hits = run({
      awsAuth: awsAuthFromText(configMapText({ mapAccounts: `- ["${ACCOUNT}"]\n` })),
      principal: caller,
    });
    expect(hits).toMatchObject([{ messageId: 'emptyNoImpact', affectsPrincipal: false }]);
  });

  test('two rows, none for a node: counted in the message', () => {
    const [hit] = run({
      awsAuth: awsAuthFromText(configMapText({ mapRoles: `${admin}${row('rolearn', DEV)}` })),
      nodegroups,
    });
    expect(hit?.data).toMatchObject({ rowCount: 2, rows: '2 rows', principalNote: '' });
    const [one] = run({ awsAuth: awsAuthFromText(configMapText({ mapRoles: admin })), nodegroups });
    expect(one?.data).toMatchObject({ rowCount: 1, rows: '1 row' });
  });

  test('the refused node role itself: no "lost in the same rewrite" note, one restore step', () => {
    const [hit] = run({
      cluster,
      awsAuth: awsAuthFrom({ mapRoles: admin }),
      nodegroups,
      principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/NodeRole/i-0123456789abcdef0`),
    });
    expect(hit).toMatchObject({ messageId: 'nodeRowsMissing', affectsPrincipal: true, data: { principalNote: '' } });
    expect(hit?.fix).toHaveLength(1);
  });

  test('API_AND_CONFIG_MAP: the node role with no entry and no row concerns the node role, not another principal', () => {
    const evidence = (arn: string): Evidence => ({
      cluster: { ...cluster, authenticationMode: 'API_AND_CONFIG_MAP' },
      awsAuth: awsAuthFrom({ mapRoles: admin }),
      nodegroups,
      accessEntries: [],
      principal: principal(arn),
    });
    expect(run(evidence(`arn:aws:sts::${ACCOUNT}:assumed-role/NodeRole/i-0123456789abcdef0`))).toMatchObject([
      { messageId: 'nodeRowsMissing', affectsPrincipal: true },
    ]);
    expect(run(evidence(`arn:aws:sts::${ACCOUNT}:assumed-role/Dev/s`))).toMatchObject([
      { messageId: 'nodeRowsMissing', affectsPrincipal: false, data: { principalNote: '' } },
    ]);
    expect(renderScript(run(evidence(DEV))[0]?.fix?.[0]?.aws ?? [])).toContain(
      '# alternative to the rows: node-type access entries, which EKS reads before aws-auth',
    );
  });
});
