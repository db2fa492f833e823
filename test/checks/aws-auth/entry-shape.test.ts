import { describe, expect, test } from 'vitest';
import check from '../../../checks/aws-auth/entry-shape.js';
import { ACCOUNT, awsAuthFromText, contextFor, principal } from '../../helpers/evidence.js';
import { LINE_OF, configMapText, nodeRow, row } from './_configmap.js';
import { isHandEdit, patchOf } from './_patch.js';
import { renderHit } from '../../../src/core/run-checks.js';
import type { Hit } from '../../../src/core/types.js';
import type { Evidence } from '../../../src/model/evidence.js';

const A = `arn:aws:iam::${ACCOUNT}:role/A`;
const lint = (mapRoles: string, mapUsers?: string) =>
  check.run(contextFor({ awsAuth: awsAuthFromText(configMapText({ mapRoles, ...(mapUsers ? { mapUsers } : {}) })) }));
const explain = (arn: string, mapRoles: string) =>
  check.run(contextFor({ awsAuth: awsAuthFromText(configMapText({ mapRoles })), principal: principal(arn) }));

describe('aws-auth/entry-shape', () => {
  test.each([
    ['D1: a well-formed node row and admin row', `${nodeRow(`arn:aws:iam::${ACCOUNT}:role/Node`)}${row('rolearn', A)}`],
    [
      'D8: an sso row',
      '- sso:\n    permissionSetName: ViewOnlyAccess\n    accountID: "012345678912"\n    partition: aws-cn\n  username: viewer\n',
    ],
    ['flow-style groups', `- rolearn: ${A}\n  username: a\n  groups: [g1, g2]\n`],
    [
      'a userarn row in mapRoles (aws-auth/wrong-section reports it)',
      `- userarn: arn:aws:iam::${ACCOUNT}:user/u\n  username: u\n`,
    ],
    ['a broken block (aws-auth/yaml-invalid reports it)', `- rolearn: ${A}\n  username: {{SessionName}}\n`],
  ])('passes: %s', (_, mapRoles) => {
    expect(lint(mapRoles)).toEqual([]);
  });

  test('D12: groups as a scalar keeps the row with no groups', () => {
    const mapRoles = `- rolearn: ${A}\n  username: a\n  groups: system:masters\n${row('rolearn', `arn:aws:iam::${ACCOUNT}:role/B`, 'b', ['g'])}`;
    expect(lint(mapRoles)).toMatchObject([
      {
        messageId: 'typeError',
        subject: { name: 'mapRoles[0]' },
        location: { line: LINE_OF(3), column: 15 },
        affectsPrincipal: false,
        data: { field: 'groups' },
      },
    ]);
  });

  test.each([
    ['a number', '12345'],
    ['a YAML 1.1 bool', 'yes'],
    ['true', 'true'],
  ])('D13: username as %s keeps the row with an empty username', (_, value) => {
    expect(lint(`- rolearn: ${A}\n  username: ${value}\n`)).toMatchObject([
      { messageId: 'typeError', location: { line: LINE_OF(2) }, data: { field: 'username' } },
    ]);
  });

  test('D12: a type error concerns the principal mapped through that row', () => {
    const hits = explain(
      `arn:aws:sts::${ACCOUNT}:assumed-role/A/s`,
      `- rolearn: ${A}\n  username: a\n  groups: system:masters\n`,
    );
    expect(hits).toMatchObject([{ messageId: 'typeError', affectsPrincipal: true }]);
  });

  test('D14: a row without rolearn is dropped, the rest kept', () => {
    const hits = lint(`- username: x\n  groups: [g]\n${row('rolearn', A)}`);
    expect(hits).toMatchObject([
      {
        messageId: 'dropped',
        subject: { name: 'mapRoles[0]' },
        location: { line: LINE_OF(1), column: 7 },
        data: { reason: 'one of rolearn or SSO must be supplied' },
      },
    ]);
  });

  test('a row with both rolearn and sso is dropped and concerns its role', () => {
    const mapRoles = `- rolearn: ${A}\n  sso:\n    permissionSetName: Admin\n    accountID: "${ACCOUNT}"\n  username: a\n`;
    expect(lint(mapRoles)).toMatchObject([
      { messageId: 'dropped', affectsPrincipal: false, data: { reason: 'only one of rolearn or SSO can be supplied' } },
    ]);
    expect(explain(`arn:aws:sts::${ACCOUNT}:assumed-role/A/s`, mapRoles)).toMatchObject([
      { messageId: 'dropped', affectsPrincipal: true },
    ]);
  });

  test.each([
    [
      'an account id that is not 12 digits',
      '    permissionSetName: Admin\n    accountID: "1234"\n',
      "AccountID '1234' is not a valid AWS Account ID",
    ],
    [
      'a permission set name with a space',
      '    permissionSetName: My Admin\n    accountID: "111122223333"\n',
      "PermissionSetName 'My Admin' is not a valid AWS SSO PermissionSet Name",
    ],
    [
      'an unknown partition',
      '    permissionSetName: Admin\n    accountID: "111122223333"\n    partition: aws-us-govt\n',
      "partition 'aws-us-govt' is not a valid AWS partition",
    ],
  ])('an sso row with %s is dropped', (_, sso, reason) => {
    expect(lint(`- sso:\n${sso}  username: a\n`)).toMatchObject([{ messageId: 'dropped', data: { reason } }]);
  });

  test('a misspelt rolearn key: the row is dropped, and the principal it names is concerned', () => {
    const mapRoles = `- rolarn: ${A}\n  username: a\n`;
    expect(lint(mapRoles)).toMatchObject([
      { messageId: 'dropped', data: { detail: expect.stringContaining('rolarn') } },
    ]);
    expect(explain(`arn:aws:sts::${ACCOUNT}:assumed-role/A/s`, mapRoles)).toMatchObject([{ affectsPrincipal: true }]);
  });

  test('a list item that is not a mapping is dropped', () => {
    expect(lint(`- ${A}\n`)).toMatchObject([
      { messageId: 'dropped', data: { detail: expect.stringContaining('cannot unmarshal string') } },
    ]);
  });

  test('a mapUsers row without userarn', () => {
    expect(lint(row('rolearn', A), '- username: u\n')).toMatchObject([
      {
        messageId: 'dropped',
        subject: { name: 'mapUsers[0]' },
        data: { reason: 'value for userarn must be supplied' },
      },
    ]);
  });

  test.each([
    [
      'the same key twice',
      `- rolearn: ${A}\n  username: first\n  username: second\n`,
      { key: 'username', winner: 'username', line: LINE_OF(2), winnerLine: LINE_OF(3) },
    ],
    [
      'the key in two spellings',
      `- rolearn: ${A}\n  roleARN: arn:aws:iam::${ACCOUNT}:role/B\n  username: a\n`,
      { key: 'roleARN', winner: 'rolearn', line: LINE_OF(2), winnerLine: LINE_OF(1) },
    ],
  ])('duplicate keys: %s', (_, mapRoles, data) => {
    expect(lint(mapRoles)).toMatchObject([{ messageId: 'duplicateKey', location: { line: data.line }, data }]);
  });

  test('D5: a list item indented one space too far folds into the group above', () => {
    const mapRoles = `- rolearn: ${A}\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n     - system:nodes\n`;
    expect(lint(mapRoles)).toMatchObject([
      {
        messageId: 'foldedList',
        location: { line: LINE_OF(3) },
        data: { group: 'system:bootstrappers - system:nodes', parts: 'system:bootstrappers, system:nodes' },
      },
    ]);
  });
});

