import { describe, expect, test } from 'vitest';
import check from '../../../checks/aws-auth/key-casing.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, awsAuthFromText, contextFor, principal } from '../../helpers/evidence.js';
import { LINE_OF, configMapText, row } from './_configmap.js';
import { isHandEdit, patchOf } from './_patch.js';

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
