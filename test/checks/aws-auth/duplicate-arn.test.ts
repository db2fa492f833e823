import { describe, expect, test } from 'vitest';
import check from '../../../checks/aws-auth/duplicate-arn.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, awsAuthFromText, contextFor, principal } from '../../helpers/evidence.js';
import { LINE_OF, configMapText, row } from './_configmap.js';
import { patchOf } from './_patch.js';
import { renderHit } from '../../../src/core/run-checks.js';
import type { Hit } from '../../../src/core/types.js';

const ADMIN = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const run = (data: Record<string, string>, evidence: Partial<Evidence> = {}) =>
  check.run(contextFor({ awsAuth: awsAuthFromText(configMapText(data)), ...evidence }));

describe('aws-auth/duplicate-arn', () => {
  test.each([
    ['distinct roles', { mapRoles: `${row('rolearn', ADMIN)}${row('rolearn', `arn:aws:iam::${ACCOUNT}:role/Dev`)}` }],
    [
      'a dropped row does not count',
      {
        mapRoles: `${row('rolearn', ADMIN)}- rolearn: ${ADMIN}\n  sso:\n    permissionSetName: A\n    accountID: "${ACCOUNT}"\n`,
      },
    ],
    [
      'the same name in two accounts',
      { mapRoles: `${row('rolearn', ADMIN)}${row('rolearn', 'arn:aws:iam::444455556666:role/Admin')}` },
    ],
  ])('passes: %s', (_, data) => {
    expect(run(data)).toEqual([]);
  });

  test('M4: two rows for one role: the later wins', () => {
    const hits = run({ mapRoles: `${row('rolearn', ADMIN, 'u1', ['g1'])}${row('rolearn', ADMIN, 'u2', ['g2'])}` });
    expect(hits).toMatchObject([
      {
        messageId: 'overridden',
        subject: { name: 'mapRoles[0]' },
        location: { line: LINE_OF(1) },
        affectsPrincipal: false,
        data: {
          arn: ADMIN,
          loser: `mapRoles[0] (line ${LINE_OF(1)})`,
          winner: `mapRoles[1] (line ${LINE_OF(5)})`,
          loserUsername: '"u1"',
          winnerUsername: '"u2"',
          winnerGroups: '[g2]',
        },
      },
    ]);
  });

  test('mapRoles compares case-insensitively, and three rows give two losers that name the last row', () => {
    const hits = run({
      mapRoles: `${row('rolearn', ADMIN, 'a')}${row('rolearn', ADMIN.toLowerCase(), 'b')}${row('rolearn', ADMIN.toUpperCase().replace('ARN:AWS:IAM', 'arn:aws:iam'), 'c')}`,
    });
    expect(hits.map((h) => [h.subject.name, h.data.winner])).toEqual([
      ['mapRoles[0]', `mapRoles[2] (line ${LINE_OF(9)})`],
      ['mapRoles[1]', `mapRoles[2] (line ${LINE_OF(9)})`],
    ]);
  });

  test('the principal mapped by the later row instead of the earlier one: an error naming it', () => {
    const caller = principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/jane`);
    const hits = run(
      {
        mapRoles: `${row('rolearn', ADMIN, 'admin', ['system:masters'])}${row('rolearn', ADMIN.replace('Admin', 'admin'), 'readonly', ['readers'])}`,
      },
      { principal: caller },
    );
    expect(hits).toMatchObject([
      {
        messageId: 'principalMisMapped',
        affectsPrincipal: true,
        data: {
          principal: ADMIN,
          winnerUsername: '"readonly"',
          winnerGroups: '[readers]',
          loserUsername: '"admin"',
          loserGroups: '[system:masters]',
        },
      },
    ]);
  });

  test('identical duplicates, or another principal: the plain warning', () => {
    const caller = principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/jane`);
    expect(
      run({ mapRoles: `${row('rolearn', ADMIN, 'u1')}${row('rolearn', ADMIN, 'u1')}` }, { principal: caller }),
    ).toMatchObject([{ messageId: 'overridden', affectsPrincipal: false }]);
    expect(
      run(
        { mapRoles: `${row('rolearn', ADMIN, 'u1')}${row('rolearn', ADMIN, 'u2')}` },
        { principal: principal(`arn:aws:iam::${ACCOUNT}:role/Dev`) },
      ),
    ).toMatchObject([{ messageId: 'overridden', affectsPrincipal: false }]);
  });

  test('mapUsers: an exact duplicate is overridden by the later row', () => {
    const user = `arn:aws:iam::${ACCOUNT}:user/alice`;
    expect(run({ mapUsers: `${row('userarn', user, 'a1')}${row('userarn', user, 'a2')}` })).toMatchObject([
      {
        messageId: 'overridden',
        subject: { name: 'mapUsers[0]' },
        data: { arn: 'arn:aws:iam::111122223333:user/alice' },
      },
    ]);
  });

  test('mapUsers: case-only variants both stay, and EKS picks one at random', () => {
    const mapUsers = `${row('userarn', `arn:aws:iam::${ACCOUNT}:user/Alice`, 'a1')}${row('userarn', `arn:aws:iam::${ACCOUNT}:user/alice`, 'a2')}`;
    expect(run({ mapUsers }, { principal: principal(`arn:aws:iam::${ACCOUNT}:user/alice`) })).toMatchObject([
      { messageId: 'principalMisMapped', affectsPrincipal: true },
    ]);
    expect(run({ mapUsers })).toMatchObject([
      {
        messageId: 'userCaseVariants',
        location: { line: LINE_OF(1) },
        affectsPrincipal: false,
        data: {
          rows: `mapUsers[0] (line ${LINE_OF(1)}), mapUsers[1] (line ${LINE_OF(5)})`,
          arns: `arn:aws:iam::${ACCOUNT}:user/Alice, arn:aws:iam::${ACCOUNT}:user/alice`,
        },
      },
    ]);
  });

  test('mapRoles: ARNs equal only under Unicode case folding (ſ and s) are two keys and one principal', () => {
    // Found by the Go referee property suite (seed -1580087992): the authenticator keys mapRoles by
    // strings.ToLower, which keeps ſ, and matches with strings.EqualFold, which folds it to s.
    const longS = `arn:aws:iam::${ACCOUNT}:role/\u017Ftaff`;
    const plain = `arn:aws:iam::${ACCOUNT}:role/staff`;
    const mapRoles = `${row('rolearn', longS, 's1')}${row('rolearn', plain, 's2')}`;
    expect(run({ mapRoles })).toMatchObject([
      {
        messageId: 'roleFoldVariants',
        affectsPrincipal: false,
        subject: { name: 'mapRoles[0]' },
        data: { arns: `${longS}, ${plain}` },
      },
    ]);
    expect(run({ mapRoles }, { principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/staff/x`) })).toMatchObject([
      { messageId: 'principalMisMapped', affectsPrincipal: true },
    ]);
    // Plain case variants are one key (lower-cased): overridden, not a fold variant.
    const cased = `${row('rolearn', `arn:aws:iam::${ACCOUNT}:role/Staff`, 's1')}${row('rolearn', plain, 's2')}`;
    expect(run({ mapRoles: cased }).map((h) => h.messageId)).toEqual(['overridden']);
  });

  test('the same ARN in mapRoles and mapUsers: mapRoles wins', () => {
    const user = `arn:aws:iam::${ACCOUNT}:user/bob`;
    const data = { mapRoles: row('rolearn', user, 'r'), mapUsers: row('userarn', user, 'u') };
    expect(run(data)).toMatchObject([
      {
        messageId: 'inBothBlocks',
        subject: { name: 'mapUsers[0]' },
        data: { winner: `mapRoles[0] (line ${LINE_OF(1)})`, loserUsername: '"u"' },
      },
    ]);
    expect(run(data, { principal: principal(user) })).toMatchObject([
      { messageId: 'principalMisMapped', affectsPrincipal: true, data: { why: 'EKS tries mapRoles before mapUsers' } },
    ]);
  });

  // Scale is measured, not timed here: bench/lint-scale.mjs reports the 50k/10k ratio (linear, no
  // quadratic duplicate search). These two only prove the answers at that size.
  // The size makes them slow in Stryker's instrumented build: they sit out mutation runs (vitest.mutation.config.ts).
  const atScale = test.skipIf(process.env.EKSAUTH_MUTATION_RUN === '1');

  atScale(
    'answers for 50,000 rows over 25,000 roles',
    () => {
      let mapRoles = '';
      for (let i = 0; i < 50_000; i++)
        mapRoles += `- rolearn: arn:aws:iam::${ACCOUNT}:role/R${i % 25_000}\n  username: u${i}\n`;
      const awsAuth = awsAuthFromText(configMapText({ mapRoles }));
      const hits = check.run({ evidence: { awsAuth } });
      expect(hits).toHaveLength(25_000);
    },
    60_000,
  );

  atScale(
    'answers when one ARN is repeated 20,000 times',
    () => {
      let mapRoles = '';
      for (let i = 0; i < 20_000; i++) mapRoles += `- rolearn: ${ADMIN}\n  username: u${i}\n`;
      const awsAuth = awsAuthFromText(configMapText({ mapRoles }));
      expect(check.run({ evidence: { awsAuth } })).toHaveLength(19_999);
    },
    60_000,
  );
});

describe('aws-auth/duplicate-arn: the exact patch', () => {
  const masters = row('rolearn', ADMIN, 'admin', ['system:masters']);
  const readers = row('rolearn', `arn:aws:iam::${ACCOUNT}:role/admin`, 'readonly', ['readers']);
  const node = row('rolearn', `arn:aws:iam::${ACCOUNT}:role/node`, 'n', []);
  const evidenceOf = (data: Record<string, string>, arn?: string): Evidence => ({
    awsAuth: awsAuthFromText(configMapText(data)),
    ...(arn ? { principal: principal(arn) } : {}),
  });

  test('the scenario: the mis-mapped principal keeps the row it does not get today; the fix says so', () => {
    const evidence = evidenceOf(
      { mapRoles: `${masters}${node}${readers}` },
      `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice`,
    );
    const [hit] = check.run(contextFor(evidence));
    expect(hit?.messageId).toBe('principalMisMapped');
    expect(patchOf(check, hit, evidence)?.data).toEqual({ mapRoles: `${masters}${node}` });
    const text = renderHit(check, hit as Hit, evidence).fix?.steps[0]?.kubectl?.text ?? '';
    expect(text).toContain('the mapping arn:aws:iam::111122223333:role/Admin does not get today');
    expect(text).toContain('keep it instead');
  });

  test('without a mis-mapped principal, the row EKS uses today is kept, so nobody changes', () => {
    const evidence = evidenceOf({ mapRoles: `${masters}${node}${readers}` });
    const [hit] = check.run(contextFor(evidence));
    expect(patchOf(check, hit, evidence)?.data).toEqual({ mapRoles: `${node}${readers}` });
  });

  test('a user in both blocks keeps the mapRoles row', () => {
    const user = `arn:aws:iam::${ACCOUNT}:user/bob`;
    const evidence = evidenceOf({ mapRoles: row('rolearn', user, 'r'), mapUsers: `${row('userarn', user, 'u')}` });
    const hit = check.run(contextFor(evidence)).find((h) => h.messageId === 'inBothBlocks');
    expect(patchOf(check, hit, evidence)?.data).toEqual({ mapUsers: '[]\n' });
  });
});
