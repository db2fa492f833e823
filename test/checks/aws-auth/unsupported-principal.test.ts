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
