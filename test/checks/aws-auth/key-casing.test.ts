import { describe, expect, test } from 'vitest';
import check from '../../../checks/aws-auth/key-casing.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, awsAuthFromText, contextFor, principal } from '../../helpers/evidence.js';
import { LINE_OF, configMapText, row } from './_configmap.js';
import { isHandEdit, patchOf } from './_patch.js';
import { renderHit } from '../../../src/core/run-checks.js';

const ROLE = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const run = (data: Record<string, string>, evidence: Partial<Evidence> = {}) =>
  check.run(contextFor({ awsAuth: awsAuthFromText(configMapText(data)), ...evidence }));

describe('aws-auth/key-casing', () => {
  test.each([
    [
      'D1: documented spellings',
      {
        mapRoles: row('rolearn', ROLE),
        mapUsers: row('userarn', `arn:aws:iam::${ACCOUNT}:user/a`),
        mapAccounts: '- "555555555555"\n',
      },
    ],
    [
      'an sso row (permissionSetName and accountID are camel case by definition)',
      { mapRoles: '- sso:\n    permissionSetName: A\n    accountID: "111122223333"\n  username: a\n' },
    ],
    ['an unrelated data key', { somethingElse: 'x' }],
  ])('passes: %s', (_, data) => {
    expect(run(data)).toEqual([]);
  });

  test.each([
    ['maproles', 'mapRoles'],
    ['MapRoles', 'mapRoles'],
    ['map_users', 'mapUsers'],
    ['mapaccounts', 'mapAccounts'],
  ])('D4: data.%s is never read', (key, meant) => {
    const hits = run({ [key]: row(meant === 'mapUsers' ? 'userarn' : 'rolearn', ROLE) });
    expect(hits).toMatchObject([
      {
        messageId: 'topLevelKey',
        subject: { name: `data.${key}` },
        location: { line: LINE_OF(0), column: 3 },
        affectsPrincipal: false,
        data: { key, meant, alsoNote: '' },
      },
    ]);
  });

  test('counts the rows lost under the misspelt key and notes the real key next to it', () => {
    const hits = run({
      mapRoles: row('rolearn', `arn:aws:iam::${ACCOUNT}:role/Other`),
      maproles: `${row('rolearn', ROLE)}${row('rolearn', `arn:aws:iam::${ACCOUNT}:role/B`)}`,
    });
    expect(hits).toMatchObject([
      { messageId: 'topLevelKey', data: { count: 2, alsoNote: expect.stringContaining('data.mapRoles exists too') } },
    ]);
  });

  test('concerns the principal whose only row sits under the misspelt key', () => {
    expect(
      run({ maproles: row('rolearn', ROLE) }, { principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s`) }),
    ).toMatchObject([{ affectsPrincipal: true }]);
    expect(
      run({ maproles: row('rolearn', ROLE) }, { principal: principal(`arn:aws:iam::${ACCOUNT}:role/Other`) }),
    ).toMatchObject([{ affectsPrincipal: false }]);
  });

  test('D3: roleARN / userARN are read today but were not always: a warning', () => {
    const hits = run({ mapRoles: row('roleARN', ROLE), mapUsers: row('userARN', `arn:aws:iam::${ACCOUNT}:user/a`) });
    expect(hits).toMatchObject([
      {
        messageId: 'entryKey',
        subject: { name: 'mapRoles[0]' },
        location: { line: LINE_OF(1) },
        affectsPrincipal: false,
        data: { keys: 'roleARN', expected: 'rolearn' },
      },
      { messageId: 'entryKey', subject: { name: 'mapUsers[0]' }, data: { keys: 'userARN', expected: 'userarn' } },
    ]);
  });

  test('D2: crazy-case keys are listed together', () => {
    const hits = run({ mapRoles: `- rOlEaRn: ${ROLE}\n  UsErNaMe: a\n  gRoUpS:\n    - g\n` });
    expect(hits).toHaveLength(1);
    expect(String(hits[0]?.data.keys).split(', ').sort()).toEqual(['UsErNaMe', 'gRoUpS', 'rOlEaRn']);
  });
});

describe('aws-auth/key-casing: the exact patch', () => {
  const DEPLOYER = `arn:aws:iam::${ACCOUNT}:role/deployer`;
  const rows = `- rolearn: ${DEPLOYER}\n  username: deployer\n  groups:\n    - system:masters\n`;
  const evidenceOf = (data: Record<string, string>): Evidence => ({
    awsAuth: awsAuthFromText(configMapText(data)),
    principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/deployer/pipeline`),
  });
  const topLevel = (evidence: Evidence) => check.run(contextFor(evidence)).find((h) => h.messageId === 'topLevelKey');

  test('the scenario: data.maproles is removed and its text set under mapRoles, in one patch', () => {
    const evidence = evidenceOf({ maproles: rows });
    expect(patchOf(check, topLevel(evidence), evidence)?.data).toEqual({ maproles: null, mapRoles: rows });
  });

  test('when mapRoles exists too, the rows are merged after its own', () => {
    const own = `# nodes\n- rolearn: arn:aws:iam::${ACCOUNT}:role/node\n  username: system:node:{{EC2PrivateDNSName}}\n`;
    const evidence = evidenceOf({ mapRoles: own, maproles: rows });
    expect(patchOf(check, topLevel(evidence), evidence)?.data).toEqual({ maproles: null, mapRoles: `${own}${rows}` });
  });

  test('mapaccounts becomes mapAccounts', () => {
    const evidence = evidenceOf({ mapaccounts: '- "444455556666"\n' });
    expect(patchOf(check, topLevel(evidence), evidence)?.data).toEqual({
      mapaccounts: null,
      mapAccounts: '- "444455556666"\n',
    });
  });

  test.each([
    ['two keys both meaning mapRoles', { maproles: rows, MapRoles: rows }],
    ['a miscased block that does not parse', { maproles: '- rolearn: [\n' }],
  ])('falls back to the hand edit: %s', (_, data) => {
    const evidence = evidenceOf(data);
    expect(isHandEdit(check, topLevel(evidence), evidence)).toBe(true);
  });
});

describe('aws-auth/key-casing: exact findings', () => {
  const CLUSTER = { name: 'prod', region: 'eu-west-1' };
  const render = (data: Record<string, string>) => {
    const evidence: Evidence = { awsAuth: awsAuthFromText(configMapText(data)), cluster: CLUSTER };
    const hits = check.run(contextFor(evidence));
    return { evidence, hits, findings: hits.map((h) => renderHit(check, h, evidence)) };
  };

  test('one row under a misspelt key, alone: the message, remediation and the exact rename', () => {
    const { hits, findings } = render({ MapUsers: row('userarn', `arn:aws:iam::${ACCOUNT}:user/a`, 'a') });
    expect(hits[0]?.data).toEqual({
      key: 'MapUsers',
      meant: 'mapUsers',
      line: LINE_OF(0),
      count: 1,
      rows: '1 row',
      map: 'maps',
      alsoNote: '',
      mergeNote: '',
      cluster: 'prod',
    });
    expect(findings[0]?.message).toBe(
      `\`data.MapUsers\` (line ${LINE_OF(0)}) is never read: EKS reads only the exact key mapUsers, so the 1 row under it maps nobody.`,
    );
    expect(findings[0]?.remediation).toBe('Rename data.MapUsers to mapUsers.');
    expect(findings[0]?.fix?.eksctl).toBe(
      '# eksctl reads only mapUsers; check what EKS sees after the rename:\neksctl get iamidentitymapping --cluster prod --region eu-west-1',
    );
    expect(findings[0]?.fix?.terraform).toBe(
      '# kubernetes_config_map_v1_data or terraform-aws-modules/eks//modules/aws-auth: the data keys are case-sensitive\ndata = { mapUsers = yamlencode(local.mapUsers) }',
    );
  });

  test('a misspelt mapAccounts counts the accounts it holds, and merges them after the ones read', () => {
    const { evidence, hits, findings } = render({
      mapAccounts: `- "${ACCOUNT}"\n`,
      mapaccounts: '- "444455556666"\n- "777788889999"\n',
    });
    expect(hits).toMatchObject([
      {
        messageId: 'topLevelKey',
        data: {
          count: 2,
          rows: '2 accounts',
          map: 'map',
          alsoNote: ' (data.mapAccounts exists too and is the one EKS reads)',
          mergeNote: ', merging its rows into the existing mapAccounts',
        },
      },
    ]);
    expect(findings[0]?.message).toBe(
      `\`data.mapaccounts\` (line ${LINE_OF(2)}) is never read: EKS reads only the exact key mapAccounts, so the 2 accounts under it map nobody (data.mapAccounts exists too and is the one EKS reads).`,
    );
    expect(findings[0]?.remediation).toBe(
      'Rename data.mapaccounts to mapAccounts, merging its rows into the existing mapAccounts.',
    );
    expect(patchOf(check, hits[0], evidence)?.data).toEqual({
      mapaccounts: null,
      mapAccounts: `- "${ACCOUNT}"\n- "444455556666"\n- "777788889999"\n`,
    });
  });

  test('a misspelt mapAccounts that does not parse counts no account and is a hand edit', () => {
    const { evidence, hits } = render({ mapaccounts: '- "4444\n' });
    expect(hits).toMatchObject([{ messageId: 'topLevelKey', data: { count: 0, rows: '0 accounts', map: 'map' } }]);
    expect(isHandEdit(check, hits[0], evidence)).toBe(true);
  });

  test('moved rows that repeat a key keep both spellings, as EKS reads them', () => {
    const own = row('rolearn', `arn:aws:iam::${ACCOUNT}:role/a`, 'a');
    const moved = `- rolearn: arn:aws:iam::${ACCOUNT}:role/b\n  username: first\n  username: b\n`;
    const { evidence, hits } = render({ mapRoles: own, maproles: moved });
    expect(patchOf(check, hits[0], evidence)?.data).toEqual({ maproles: null, mapRoles: `${own}${moved}` });
  });

  test('a misspelt mapUsers merges after the users already read', () => {
    const own = row('userarn', `arn:aws:iam::${ACCOUNT}:user/a`, 'a');
    const moved = row('userarn', `arn:aws:iam::${ACCOUNT}:user/b`, 'b');
    const { evidence, hits } = render({ mapUsers: own, mapusers: moved });
    expect(patchOf(check, hits[0], evidence)?.data).toEqual({ mapusers: null, mapUsers: `${own}${moved}` });
  });

  test('two misspelt keys meaning different blocks: each gets its own exact rename', () => {
    const roles = row('rolearn', `arn:aws:iam::${ACCOUNT}:role/a`, 'a');
    const users = row('userarn', `arn:aws:iam::${ACCOUNT}:user/b`, 'b');
    const { evidence, hits } = render({ maproles: roles, mapusers: users });
    expect(hits.map((h) => patchOf(check, h, evidence)?.data)).toEqual([
      { maproles: null, mapRoles: roles },
      { mapusers: null, mapUsers: users },
    ]);
  });

  test('an empty flow list under the real key becomes a block list of the moved rows', () => {
    const moved = row('rolearn', `arn:aws:iam::${ACCOUNT}:role/a`, 'a');
    const { evidence, hits } = render({ mapRoles: '[]\n', maproles: moved });
    expect(patchOf(check, hits[0], evidence)?.data).toEqual({ maproles: null, mapRoles: moved });
  });

  test.each([
    [
      'the real key holds a mapping',
      { mapRoles: 'a: b\n', maproles: row('rolearn', `arn:aws:iam::${ACCOUNT}:role/a`) },
    ],
    [
      'the misspelt key holds a mapping',
      { mapRoles: row('rolearn', `arn:aws:iam::${ACCOUNT}:role/a`), maproles: 'a: b\n' },
    ],
  ])('falls back to the hand edit when %s', (_, data) => {
    const { evidence, hits, findings } = render(data);
    expect(isHandEdit(check, hits[0], evidence)).toBe(true);
    expect(findings[0]?.fix?.kubectl).toBe(
      'kubectl get configmap aws-auth -n kube-system -o yaml > aws-auth.yaml\n# edit aws-auth.yaml: rename data.maproles to mapRoles\neksauth lint aws-auth.yaml\nkubectl replace -f aws-auth.yaml',
    );
  });

  test('miscased entry keys: the exact message and the sed that lower-cases them', () => {
    const { hits, findings } = render({ mapRoles: `- roleArn: ${ROLE}\n  UserName: a\n  groups:\n    - g\n` });
    expect(hits).toEqual([
      {
        messageId: 'entryKey',
        subject: { kind: 'aws-auth', name: 'mapRoles[0]' },
        location: expect.objectContaining({ line: LINE_OF(1) }),
        affectsPrincipal: false,
        data: {
          where: `mapRoles[0] (line ${LINE_OF(1)})`,
          // In the order YAMLToJSON sorts keys (byte order: upper case first).
          keys: 'UserName, roleArn',
          expected: 'username, rolearn',
          cluster: 'prod',
          sed: ['-e', 's/\\([ -]\\)UserName:/\\1username:/', '-e', 's/\\([ -]\\)roleArn:/\\1rolearn:/'],
        },
      },
    ]);
    expect(findings[0]?.message).toBe(
      `mapRoles[0] (line ${LINE_OF(1)}) spells UserName, roleArn: the current authenticator matches entry keys case-insensitively, but the release-0.5 parser, which some EKS versions ran, reads only username, rolearn and leaves such fields empty.`,
    );
    expect(findings[0]?.severity).toBe('warning');
    expect(findings[0]?.fix?.kubectl).toBe(
      "kubectl get configmap aws-auth -n kube-system -o yaml | sed -e 's/\\([ -]\\)UserName:/\\1username:/' -e 's/\\([ -]\\)roleArn:/\\1rolearn:/' | kubectl replace -f -",
    );
  });

  test('an undocumented key in any case is not a casing problem', () => {
    expect(render({ mapRoles: `- rolearn: ${ROLE}\n  Team: a\n` }).hits).toEqual([]);
  });
});
