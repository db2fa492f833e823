import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { renderHit } from '../../../src/core/run-checks.js';
import type { Hit } from '../../../src/core/types.js';
import check from '../../../checks/aws-auth/yaml-invalid.js';
import { ACCOUNT, awsAuthFrom, awsAuthFromText, contextFor, entry, principal } from '../../helpers/evidence.js';
import { LINE_OF, configMapText, nodeRow, row } from './_configmap.js';

const SEED = readFileSync(join(import.meta.dirname, '../../../examples/seed1-invalid-aws-auth/aws-auth.yaml'), 'utf8');
const NODE = `arn:aws:iam::${ACCOUNT}:role/NodeInstanceRole`;
const valid = `${nodeRow(NODE)}${row('rolearn', `arn:aws:iam::${ACCOUNT}:role/Admin`)}`;
const run = (text: string, evidence: Record<string, unknown> = {}) =>
  check.run(contextFor({ awsAuth: awsAuthFromText(text), ...evidence }));

describe('aws-auth/yaml-invalid', () => {
  test.each([
    [
      'D1: a node row, an admin row, a user and an account',
      configMapText({
        mapRoles: valid,
        mapUsers: row('userarn', `arn:aws:iam::${ACCOUNT}:user/admin`),
        mapAccounts: '- 555555555555\n',
      }),
    ],
    [
      'D10: a quoted {{SessionName}}',
      configMapText({ mapRoles: row('rolearn', `arn:aws:iam::${ACCOUNT}:role/A`, '"{{SessionName}}"') }),
    ],
    [
      'D11: a template after a prefix',
      configMapText({ mapRoles: row('rolearn', `arn:aws:iam::${ACCOUNT}:role/A`, 'admin:{{SessionName}}') }),
    ],
    [
      'D19: a JSON array',
      configMapText({ mapRoles: `[{"rolearn":"arn:aws:iam::${ACCOUNT}:role/A","username":"a","groups":["g"]}]` }),
    ],
    [
      'mapAccounts that decodes to the wrong shape (map-accounts-shape reports it)',
      configMapText({ mapAccounts: 'a: b\n' }),
    ],
  ])('passes: %s', (_, text) => {
    expect(run(text)).toEqual([]);
  });

  test('D7: blank values are skipped without error', () => {
    expect(
      check.run(contextFor({ awsAuth: awsAuthFrom({ mapRoles: '""', mapUsers: '``', mapAccounts: '' }) })),
    ).toEqual([]);
    expect(
      check.run(contextFor({ awsAuth: awsAuthFrom({ mapRoles: "''", mapUsers: "''", mapAccounts: "''" }) })),
    ).toEqual([]);
  });

  test('passes when aws-auth is absent', () => {
    expect(check.run(contextFor({ awsAuth: { state: 'absent' } }))).toEqual([]);
  });

  test('seed 1: the unquoted {{SessionName}} drops mapRoles, node rows and the SSO admin row with it', () => {
    const hits = run(SEED);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({
      messageId: 'unquotedTemplate',
      subject: { kind: 'aws-auth', name: 'data.mapRoles' },
      location: { line: 24, column: 17 },
      affectsPrincipal: false,
      data: {
        block: 'mapRoles',
        line: 24,
        written: 'username: {{SessionName}}',
        corrected: 'username: "{{SessionName}}"',
        lostCount: 3,
        nodeRows:
          'mapRoles[0] (line 13) arn:aws:iam::000000000000:role/cluster-role, mapRoles[1] (line 18) arn:aws:iam::000000000000:role/node-group-role',
        adminRows: expect.stringContaining(
          'mapRoles[2] (line 23) arn:aws:iam::000000000000:role/aws-reserved/sso.amazonaws.com/',
        ),
        otherRows: '',
      },
    });
    expect(String(hits[0]?.data.error)).toContain('invalid map key');
    // One step rewrites the whole block: the SSO row without its path AND with {{SessionName}} quoted.
    const fix = renderHit(check, hits[0] as Hit).fix;
    const patch = fix?.steps[0]?.kubectl?.commands?.[0]?.argv ?? [];
    expect(patch.slice(0, 4)).toEqual(['kubectl', 'patch', 'configmap', 'aws-auth']);
    const mapRoles = (JSON.parse(patch.at(-1) ?? '{}') as { data: { mapRoles: string } }).data.mapRoles;
    const rows = parse(mapRoles) as { rolearn: string; username: string }[];
    expect(rows.at(-1)).toEqual({
      rolearn: 'arn:aws:iam::000000000000:role/AWSReservedSSO_AdministratorAccess_3d0c6bf1a2e4b5c7',
      username: '{{SessionName}}',
      groups: ['system:masters'],
    });
    expect(rows).toHaveLength(3);
    expect(fix?.terraform).toContain('username = "{{SessionName}}"');
    // No access entry for the cluster's service role (the first node row) is offered any more.
    expect(JSON.stringify(fix)).not.toContain('EC2_LINUX');
  });

  test.each([
    [
      'the SSO admin whose row is lost',
      'arn:aws:sts::000000000000:assumed-role/AWSReservedSSO_AdministratorAccess_3d0c6bf1a2e4b5c7/jane@example.com',
      true,
    ],
    ['a node whose row is lost', 'arn:aws:sts::000000000000:assumed-role/node-group-role/i-0123456789abcdef0', true],
    ['someone who never had a row', 'arn:aws:iam::000000000000:role/Other', false],
  ])('seed 1 concerns %s', (_, arn, affects) => {
    expect(run(SEED, { principal: principal(arn) })).toMatchObject([
      { messageId: 'unquotedTemplate', affectsPrincipal: affects },
    ]);
  });

  test('does not concern a principal that an access entry maps anyway', () => {
    const arn = 'arn:aws:iam::000000000000:role/node-group-role';
    const hits = run(SEED, {
      principal: principal(arn),
      cluster: { name: 'c', authenticationMode: 'API_AND_CONFIG_MAP' },
      accessEntries: [entry(arn, { type: 'EC2_LINUX' })],
    });
    expect(hits).toMatchObject([{ affectsPrincipal: false }]);
  });

  test('D9: an unquoted template on the first entry loses the valid second entry too', () => {
    const mapRoles = `- rolearn: arn:aws:iam::${ACCOUNT}:role/A\n  username: {{SessionName}}\n${row('rolearn', `arn:aws:iam::${ACCOUNT}:role/B`)}`;
    expect(run(configMapText({ mapRoles }))).toMatchObject([
      { messageId: 'unquotedTemplate', location: { line: LINE_OF(2) }, data: { lostCount: 2 } },
    ]);
  });

  test.each([
    [
      'D16: a mis-indented groups line',
      `- rolearn: arn:aws:iam::${ACCOUNT}:role/A\n  username: a\n   groups:\n    - g\n`,
      'mapRoles',
    ],
    ['D17: tab indentation', `- rolearn: arn:aws:iam::${ACCOUNT}:role/A\n\tusername: a\n`, 'mapRoles'],
    ['D18: -rolearn without a space', `-rolearn: arn:aws:iam::${ACCOUNT}:role/A\n  username: a\n`, 'mapRoles'],
  ])('fails: %s', (_, mapRoles, block) => {
    const hits = run(configMapText({ mapRoles }));
    expect(hits).toMatchObject([
      {
        messageId: 'syntax',
        subject: { name: `data.${block}` },
        data: { block },
        location: { line: expect.any(Number) },
      },
    ]);
    expect(hits[0]?.location?.line).toBeGreaterThanOrEqual(LINE_OF(1));
  });

  test('a broken mapUsers is reported for mapUsers and keeps mapRoles out of it', () => {
    const text = configMapText({
      mapRoles: valid,
      mapUsers: `- userarn: arn:aws:iam::${ACCOUNT}:user/u\n  username: {{SessionName}}\n`,
    });
    expect(run(text)).toMatchObject([
      { messageId: 'unquotedTemplate', data: { block: 'mapUsers', lostCount: 1, nodeRows: '' } },
    ]);
  });

  test('a syntax error in mapAccounts', () => {
    expect(run(configMapText({ mapAccounts: '- "111122223333\n' }))).toMatchObject([
      { messageId: 'syntax', data: { block: 'mapAccounts' } },
    ]);
  });

  test('D15: a mapping instead of a list loses the row written in it', () => {
    const text = configMapText({
      mapRoles: `rolearn: ${NODE}\nusername: system:node:{{EC2PrivateDNSName}}\ngroups:\n  - system:nodes\n`,
    });
    expect(run(text)).toMatchObject([
      {
        messageId: 'notAList',
        location: { line: LINE_OF(1), column: 5 },
        data: { found: 'a mapping', lostCount: 1, nodeRows: `mapRoles[0] (line ${LINE_OF(1)}) ${NODE}` },
      },
    ]);
  });

  test('D6: a forgotten | makes the whole ConfigMap invalid', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\ndata:\n  mapRoles:\n    - rolearn: arn:aws:iam::111122223333:role/A\n      username: a\n';
    expect(run(text)).toMatchObject([
      {
        messageId: 'notAString',
        location: { line: 6, column: 3 },
        affectsPrincipal: false,
        data: { block: 'mapRoles' },
      },
    ]);
  });

  test('without a simulation (lint) nothing concerns a principal', () => {
    expect(run(SEED).every((h) => h.affectsPrincipal === false)).toBe(true);
  });
});

