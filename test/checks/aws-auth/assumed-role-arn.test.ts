import { describe, expect, test } from 'vitest';
import check from '../../../checks/aws-auth/assumed-role-arn.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, awsAuthFromText, contextFor, entry, principal } from '../../helpers/evidence.js';
import { LINE_OF, configMapText, row } from './_configmap.js';
import { renderHit } from '../../../src/core/run-checks.js';
import type { Hit } from '../../../src/core/types.js';

const SESSION_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const run = (data: Record<string, string>, evidence: Partial<Evidence> = {}) =>
  check.run(contextFor({ awsAuth: awsAuthFromText(configMapText(data)), ...evidence }));

describe('aws-auth/assumed-role-arn', () => {
  test.each([
    ['the role ARN', { mapRoles: row('rolearn', ROLE_ARN) }],
    [
      'a federated-user ARN (valid as it is)',
      { mapUsers: row('userarn', `arn:aws:sts::${ACCOUNT}:federated-user/Bob`) },
    ],
    [
      'an sso row',
      { mapRoles: '- sso:\n    permissionSetName: Admin\n    accountID: "111122223333"\n  username: a\n' },
    ],
  ])('passes: %s', (_, data) => {
    expect(run(data)).toEqual([]);
  });

  test('passes without aws-auth', () => {
    expect(check.run(contextFor({}))).toEqual([]);
  });

  test('M3: a session ARN as rolearn never matches', () => {
    expect(run({ mapRoles: row('rolearn', SESSION_ARN, 'admin') })).toMatchObject([
      {
        messageId: 'sessionArn',
        subject: { name: 'mapRoles[0]' },
        location: { line: LINE_OF(1), column: 7 },
        affectsPrincipal: false,
        data: { key: 'rolearn', arn: SESSION_ARN, roleArn: ROLE_ARN, roleName: 'Admin', session: 'alice' },
      },
    ]);
  });

  test('a session ARN as userarn', () => {
    expect(run({ mapUsers: row('userarn', SESSION_ARN) })).toMatchObject([
      { messageId: 'sessionArn', data: { key: 'userarn', roleArn: ROLE_ARN } },
    ]);
  });

  test('a session ARN without a session still names its role', () => {
    expect(run({ mapRoles: row('rolearn', `arn:aws:sts::${ACCOUNT}:assumed-role/Admin`) })).toMatchObject([
      { data: { roleArn: ROLE_ARN, session: '(none)' } },
    ]);
  });

  test('concerns the role that is refused because of it', () => {
    const hits = run(
      { mapRoles: row('rolearn', SESSION_ARN) },
      { principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/bob`) },
    );
    expect(hits).toMatchObject([{ affectsPrincipal: true }]);
  });

  test.each<[string, Partial<Evidence>]>([
    ['another role', { principal: principal(`arn:aws:iam::${ACCOUNT}:role/Other`) }],
    [
      'the role, mapped by a correct row as well',
      {
        principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/bob`),
        awsAuth: awsAuthFromText(
          configMapText({ mapRoles: `${row('rolearn', SESSION_ARN)}${row('rolearn', ROLE_ARN)}` }),
        ),
      },
    ],
    [
      'the role, mapped by an access entry',
      {
        principal: principal(ROLE_ARN),
        cluster: { name: 'c', authenticationMode: 'API_AND_CONFIG_MAP' },
        accessEntries: [entry(ROLE_ARN)],
      },
    ],
  ])('does not concern %s', (_, evidence) => {
    expect(run({ mapRoles: row('rolearn', SESSION_ARN) }, evidence)).toMatchObject([{ affectsPrincipal: false }]);
  });

  test('judges rows of a block that does not parse, without blaming them for the refusal', () => {
    const mapRoles = `${row('rolearn', SESSION_ARN)}- rolearn: ${ROLE_ARN}\n  username: {{SessionName}}\n`;
    expect(run({ mapRoles }, { principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/bob`) })).toMatchObject(
      [{ messageId: 'sessionArn', affectsPrincipal: false }],
    );
  });
});

describe('aws-auth/assumed-role-arn: exact findings', () => {
  test('the message and remediation name the row, the session ARN and the role ARN to write', () => {
    const hits = run({ mapRoles: row('rolearn', `arn:aws-cn:sts::${ACCOUNT}:assumed-role/Admin/alice`, 'admin') });
    const finding = renderHit(check, hits[0] as Hit);
    expect(finding.message).toBe(
      `mapRoles[0] (line ${LINE_OF(1)}) rolearn arn:aws-cn:sts::${ACCOUNT}:assumed-role/Admin/alice is an STS session ARN: EKS never canonicalises aws-auth rows, while every caller arrives as the role ARN arn:aws-cn:iam::${ACCOUNT}:role/Admin, so this row never matches.`,
    );
    expect(finding.remediation).toBe(
      `Write the rolearn as arn:aws-cn:iam::${ACCOUNT}:role/Admin, and put {{SessionName}} in the username if you need the session name.`,
    );
    expect(finding.fix?.risks?.[0]).toBe(
      'The row then matches every session of Admin, not only alice: if it grants system:masters, every holder of the role becomes cluster admin.',
    );
  });

  test('a role name is everything between assumed-role/ and the session, as the authenticator canonicalises it', () => {
    expect(run({ mapRoles: row('rolearn', `arn:aws:sts::${ACCOUNT}:assumed-role/a/b/c`) })).toMatchObject([
      { data: { roleName: 'a/b', session: 'c', roleArn: `arn:aws:iam::${ACCOUNT}:role/a/b` } },
    ]);
  });

  test.each([
    ['an IAM ARN with an assumed-role resource', `arn:aws:iam::${ACCOUNT}:assumed-role/Admin/x`],
    ['an STS ARN of another kind', `arn:aws:sts::${ACCOUNT}:federated-user/Admin`],
    ['not an ARN', 'assumed-role/Admin/x'],
  ])('passes: %s', (_, arn) => {
    expect(run({ mapRoles: row('rolearn', arn) })).toEqual([]);
  });

  test('a quoted ARN with spaces is read trimmed, and still concerns the principal it names', () => {
    // The simulation calls this row a whitespace near miss (malformed-arn); the session ARN is the principal's all the same.
    const hits = run(
      { mapRoles: row('rolearn', `" ${SESSION_ARN} "`) },
      { principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/bob`) },
    );
    expect(hits).toMatchObject([
      { affectsPrincipal: true, data: { arn: ` ${SESSION_ARN} `, roleArn: ROLE_ARN, session: 'alice' } },
    ]);
  });

  test('under mapUsers the row gets no fix of its own: aws-auth/wrong-section moves it to mapRoles', () => {
    expect(run({ mapUsers: row('userarn', SESSION_ARN) })).toMatchObject([
      { subject: { name: 'mapUsers[0]' }, fix: [] },
    ]);
  });
});
