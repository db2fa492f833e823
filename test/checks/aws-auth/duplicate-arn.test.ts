import { describe, expect, test } from 'vitest';
import check from '../../../checks/aws-auth/duplicate-arn.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, awsAuthFromText, contextFor, principal } from '../../helpers/evidence.js';
import { LINE_OF, configMapText, row } from './_configmap.js';
import { patchOf } from './_patch.js';
import { renderHit } from '../../../src/core/run-checks.js';
import { commandsOf, renderScript } from '../../../src/core/command.js';
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

describe('aws-auth/duplicate-arn: which row the fix keeps, exactly', () => {
  const cluster = { name: 'prod', region: 'eu-west-1' };
  const target = ['--cluster', 'prod', '--region', 'eu-west-1'];
  const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
  const hitsOf = (data: Record<string, string>, arn?: string) => {
    const evidence: Evidence = {
      awsAuth: awsAuthFromText(configMapText(data)),
      cluster,
      ...(arn ? { principal: principal(arn) } : {}),
    };
    return { evidence, hits: check.run(contextFor(evidence)) };
  };
  const eksctlOf = (hit: Hit | undefined) => commandsOf(hit?.fix?.[0]?.eksctl ?? []).map((c) => c.argv.slice(1));
  const notesOf = (hit: Hit | undefined) =>
    renderScript((hit?.fix?.[0]?.kubectl ?? []).filter((l) => l.kind === 'comment'));
  const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice`;

  test('mis-mapped: the loser spelled exactly as the principal is kept, every other spelling deleted first', () => {
    const rows = [
      row('rolearn', role('Admin'), 'a', ['g1']),
      row('rolearn', role('admin'), 'b', ['g2']),
      row('rolearn', role('ADMIN'), 'c', ['g3']),
    ];
    const { evidence, hits } = hitsOf({ mapRoles: rows.join('') }, SESSION);
    expect(hits.map((h) => [h.messageId, h.subject.name, h.affectsPrincipal])).toEqual([
      ['principalMisMapped', 'mapRoles[0]', true],
      ['principalMisMapped', 'mapRoles[1]', true],
    ]);
    expect(hits[0]?.data).toEqual({
      arn: role('ADMIN'),
      loser: `mapRoles[0] (line ${LINE_OF(1)})`,
      winner: `mapRoles[2] (line ${LINE_OF(9)})`,
      loserUsername: '"a"',
      loserGroups: '[g1]',
      winnerUsername: '"c"',
      winnerGroups: '[g3]',
      principal: role('Admin'),
      why: 'only the later row counts (rolearn compares case-insensitively)',
      compare: 'rolearn compares case-insensitively',
    });
    const [hit] = hits;
    expect(hits[1]?.fix).toEqual(hit?.fix);
    expect(hit?.fix?.[0]?.title).toBe(`Keep a single row for ${role('Admin')}: mapRoles[0] (line ${LINE_OF(1)})`);
    expect(notesOf(hit)).toBe(
      `# keeps mapRoles[0] (line 8) (username "a", groups [g1]), the mapping ${role('Admin')} does not get today, and deletes mapRoles[2] (line 16) (username "c", groups [g3]), which EKS uses now: if that one is what ${role('Admin')} should have, keep it instead (then ${role('Admin')} stays as it is)`,
    );
    expect(patchOf(check, hit, evidence)?.data).toEqual({ mapRoles: rows[0] });
    expect(eksctlOf(hit)).toEqual([
      ['delete', 'iamidentitymapping', ...target, '--arn', role('admin'), '--all'],
      ['delete', 'iamidentitymapping', ...target, '--arn', role('ADMIN'), '--all'],
      ['delete', 'iamidentitymapping', ...target, '--arn', role('Admin'), '--all'],
      ['create', 'iamidentitymapping', ...target, '--arn', role('Admin'), '--username', 'a', '--group', 'g1'],
    ]);
  });

  test('mis-mapped with no loser spelled like the principal: the last loser that maps it differently is kept', () => {
    const rows = [
      row('rolearn', role('admin'), 'c', ['g3']),
      row('rolearn', role('ADMIN'), 'b', ['g2']),
      row('rolearn', role('aDmin'), 'x', ['g4']),
      row('rolearn', role('ADmin'), 'c', ['g3']),
    ];
    const { evidence, hits } = hitsOf({ mapRoles: rows.join('') }, SESSION);
    // mapRoles[0] maps it exactly as the winner does: not a mis-mapping.
    expect(hits.map((h) => h.messageId)).toEqual(['overridden', 'principalMisMapped', 'principalMisMapped']);
    expect(hits[0]?.affectsPrincipal).toBe(false);
    expect(hits[0]?.fix?.[0]?.title).toBe(`Keep a single row for ${role('aDmin')}: mapRoles[2] (line ${LINE_OF(9)})`);
    expect(patchOf(check, hits[0], evidence)?.data).toEqual({ mapRoles: rows[2] });
  });

  test('without a principal the row EKS uses today is kept, and the fix says nobody changes', () => {
    const rows = [row('rolearn', role('Admin'), 'a', ['g1']), row('rolearn', role('admin'), 'b', ['g2'])];
    const { evidence, hits } = hitsOf({ mapRoles: rows.join('') });
    expect(hits[0]?.data).toMatchObject({
      principal: '',
      why: 'only the later row counts (rolearn compares case-insensitively)',
    });
    expect(hits[0]?.fix?.[0]?.title).toBe(`Keep a single row for ${role('admin')}: mapRoles[1] (line ${LINE_OF(5)})`);
    expect(notesOf(hits[0])).toBe(
      `# keeps mapRoles[1] (line 12) (username "b", groups [g2]), the row EKS uses today, so nobody's access changes; check that every principal using ${role('admin')} should have that username and groups`,
    );
    expect(patchOf(check, hits[0], evidence)?.data).toEqual({ mapRoles: rows[1] });
    expect(eksctlOf(hits[0])).toEqual([
      ['delete', 'iamidentitymapping', ...target, '--arn', role('Admin'), '--all'],
      ['delete', 'iamidentitymapping', ...target, '--arn', role('admin'), '--all'],
      ['create', 'iamidentitymapping', ...target, '--arn', role('admin'), '--username', 'b', '--group', 'g2'],
    ]);
  });

  test('a user ARN twice in mapUsers and once in mapRoles: EKS uses the mapRoles row, and both fixes keep it', () => {
    const bob = `arn:aws:iam::${ACCOUNT}:user/bob`;
    const roleRow = row('rolearn', bob, 'r');
    const { evidence, hits } = hitsOf({
      mapRoles: roleRow,
      mapUsers: `${row('userarn', bob, 'u1')}${row('userarn', bob, 'u2')}`,
    });
    expect(hits.map((h) => [h.messageId, h.subject.name])).toEqual([
      ['overridden', 'mapUsers[0]'],
      ['inBothBlocks', 'mapUsers[1]'],
    ]);
    expect(hits[0]?.data).toMatchObject({ compare: 'the same exact userarn', why: 'only the later row counts' });
    for (const hit of hits) {
      expect(hit.fix?.[0]?.title).toBe(`Keep a single row for ${bob}: mapRoles[0] (line ${LINE_OF(1)})`);
      expect(patchOf(check, hit, evidence)?.data).toEqual({ mapUsers: '[]\n' });
      expect(notesOf(hit)).toContain("the row EKS uses today, so nobody's access changes");
    }
  });

  test('mapUsers case variants: the last spelling is kept; the other one deleted with eksctl first', () => {
    const alice = `arn:aws:iam::${ACCOUNT}:user/alice`;
    const Alice = `arn:aws:iam::${ACCOUNT}:user/Alice`;
    const rows = [row('userarn', Alice, 'a1'), row('userarn', alice, 'a2')];
    const { evidence, hits } = hitsOf({ mapUsers: rows.join('') });
    expect(hits[0]?.data).toMatchObject({
      principal: '',
      why: 'mapUsers keeps every spelling and EKS picks one of them at random on each request, so either row may apply',
    });
    expect(patchOf(check, hits[0], evidence)?.data).toEqual({ mapUsers: rows[1] });
    expect(eksctlOf(hits[0]).map((a) => a.slice(0, 2).concat(a.slice(6, 8)))).toEqual([
      ['delete', 'iamidentitymapping', '--arn', Alice],
      ['delete', 'iamidentitymapping', '--arn', alice],
      ['create', 'iamidentitymapping', '--arn', alice],
    ]);
  });

  test('three case variants of one user: one finding naming every row', () => {
    const arns = ['Carol', 'carol', 'CAROL'].map((n) => `arn:aws:iam::${ACCOUNT}:user/${n}`);
    const { hits } = hitsOf({ mapUsers: arns.map((a, i) => row('userarn', a, `u${i}`)).join('') });
    expect(hits).toMatchObject([
      {
        messageId: 'userCaseVariants',
        subject: { name: 'mapUsers[0]' },
        data: {
          rows: `mapUsers[0] (line ${LINE_OF(1)}), mapUsers[1] (line ${LINE_OF(5)}), mapUsers[2] (line ${LINE_OF(9)})`,
          arns: arns.join(', '),
          loser: `mapUsers[0] (line ${LINE_OF(1)})`,
          winner: `mapUsers[2] (line ${LINE_OF(9)})`,
        },
      },
    ]);
  });

  test('fold variants mis-map the principal only when a row other than the last maps it differently', () => {
    const longS = `arn:aws:iam::${ACCOUNT}:role/\u017Ftaff`;
    const plain = role('staff');
    const caller = `arn:aws:sts::${ACCOUNT}:assumed-role/staff/x`;
    expect(
      hitsOf({ mapRoles: `${row('rolearn', longS, 's')}${row('rolearn', plain, 's')}` }, caller).hits,
    ).toMatchObject([{ messageId: 'roleFoldVariants', affectsPrincipal: false }]);
  });

  test('a user in both blocks: the finding data names both rows; a principal mapped by the role row is told why', () => {
    const bob = `arn:aws:iam::${ACCOUNT}:user/bob`;
    const { hits } = hitsOf(
      { mapRoles: row('rolearn', bob, 'r', ['a']), mapUsers: row('userarn', bob, 'u', ['b']) },
      bob,
    );
    expect(hits).toEqual([
      expect.objectContaining({
        messageId: 'principalMisMapped',
        subject: { kind: 'aws-auth', name: 'mapUsers[0]' },
        location: expect.objectContaining({ line: 13 }),
        data: {
          arn: bob,
          loser: 'mapUsers[0] (line 13)',
          winner: `mapRoles[0] (line ${LINE_OF(1)})`,
          loserUsername: '"u"',
          loserGroups: '[b]',
          winnerUsername: '"r"',
          winnerGroups: '[a]',
          principal: bob,
          why: 'EKS tries mapRoles before mapUsers',
        },
      }),
    ]);
  });

  test('identical rows in both blocks concern nobody; a dropped mapUsers row is no duplicate', () => {
    const bob = `arn:aws:iam::${ACCOUNT}:user/bob`;
    expect(hitsOf({ mapRoles: row('rolearn', bob, 'r'), mapUsers: row('userarn', bob, 'r') }, bob).hits).toMatchObject([
      { messageId: 'inBothBlocks', affectsPrincipal: false },
    ]);
    expect(hitsOf({ mapUsers: `${row('userarn', bob, 'a')}- username: b\n  userarn: ""\n` }).hits).toEqual([]);
  });
});

describe('aws-auth/duplicate-arn: what counts as the same mapping', () => {
  test('the same username and first group but another second group mis-maps the principal', () => {
    const caller = principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/jane`);
    expect(
      run(
        { mapRoles: `${row('rolearn', ADMIN, 'u', ['a', 'b'])}${row('rolearn', ADMIN, 'u', ['a', 'c'])}` },
        { principal: caller },
      ),
    ).toMatchObject([{ messageId: 'principalMisMapped', affectsPrincipal: true }]);
    expect(
      run(
        { mapRoles: `${row('rolearn', ADMIN, 'u', ['a', 'b'])}${row('rolearn', ADMIN, 'u', ['a'])}` },
        { principal: caller },
      ),
    ).toMatchObject([{ messageId: 'principalMisMapped' }]);
  });
});