describe('aws-auth/yaml-invalid: what the lost block takes down, in words', () => {
  const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
  const broken = (arn: string) => `- rolearn: ${arn}\n  username: {{SessionName}}\n`;
  const NODEGROUP_NOTE =
    '; EKS managed node group create and delete may also fail with "AccessDenied: The aws-auth ConfigMap in your cluster is invalid"';

  test('node rows, admin and SSO rows and the other rows are named, each with what its principals lose', () => {
    // Row 2 is a node row by its groups alone; row 4 an SSO row without system:masters.
    const mapRoles = [
      nodeRow(role('Node')),
      row('rolearn', role('Bootstrap'), 'bootstrapper', ['system:bootstrappers']),
      row('rolearn', role('Admin')),
      row('rolearn', role('AWSReservedSSO_ReadOnly_0123456789abcdef'), 'sso', ['readers']),
      row('rolearn', role('Dev'), 'dev', ['devs']),
      broken(role('X')),
    ].join('');
    const hits = run(configMapText({ mapRoles }));
    expect(hits).toHaveLength(1);
    // A node row takes 5 lines, the others 4 (one group each).
    const lines = [LINE_OF(1), LINE_OF(6), LINE_OF(10), LINE_OF(14), LINE_OF(18), LINE_OF(22)];
    const nodeRows = `mapRoles[0] (line ${lines[0]}) ${role('Node')}, mapRoles[1] (line ${lines[1]}) ${role('Bootstrap')}`;
    const adminRows = `mapRoles[2] (line ${lines[2]}) ${role('Admin')} [system:masters], mapRoles[3] (line ${lines[3]}) ${role('AWSReservedSSO_ReadOnly_0123456789abcdef')} [readers]`;
    const otherRows = `mapRoles[4] (line ${lines[4]}) ${role('Dev')}, mapRoles[5] (line ${lines[5]}) ${role('X')}`;
    const lost = [
      'all 6 rows of mapRoles are lost',
      `node rows ${nodeRows}: nodes using these roles can no longer authenticate: new nodes cannot join; existing ones fail on token refresh`,
      `admin and SSO rows ${adminRows}: these principals get 401 Unauthorized`,
      `other rows ${otherRows}: these principals get 401 Unauthorized`,
    ].join('; ');
    expect(hits[0]).toMatchObject({
      messageId: 'unquotedTemplate',
      location: { line: LINE_OF(23), column: 17 },
      data: { lostCount: 6, nodeRows, adminRows, otherRows, lost, nodegroupNote: NODEGROUP_NOTE, arnKey: 'rolearn' },
    });
    const finding = renderHit(check, hits[0] as Hit);
    expect(finding.message).toBe(
      `mapRoles does not parse at line ${LINE_OF(23)}, column 17 (${String(hits[0]?.data.error)}): \`username: {{SessionName}}\` starts with \`{{\`, which YAML reads as a mapping, not a string. EKS ignores the whole block: ${lost}${NODEGROUP_NOTE}.`,
    );
    expect(finding.remediation).toBe(
      'Quote every value that starts with `{{` (username: "{{SessionName}}") and replace the ConfigMap.',
    );
  });

  test('the only lost row, of mapUsers: no node or admin part, and the user key in the remediation', () => {
    const hits = run(configMapText({ mapUsers: `userarn: arn:aws:iam::${ACCOUNT}:user/u\nusername: u\n` }));
    expect(hits).toMatchObject([
      {
        messageId: 'notAList',
        subject: { kind: 'aws-auth', name: 'data.mapUsers' },
        location: { key: 'mapUsers', line: LINE_OF(1), column: 5 },
        affectsPrincipal: false,
        data: {
          block: 'mapUsers',
          found: 'a mapping',
          arnKey: 'userarn',
          lostCount: 1,
          nodeRows: '',
          adminRows: '',
          otherRows: `mapUsers[0] (line ${LINE_OF(1)}) arn:aws:iam::${ACCOUNT}:user/u`,
          lost: `the only row of mapUsers is lost; other rows mapUsers[0] (line ${LINE_OF(1)}) arn:aws:iam::${ACCOUNT}:user/u: these principals get 401 Unauthorized`,
        },
      },
    ]);
    expect(renderHit(check, hits[0] as Hit).remediation).toBe(
      'Write mapUsers as a YAML list with one `- userarn: …` item per row and replace the ConfigMap.',
    );
  });

  test('a lost row without an ARN says so', () => {
    const hits = run(configMapText({ mapRoles: `- rolearn: ""\n  username: {{SessionName}}\n` }));
    expect(hits).toMatchObject([
      { messageId: 'unquotedTemplate', data: { otherRows: `mapRoles[0] (line ${LINE_OF(1)}) (no ARN)` } },
    ]);
  });

  test.each([
    ['a string', '"just text"\n', 'a string'],
    ['a number', '12\n', 'a number'],
    ['a mapping', 'a: b\n', 'a mapping'],
  ])('a block that is %s holds no row: every row of it is lost', (_, mapRoles, found) => {
    const hits = run(configMapText({ mapRoles }));
    expect(hits).toMatchObject([
      {
        messageId: 'notAList',
        data: { found, lostCount: 0, lost: 'every row of mapRoles is lost', arnKey: 'rolearn' },
      },
    ]);
    expect(renderHit(check, hits[0] as Hit).message).toBe(
      `mapRoles at line ${LINE_OF(1)} is ${found}, not a list (${String(hits[0]?.data.error)}): EKS decodes nothing from it: every row of mapRoles is lost${NODEGROUP_NOTE}.`,
    );
  });

  test('mapAccounts that does not parse: no account is authenticated through it, no node group note, a hand edit', () => {
    const text = configMapText({ mapAccounts: `- "${ACCOUNT}\n` });
    const evidence = { awsAuth: awsAuthFromText(text), cluster: { name: 'prod', region: 'eu-west-1' } };
    const hits = check.run(contextFor(evidence));
    expect(hits).toMatchObject([
      {
        messageId: 'syntax',
        subject: { kind: 'aws-auth', name: 'data.mapAccounts' },
        data: {
          block: 'mapAccounts',
          lost: 'no account in mapAccounts is authenticated through it',
          lostCount: 0,
          nodegroupNote: '',
        },
      },
    ]);
    const { line } = hits[0]?.location ?? { line: 0 };
    const finding = renderHit(check, hits[0] as Hit, evidence);
    expect(finding.message).toBe(
      `mapAccounts does not parse at line ${line}, column ${hits[0]?.location?.column} (${String(hits[0]?.data.error)}). EKS ignores the whole block: no account in mapAccounts is authenticated through it.`,
    );
    expect(finding.remediation).toBe(`Correct the YAML of mapAccounts at line ${line} and replace the ConfigMap.`);
    expect(finding.fix?.steps.map((s) => s.title)).toEqual([
      'Rewrite mapAccounts as a YAML list of quoted 12-digit account ids',
    ]);
    expect(finding.fix?.kubectl).toBe(
      [
        'kubectl get configmap aws-auth -n kube-system -o yaml > aws-auth.yaml',
        `# edit aws-auth.yaml: fix mapAccounts at line ${line}: a list of quoted 12-digit account ids, e.g. - "111122223333"`,
        'eksauth lint aws-auth.yaml',
        'kubectl replace -f aws-auth.yaml',
      ].join('\n'),
    );
    expect(finding.fix?.eksctl).toBe('# eksctl has no flag for mapAccounts: fix it with kubectl or Terraform');
    expect(finding.fix?.aws).toBe(
      '# aws-auth is a Kubernetes object: the aws CLI cannot edit it (use kubectl, eksctl or Terraform)',
    );
    expect(finding.fix?.terraform).toBe(
      '# terraform-aws-modules/eks//modules/aws-auth\naws_auth_accounts = ["111122223333"]',
    );
  });

  test.each([
    ['its account', `arn:aws:iam::444455556666:role/Partner`, true],
    ['another account', `arn:aws:iam::${ACCOUNT}:role/Partner`, false],
  ])('a principal of %s written in a mapAccounts that does not parse', (_, arn, affects) => {
    const text = configMapText({ mapAccounts: '- "444455556666"\n- "7777\n' });
    expect(run(text, { principal: principal(arn) })).toMatchObject([
      { messageId: 'syntax', data: { block: 'mapAccounts' }, affectsPrincipal: affects },
    ]);
  });

  test('a lost mapRoles does not concern a principal that mapAccounts authenticates and no lost row names', () => {
    const text = configMapText({
      mapRoles: broken(role('Other')),
      mapAccounts: `- "${ACCOUNT}"\n`,
    });
    expect(run(text, { principal: principal(role('Dev')) })).toMatchObject([
      { messageId: 'unquotedTemplate', affectsPrincipal: false },
    ]);
  });

  test('a forgotten | : the step says to write the block as a string, lint it and apply it', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\ndata:\n  mapUsers:\n    - userarn: arn:aws:iam::111122223333:user/u\n      username: u\n';
    const hits = run(text);
    expect(hits).toMatchObject([
      {
        messageId: 'notAString',
        subject: { kind: 'aws-auth', name: 'data.mapUsers' },
        data: { block: 'mapUsers', found: 'list or mapping' },
      },
    ]);
    const finding = renderHit(check, hits[0] as Hit);
    expect(finding.message).toBe(
      '`data.mapUsers` (line 6) is a YAML list or mapping, not a string: the `|` after `mapUsers:` is missing, so the Kubernetes API rejects the whole ConfigMap and the cluster keeps its previous aws-auth.',
    );
    expect(finding.fix?.steps.map((s) => s.title)).toEqual([
      'Write `mapUsers: |` in the file so that the rows become one string, then apply it',
    ]);
    expect(finding.fix?.kubectl).toBe(
      [
        '# in aws-auth.yaml, write "mapUsers: |" (the rows below it become one string)',
        'eksauth lint aws-auth.yaml',
        "kubectl apply '--dry-run=server' -f aws-auth.yaml",
        'kubectl apply -f aws-auth.yaml',
      ].join('\n'),
    );
    expect(finding.fix?.eksctl).toBe('# eksctl writes the block as a string itself; fix the file with kubectl first');
    expect(finding.fix?.terraform).toBe(
      '# kubernetes_config_map_v1_data: a block must be a string, so encode the list\ndata = { mapUsers = yamlencode(local.aws_auth_rows) }',
    );
  });

  test.each([
    ['after a list dash', `- username: {{SessionName}}  \n  rolearn: ${role('A')}\n`, 'username: {{SessionName}}'],
    [
      'on a later key, spaces kept',
      `- rolearn: ${role('A')}\n  username:   {{SessionName}}\n`,
      'username:   {{SessionName}}',
    ],
  ])('the unquoted template is quoted as written: %s', (_, mapRoles, written) => {
    const hits = run(configMapText({ mapRoles }));
    expect(hits).toMatchObject([
      { messageId: 'unquotedTemplate', data: { written, corrected: written.replace(/(\{\{.*)$/, '"$1"') } },
    ]);
  });

  test('an unquoted template in a block that fails on a syntax error first is a plain syntax error', () => {
    // The parser stops at the broken flow list before it ever builds the mapping key.
    const mapRoles = `- rolearn: ${role('A')}\n  username: {{SessionName}}\n- rolearn: [\n`;
    expect(run(configMapText({ mapRoles }))).toMatchObject([{ messageId: 'syntax', location: { line: LINE_OF(4) } }]);
  });

  test('a syntax error elsewhere in a block that also quotes its templates is a plain syntax error', () => {
    const mapRoles = `- rolearn: ${role('A')}\n  username: "{{SessionName}}"\n   groups:\n    - g\n`;
    expect(run(configMapText({ mapRoles }))).toMatchObject([{ messageId: 'syntax' }]);
  });
});