describe('aws-auth/entry-shape: the exact patch', () => {
  const ADMIN = `arn:aws:iam::${ACCOUNT}:role/admin`;
  const evidenceOf = (mapRoles: string): Evidence => ({
    awsAuth: awsAuthFromText(configMapText({ mapRoles })),
    principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/admin/alice`),
  });
  const patched = (mapRoles: string): Record<string, string | null> | undefined => {
    const evidence = evidenceOf(mapRoles);
    const hits = check.run(contextFor(evidence));
    return patchOf(check, hits[0], evidence)?.data;
  };

  test('the scenario: groups written as a string becomes a one-item list', () => {
    expect(patched(`- rolearn: ${ADMIN}\n  username: admin:{{SessionName}}\n  groups: system:masters\n`)).toEqual({
      mapRoles: `- rolearn: ${ADMIN}\n  username: admin:{{SessionName}}\n  groups:\n    - system:masters\n`,
    });
  });

  test('a number where a string belongs is quoted as written, and other rows keep their text', () => {
    const other = `- rolearn: ${ADMIN}x\n  username: 0777 # untouched\n`;
    expect(patched(`- rolearn: ${ADMIN}\n  username: 0123\n${other}`)?.mapRoles).toBe(
      `- rolearn: ${ADMIN}\n  username: "0123"\n${other}`,
    );
  });

  test('a folded groups list is split into its items', () => {
    expect(patched(`- rolearn: ${ADMIN}\n  username: a\n  groups:\n    - system:masters\n      - dev\n`)).toEqual({
      mapRoles: `- rolearn: ${ADMIN}\n  username: a\n  groups:\n    - system:masters\n    - dev\n`,
    });
  });

  test('a repeated key keeps the value EKS uses today, and says so', () => {
    const evidence = evidenceOf(`- rolearn: ${ADMIN}\n  Username: old\n  username: new\n  groups:\n    - dev\n`);
    const [hit] = check.run(contextFor(evidence));
    expect(hit?.messageId).toBe('duplicateKey');
    expect(patchOf(check, hit, evidence)?.data.mapRoles).toBe(
      `- rolearn: ${ADMIN}\n  username: new\n  groups:\n    - dev\n`,
    );
    expect(JSON.stringify(renderHit(check, hit as Hit, evidence).fix?.steps[0]?.kubectl?.text)).toContain(
      'the value EKS uses today',
    );
  });

  test('an ARN under a key EKS does not read is renamed to rolearn', () => {
    expect(patched(`- role_arn: ${ADMIN}\n  username: a\n  groups:\n    - dev\n`)).toEqual({
      mapRoles: `- rolearn: ${ADMIN}\n  username: a\n  groups:\n    - dev\n`,
    });
  });

  test.each([
    ['groups with two words in one string', `- rolearn: ${ADMIN}\n  username: a\n  groups: system:masters dev\n`],
    ['a dropped row without any ARN', `- username: a\n  groups:\n    - dev\n`],
  ])('falls back to the hand edit: %s', (_, mapRoles) => {
    const evidence = evidenceOf(mapRoles);
    const hits = check.run(contextFor(evidence));
    expect(hits.length).toBeGreaterThan(0);
    expect(isHandEdit(check, hits[0], evidence)).toBe(true);
  });
});
