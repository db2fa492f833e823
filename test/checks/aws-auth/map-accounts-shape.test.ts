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

describe('aws-auth/map-accounts-shape: exact findings and fixes', () => {
  const PARTNER = '444455556666';
  const CLUSTER = { name: 'prod', region: 'eu-west-1', accountId: '999988887777' };
  const evidenceOf = (mapAccounts: string, extra: Partial<Evidence> = {}): Evidence => ({
    awsAuth: awsAuthFromText(configMapText({ mapAccounts })),
    cluster: CLUSTER,
    ...extra,
  });
  const render = (evidence: Evidence) => {
    const hits = check.run(contextFor(evidence));
    return { hits, findings: hits.map((h) => renderHit(check, h, evidence)) };
  };

  test('a mapping: the message, and one patch listing each id it held once, with a note', () => {
    const { hits, findings } = render(evidenceOf(`a: "${PARTNER}"\nb: "${PARTNER}"\nc: "777788889999"\n`));
    expect(hits).toMatchObject([
      {
        messageId: 'notAList',
        subject: { kind: 'aws-auth', name: 'data.mapAccounts' },
        location: { key: 'mapAccounts', line: LINE_OF(1), column: 5 },
        data: {
          where: 'mapAccounts',
          line: LINE_OF(1),
          found: 'a mapping',
          error: 'yaml: unmarshal errors: cannot unmarshal !!map into []string',
          cluster: 'prod',
          example: '999988887777',
        },
      },
    ]);
    const [finding] = findings;
    expect(finding?.message).toBe(
      `The mapAccounts block (line ${LINE_OF(1)}) is a mapping, not a list of account ids (yaml: unmarshal errors: cannot unmarshal !!map into []string): EKS reads no account from it.`,
    );
    expect(finding?.fix?.kubectl).toBe(
      `# mapAccounts becomes the list of the account ids it held (${PARTNER}, 777788889999): each grants its whole account\nkubectl patch configmap aws-auth -n kube-system --type merge -p '{"data":{"mapAccounts":"- \\"${PARTNER}\\"\\n- \\"777788889999\\"\\n"}}'`,
    );
    expect(finding?.fix?.aws).toBe(
      '# access entries have no account-wide form: mapAccounts is edited with kubectl or Terraform',
    );
    expect(finding?.fix?.terraform).toBe(
      `# terraform-aws-modules/eks//modules/aws-auth\naws_auth_accounts = ["${PARTNER}", "777788889999"]`,
    );
    expect(finding?.fix?.eksctl).toBe(
      "# eksctl has no flag for mapAccounts; map the account's roles instead:\neksctl create iamidentitymapping --cluster prod --arn arn:aws:iam::999988887777:role/ROLE_NAME --username 'ROLE_NAME:{{SessionName}}' --group GROUP --region eu-west-1",
    );
  });

  test('a nested list item: badItem; strings that are not ids stay as written, quoted', () => {
    const { hits, findings } = render(evidenceOf(`- "abc"\n- def\n- - "${PARTNER}"\n`));
    expect(hits.map((h) => [h.messageId, h.data.where, h.data.found ?? h.data.account])).toEqual([
      ['badItem', 'mapAccounts[2]', 'a nested list'],
      ['badAccount', 'mapAccounts[0]', 'abc'],
      ['badAccount', 'mapAccounts[1]', 'def'],
    ]);
    expect(hits[0]?.location).toMatchObject({ line: LINE_OF(3), column: 7 });
    expect(findings[0]?.message).toBe(
      `mapAccounts[2] (line ${LINE_OF(3)}) is a nested list, not an account id (yaml: unmarshal errors: cannot unmarshal !!seq into string): EKS skips that item and keeps the others.`,
    );
    expect(findings[0]?.remediation).toBe('Write every item of mapAccounts as a quoted 12-digit account id.');
    expect(patchOf(check, hits[0], evidenceOf(`- "abc"\n- def\n- - "${PARTNER}"\n`))?.data).toEqual({
      mapAccounts: `- "abc"\n- "def"\n- "${PARTNER}"\n`,
    });
    expect(findings[0]?.fix?.kubectl).toMatch(/^# mapAccounts: every item written as a quoted account id\n/);
    expect(findings[1]?.message).toBe(
      `mapAccounts[0] (line ${LINE_OF(1)}) is "abc", not a 12-digit account id: it never equals an account, so it authenticates nobody.`,
    );
  });

  test.each([
    ['a mapping without any id', 'a: b\n'],
    ['a short unquoted number beside a bad item', '- 12345\n- [x]\n'],
    ['an item with no id beside a bad item', `- "${PARTNER}"\n- [x]\n`],
  ])('no single reading, a hand edit naming an example account: %s', (_, mapAccounts) => {
    const evidence = evidenceOf(mapAccounts);
    const hit = check.run(contextFor(evidence)).find((h) => h.messageId === 'notAList' || h.messageId === 'badItem');
    expect(isHandEdit(check, hit, evidence)).toBe(true);
  });

  test.each([
    ['the first valid account of the block', `- "abc"\n- "${PARTNER}"\n`, {}, PARTNER],
    ["the cluster's account when the block has none", '- "abc"\n', {}, '999988887777'],
    ['a placeholder without a cluster', '- "abc"\n', { cluster: undefined }, '111122223333'],
  ])('the example account is %s', (_, mapAccounts, extra, example) => {
    const hits = check.run(contextFor(evidenceOf(mapAccounts, extra)));
    expect(hits.map((h) => h.data.example)).toEqual(hits.map(() => example));
    expect(hits.length).toBeGreaterThan(0);
  });

  test.each([
    ['its own account, lost its dashes', '- "9999-8888-7777"\n', 'arn:aws:iam::999988887777:role/Dev', true],
    ['another account', '- "9999-8888-7777"\n', `arn:aws:iam::${PARTNER}:role/Dev`, false],
    ['no digits at all', '- "abc"\n', 'arn:aws:iam::999988887777:role/Dev', false],
  ])('a bad account id concerns the refused principal of %s', (_, mapAccounts, arn, affects) => {
    expect(check.run(contextFor(evidenceOf(mapAccounts, { principal: principal(arn) })))).toMatchObject([
      { messageId: 'badAccount', affectsPrincipal: affects },
    ]);
  });

  test('a bad account id does not concern a principal that a row authenticates', () => {
    const evidence = {
      ...evidenceOf('- "9999-8888-7777"\n'),
      awsAuth: awsAuthFromText(
        configMapText({
          mapRoles: row('rolearn', 'arn:aws:iam::999988887777:role/Dev'),
          mapAccounts: '- "9999-8888-7777"\n',
        }),
      ),
      principal: principal('arn:aws:iam::999988887777:role/Dev'),
    };
    expect(check.run(contextFor(evidence))).toMatchObject([{ messageId: 'badAccount', affectsPrincipal: false }]);
  });

  test.each([
    ['written only in the bad item', `- "${ACCOUNT}"\n- id: "${PARTNER}"\n`, true],
    ['also granted by a good item', `- "${PARTNER}"\n- id: "${PARTNER}"\n`, false],
  ])('a bad item concerns the principal of an account %s', (_, mapAccounts, affects) => {
    const hits = check.run(
      contextFor(evidenceOf(mapAccounts, { principal: principal(`arn:aws:iam::${PARTNER}:user/p`) })),
    );
    expect(hits.find((h) => h.messageId === 'badItem')?.affectsPrincipal).toBe(affects);
  });

  test('accountWide concerns only the principal authenticated through that account', () => {
    const mapAccounts = `- "${ACCOUNT}"\n- "${PARTNER}"\n`;
    const hits = check.run(
      contextFor(evidenceOf(mapAccounts, { principal: principal(`arn:aws:iam::${PARTNER}:user/p`) })),
    );
    expect(hits.map((h) => [h.messageId, h.data.account, h.affectsPrincipal])).toEqual([
      ['accountWide', ACCOUNT, false],
      ['accountWide', PARTNER, true],
    ]);
    expect(renderHit(check, hits[1] as Hit).message).toBe(
      `mapAccounts[1] (line ${LINE_OF(2)}) lists account ${PARTNER}: every IAM role and user of that account that no row maps is authenticated, with its ARN as username and no groups, so it gets 403 Forbidden unless RBAC binds that username.`,
    );
    expect(renderHit(check, hits[1] as Hit).severity).toBe('info');
  });
});

describe('aws-auth/map-accounts-shape: what the exact patch may and may not guess', () => {
  const PARTNER = '444455556666';
  const patchFor = (mapAccounts: string) => {
    const evidence: Evidence = { awsAuth: awsAuthFromText(configMapText({ mapAccounts })) };
    const hit = check.run(contextFor(evidence)).find((h) => h.messageId === 'notAList' || h.messageId === 'badItem');
    return { evidence, hit };
  };

  test('an unquoted id keeps its leading zero, as written', () => {
    const { evidence, hit } = patchFor(`- 012345678901\n- id: "${PARTNER}"\n`);
    expect(patchOf(check, hit, evidence)?.data).toEqual({ mapAccounts: `- "012345678901"\n- "${PARTNER}"\n` });
  });

  test('a short unquoted number cannot be completed: a hand edit', () => {
    const { evidence, hit } = patchFor(`- 12345\n- id: "${PARTNER}"\n`);
    expect(isHandEdit(check, hit, evidence)).toBe(true);
  });

  test('plain items that are not all digits stay as written', () => {
    const { evidence, hit } = patchFor(`- abc123\n- 123abc\n- id: "${PARTNER}"\n`);
    expect(patchOf(check, hit, evidence)?.data).toEqual({ mapAccounts: `- "abc123"\n- "123abc"\n- "${PARTNER}"\n` });
  });

  test('an alias item has no single reading here: a hand edit', () => {
    const { evidence, hit } = patchFor(`- &a "${PARTNER}"\n- *a\n- id: "777788889999"\n`);
    expect(hit?.messageId).toBe('badItem');
    expect(isHandEdit(check, hit, evidence)).toBe(true);
  });

  test('a mapping that repeats a key still yields every id it holds', () => {
    const { evidence, hit } = patchFor(`a: "${PARTNER}"\na: "777788889999"\n`);
    expect(patchOf(check, hit, evidence)?.data).toEqual({ mapAccounts: `- "${PARTNER}"\n- "777788889999"\n` });
  });
});
