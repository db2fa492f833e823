import { describe, expect, test } from 'vitest';
import check from '../../../checks/aws-auth/map-accounts-shape.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, awsAuthFromText, contextFor, principal } from '../../helpers/evidence.js';
import { LINE_OF, configMapText, row } from './_configmap.js';
import { isHandEdit, patchOf } from './_patch.js';
import { renderHit } from '../../../src/core/run-checks.js';
import type { Hit } from '../../../src/core/types.js';

const run = (data: Record<string, string>, evidence: Partial<Evidence> = {}) =>
  check.run(contextFor({ awsAuth: awsAuthFromText(configMapText(data)), ...evidence }));

describe('aws-auth/map-accounts-shape', () => {
  test.each([
    ['no mapAccounts', { mapRoles: row('rolearn', `arn:aws:iam::${ACCOUNT}:role/A`) }],
    ['D7: a blank mapAccounts', { mapAccounts: '""' }],
    ['a syntax error (aws-auth/yaml-invalid reports it)', { mapAccounts: '- "1111\n' }],
  ])('passes: %s', (_, data) => {
    expect(run(data)).toEqual([]);
  });

  test('D21: account ids keep their literal text; only 1e3 is not an account', () => {
    const hits = run({ mapAccounts: '- 555555555555\n- "012345678901"\n- 012345678901\n- 1e3\n' });
    expect(hits.map((h) => [h.messageId, h.data.account, h.location?.line])).toEqual([
      ['accountWide', '555555555555', LINE_OF(1)],
      ['accountWide', '012345678901', LINE_OF(2)],
      ['accountWide', '012345678901', LINE_OF(3)],
      ['badAccount', '1e3', LINE_OF(4)],
    ]);
  });

  test('a mapping instead of a list', () => {
    expect(run({ mapAccounts: `account: "${ACCOUNT}"\n` })).toMatchObject([
      { messageId: 'notAList', location: { line: LINE_OF(1) }, affectsPrincipal: false, data: { found: 'a mapping' } },
    ]);
  });

  test('a principal of an account written in the unreadable block is concerned', () => {
    const data = { mapAccounts: 'partner: "444455556666"\n' };
    expect(run(data, { principal: principal('arn:aws:iam::444455556666:user/partner') })).toMatchObject([
      { messageId: 'notAList', affectsPrincipal: true },
    ]);
    expect(run(data, { principal: principal(`arn:aws:iam::${ACCOUNT}:user/other`) })).toMatchObject([
      { messageId: 'notAList', affectsPrincipal: false },
    ]);
  });

  test('a single string instead of a list', () => {
    expect(run({ mapAccounts: `${ACCOUNT}\n` })).toMatchObject([
      { messageId: 'notAList', data: { found: 'a single string' } },
    ]);
  });

  test('an object item is skipped and the other items kept (eksctl #5928; go-yaml v2, Go referee)', () => {
    expect(run({ mapAccounts: `- "${ACCOUNT}"\n- id: "444455556666"\n` })).toMatchObject([
      { messageId: 'badItem', location: { line: LINE_OF(2) }, data: { found: 'a mapping', where: 'mapAccounts[1]' } },
      { messageId: 'accountWide', data: { account: ACCOUNT, where: 'mapAccounts[0]' } },
    ]);
  });

  test('M5: the principal authenticated through mapAccounts (no groups) is concerned by the info', () => {
    const hits = run(
      { mapAccounts: `- "${ACCOUNT}"\n` },
      { principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s`) },
    );
    expect(hits).toMatchObject([{ messageId: 'accountWide', affectsPrincipal: true, data: { account: ACCOUNT } }]);
    expect(
      run(
        { mapAccounts: `- "${ACCOUNT}"\n`, mapRoles: row('rolearn', `arn:aws:iam::${ACCOUNT}:role/Admin`) },
        { principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s`) },
      ),
    ).toMatchObject([{ affectsPrincipal: false }]);
  });

  test('an account that lost its leading zero concerns the principal of that account', () => {
    const hits = run(
      { mapAccounts: '- "12345678901"\n' },
      { principal: principal('arn:aws:sts::012345678901:assumed-role/Admin/s') },
    );
    expect(hits).toMatchObject([{ messageId: 'badAccount', affectsPrincipal: true }]);
  });
});

describe('aws-auth/map-accounts-shape: the exact patch', () => {
  const evidenceOf = (mapAccounts: string): Evidence => ({
    awsAuth: awsAuthFromText(configMapText({ mapAccounts })),
    principal: principal('arn:aws:iam::444455556666:user/partner'),
  });
  const first = (mapAccounts: string) => {
    const evidence = evidenceOf(mapAccounts);
    const hit = check.run(contextFor(evidence)).find((h) => h.messageId === 'notAList' || h.messageId === 'badItem');
    return { evidence, hit };
  };

  test('the scenario: a mapping becomes the list of the ids it holds', () => {
    const { evidence, hit } = first('partner: "444455556666"\n');
    expect(patchOf(check, hit, evidence)?.data).toEqual({ mapAccounts: '- "444455556666"\n' });
    expect(renderHit(check, hit as Hit, evidence).fix?.terraform).toContain('aws_auth_accounts = ["444455556666"]');
  });

  test('unquoted numbers and one-id mappings become quoted ids; good items stay', () => {
    const { evidence, hit } = first(`- "${ACCOUNT}"\n- 444455556666\n- id: "777788889999"\n`);
    expect(patchOf(check, hit, evidence)?.data).toEqual({
      mapAccounts: `- "${ACCOUNT}"\n- "444455556666"\n- "777788889999"\n`,
    });
  });

  test('an item with no single reading keeps the hand edit', () => {
    const { evidence, hit } = first(`- "${ACCOUNT}"\n- { a: "444455556666", b: "777788889999" }\n`);
    expect(isHandEdit(check, hit, evidence)).toBe(true);
  });
});
