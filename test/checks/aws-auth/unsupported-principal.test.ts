import { describe, expect, test } from 'vitest';
import check from '../../../checks/aws-auth/unsupported-principal.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, awsAuthFromText, contextFor, principal } from '../../helpers/evidence.js';
import { LINE_OF, configMapText, row } from './_configmap.js';
import { isHandEdit, patchOf } from './_patch.js';
import { renderHit } from '../../../src/core/run-checks.js';
import type { Hit } from '../../../src/core/types.js';

const run = (data: Record<string, string>, evidence: Partial<Evidence> = {}) =>
  check.run(contextFor({ awsAuth: awsAuthFromText(configMapText(data)), ...evidence }));

describe('aws-auth/unsupported-principal', () => {
  test.each([
    [
      'a role and a user',
      {
        mapRoles: row('rolearn', `arn:aws:iam::${ACCOUNT}:role/Admin`),
        mapUsers: row('userarn', `arn:aws:iam::${ACCOUNT}:user/alice`),
      },
    ],
    ['a name that merely contains "root"', { mapRoles: row('rolearn', `arn:aws:iam::${ACCOUNT}:role/rootless`) }],
    ['mapAccounts (the supported account-wide form)', { mapAccounts: `- "${ACCOUNT}"\n` }],
  ])('passes: %s', (_, data) => {
    expect(run(data)).toEqual([]);
  });

  test('an IAM group never matches', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:group/Devs`;
    expect(run({ mapUsers: row('userarn', arn) })).toMatchObject([
      {
        messageId: 'iamGroup',
        subject: { name: 'mapUsers[0]' },
        location: { line: LINE_OF(1) },
        affectsPrincipal: false,
        data: { arn, name: 'Devs', key: 'userarn' },
      },
    ]);
    // Membership is unknown offline: a refused IAM user of that account is the row's likely target.
    expect(
      run({ mapUsers: row('userarn', arn) }, { principal: principal(`arn:aws:iam::${ACCOUNT}:user/dev1`) }),
    ).toMatchObject([{ affectsPrincipal: true }]);
    expect(
      run({ mapUsers: row('userarn', arn) }, { principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Dev/s`) }),
    ).toMatchObject([{ affectsPrincipal: false }]);
    expect(
      run({ mapUsers: row('userarn', arn) }, { principal: principal('arn:aws:iam::444455556666:user/dev1') }),
    ).toMatchObject([{ affectsPrincipal: false }]);
  });

  test.each([
    [`arn:aws:iam::${ACCOUNT}:role/*`, `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s`, true],
    [`arn:aws:iam::${ACCOUNT}:role/eks-*`, `arn:aws:sts::${ACCOUNT}:assumed-role/EKS-admin/s`, true],
    [`arn:aws:iam::${ACCOUNT}:role/eks-?`, `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s`, false],
    ['"*"', `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s`, true],
  ])('a wildcard %s never matches; it concerns %s: %s', (arn, caller, affects) => {
    expect(run({ mapRoles: row('rolearn', arn) }, { principal: principal(caller) })).toMatchObject([
      { messageId: 'wildcard', affectsPrincipal: affects },
    ]);
  });

  test('the account root matches only the root user: a warning', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:root`;
    expect(run({ mapRoles: row('rolearn', arn) })).toMatchObject([
      { messageId: 'accountRoot', affectsPrincipal: false, data: { account: ACCOUNT, arn } },
    ]);
    expect(
      run({ mapRoles: row('rolearn', arn) }, { principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Dev/s`) }),
    ).toMatchObject([{ affectsPrincipal: true }]);
    expect(
      run({ mapRoles: row('rolearn', arn) }, { principal: principal(`arn:aws:sts::444455556666:assumed-role/Dev/s`) }),
    ).toMatchObject([{ affectsPrincipal: false }]);
  });

  // Exponential backtracking here would run for minutes: the test's own timeout is the guard.
  test('many wildcards are matched without exponential backtracking (check and simulation)', () => {
    const arn = `"arn:aws:iam::${ACCOUNT}:role/${'*a'.repeat(12)}*c"`;
    const hits = run(
      { mapRoles: row('rolearn', arn) },
      { principal: principal(`arn:aws:iam::${ACCOUNT}:role/${'a'.repeat(64)}`) },
    );
    expect(hits).toMatchObject([{ messageId: 'wildcard', affectsPrincipal: false }]);
  });
});

describe('aws-auth/unsupported-principal: the exact patch', () => {
  const GROUP = `arn:aws:iam::${ACCOUNT}:group/developers`;
  const DEV = `arn:aws:iam::${ACCOUNT}:user/dev-user`;
  const evidenceOf = (data: Record<string, string>, arn?: string): Evidence => ({
    awsAuth: awsAuthFromText(configMapText(data)),
    ...(arn ? { principal: principal(arn) } : {}),
  });

  test('the scenario: the group row becomes a row for the refused user, with a membership caveat', () => {
    const evidence = evidenceOf({ mapUsers: row('userarn', GROUP, 'developers') }, DEV);
    const [hit] = check.run(contextFor(evidence));
    expect(patchOf(check, hit, evidence)?.data).toEqual({ mapUsers: row('userarn', DEV, 'developers') });
    expect(renderHit(check, hit as Hit, evidence).fix?.steps[0]?.kubectl?.text).toContain(
      'apply this only if `aws iam get-group --group-name developers` lists dev-user',
    );
  });

  test('a wildcard role row matching the refused role: the row is replaced in mapRoles', () => {
    const evidence = evidenceOf(
      { mapRoles: row('rolearn', `arn:aws:iam::${ACCOUNT}:role/dev-*`, 'dev:{{SessionName}}') },
      `arn:aws:sts::${ACCOUNT}:assumed-role/dev-team/s`,
    );
    const [hit] = check.run(contextFor(evidence));
    expect(patchOf(check, hit, evidence)?.data.mapRoles).toBe(
      row('rolearn', `arn:aws:iam::${ACCOUNT}:role/dev-team`, 'dev:{{SessionName}}'),
    );
  });

  test('without a principal the fix stays the hand edit with a placeholder', () => {
    const evidence = evidenceOf({ mapUsers: row('userarn', GROUP, 'developers') });
    const [hit] = check.run(contextFor(evidence));
    expect(isHandEdit(check, hit, evidence)).toBe(true);
  });
});

describe('aws-auth/unsupported-principal: the diagnosis, exactly', () => {
  const message = (hit: Hit | undefined) => renderHit(check, hit as Hit);

  test('an IAM group: the message names the row, key and group', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:group/team/Devs`;
    const hits = run({ mapRoles: `${row('rolearn', `arn:aws:iam::${ACCOUNT}:role/A`)}${row('rolearn', arn)}` });
    expect(hits).toMatchObject([
      {
        messageId: 'iamGroup',
        subject: { kind: 'aws-auth', name: 'mapRoles[1]' },
        location: { key: 'mapRoles[1].rolearn', line: LINE_OF(5), column: 7 },
        data: { where: `mapRoles[1] (line ${LINE_OF(5)})`, key: 'rolearn', arn, name: 'Devs', account: ACCOUNT },
      },
    ]);
    expect(message(hits[0]).message).toBe(
      `mapRoles[1] (line ${LINE_OF(5)}) rolearn ${arn} is an IAM group: groups are not principals (nobody ever calls STS as a group), so this row never matches; members arrive as their own user ARNs.`,
    );
    expect(message(hits[0]).remediation).toBe(
      'Map a role that the members of Devs may assume, or map each user on its own row.',
    );
    expect(message(hits[0]).severity).toBe('error');
  });

  test('a wildcard: not an ARN at all, the account is unknown', () => {
    const hits = run({ mapUsers: row('userarn', '"*"') });
    expect(hits).toMatchObject([
      { messageId: 'wildcard', data: { key: 'userarn', arn: '*', name: '*', account: 'ACCOUNT_ID' } },
    ]);
    expect(message(hits[0]).message).toBe(
      `mapUsers[0] (line ${LINE_OF(1)}) userarn * contains a wildcard: aws-auth compares ARNs literally, so this row matches nobody.`,
    );
  });

  test('a wildcard ending in a slash is named by the whole ARN', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:role/team-?/`;
    expect(run({ mapRoles: row('rolearn', arn) })).toMatchObject([{ messageId: 'wildcard', data: { name: arn } }]);
  });

  test('the account root: a warning naming the account', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:root`;
    const hits = run({ mapUsers: row('userarn', arn) });
    expect(hits).toMatchObject([{ messageId: 'accountRoot', data: { key: 'userarn', name: 'root' } }]);
    expect(message(hits[0]).message).toBe(
      `mapUsers[0] (line ${LINE_OF(1)}) userarn ${arn} is the account root: it matches only the root user of ${ACCOUNT} signing in with root credentials, not every principal of the account.`,
    );
    expect(message(hits[0]).severity).toBe('warning');
    expect(message(hits[0]).remediation).toBe(
      `Map the roles and users themselves; only if you mean every principal of ${ACCOUNT}, list the account under mapAccounts.`,
    );
  });

  test.each([
    ['an STS root-looking resource', `arn:aws:sts::${ACCOUNT}:root`],
    ['a group path under another service', `arn:aws:s3:::group/x`],
    ['an empty ARN', '""'],
  ])('passes: %s', (_, arn) => {
    expect(run({ mapRoles: row('rolearn', arn) })).toEqual([]);
  });

  test('the root user itself is not concerned by the account-root row', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:root`;
    expect(run({ mapRoles: row('rolearn', arn) }, { principal: principal(arn) })).toMatchObject([
      { messageId: 'accountRoot', affectsPrincipal: false },
    ]);
  });

  test('a group row does not concern a user that another row maps', () => {
    const data = {
      mapUsers: `${row('userarn', `arn:aws:iam::${ACCOUNT}:group/Devs`)}${row('userarn', `arn:aws:iam::${ACCOUNT}:user/dev1`)}`,
    };
    expect(run(data, { principal: principal(`arn:aws:iam::${ACCOUNT}:user/dev1`) })).toMatchObject([
      { messageId: 'iamGroup', affectsPrincipal: false },
    ]);
  });

  test('a wildcard row of a block that does not parse never concerns the principal', () => {
    const mapRoles = `${row('rolearn', `arn:aws:iam::${ACCOUNT}:role/*`)}- rolearn: x\n  username: {{SessionName}}\n`;
    expect(run({ mapRoles }, { principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s`) })).toMatchObject([
      { messageId: 'wildcard', affectsPrincipal: false },
    ]);
  });
});

describe('aws-auth/unsupported-principal: edges of the diagnosis', () => {
  test('passes without aws-auth', () => {
    expect(check.run(contextFor({}))).toEqual([]);
  });

  test('a quoted group ARN with spaces is judged trimmed', () => {
    expect(run({ mapUsers: row('userarn', `" arn:aws:iam::${ACCOUNT}:group/Devs "`) })).toMatchObject([
      { messageId: 'iamGroup', data: { name: 'Devs' } },
    ]);
  });
});
