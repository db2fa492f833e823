import { describe, expect, test } from 'vitest';
import check from '../../../checks/aws-auth/entry-shape.js';
import { ACCOUNT, awsAuthFromText, contextFor, principal } from '../../helpers/evidence.js';
import { LINE_OF, configMapText, nodeRow, row } from './_configmap.js';
import { isHandEdit, patchOf } from './_patch.js';
import { renderHit } from '../../../src/core/run-checks.js';
import { commandsOf, renderScript } from '../../../src/core/command.js';
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

describe('aws-auth/entry-shape: messages and fixes, exactly', () => {
  const cluster = { name: 'prod', region: 'eu-west-1' };
  const runWith = (data: Record<string, string>, evidence: Partial<Evidence> = {}) => {
    const full: Evidence = { awsAuth: awsAuthFromText(configMapText(data)), cluster, ...evidence };
    return { full, hits: check.run(contextFor(full)) };
  };
  const eksctlOf = (hit: Hit | undefined) => commandsOf(hit?.fix?.[0]?.eksctl ?? []).map((c) => c.argv.slice(1));
  const target = ['--cluster', 'prod', '--region', 'eu-west-1'];

  test('groups as a scalar: the whole typeError message data and the exact fix', () => {
    const { full, hits } = runWith({ mapRoles: `- rolearn: ${A}\n  username: a\n  groups: system:masters\n` });
    expect(hits).toEqual([
      expect.objectContaining({
        messageId: 'typeError',
        subject: { kind: 'aws-auth', name: 'mapRoles[0]' },
        data: {
          where: `mapRoles[0] (line ${LINE_OF(1)})`,
          field: 'groups',
          error: 'json: cannot unmarshal string into Go struct field RoleMapping.groups of type []string',
          effect: 'no groups at all, so it authenticates but RBAC allows it nothing (403 Forbidden)',
          expected: 'a list of strings (`groups:` followed by `- NAME` lines)',
        },
      }),
    ]);
    const [hit] = hits;
    expect(hit?.fix?.[0]?.title).toBe(`Correct mapRoles[0] (line ${LINE_OF(1)})`);
    expect(renderScript(hit?.fix?.[0]?.kubectl ?? []).split('\n')[0]).toBe(
      '# mapRoles[0] (line 8): groups: system:masters becomes the list [system:masters]',
    );
    expect(patchOf(check, hit, full)?.data).toEqual({
      mapRoles: `- rolearn: ${A}\n  username: a\n  groups:\n    - system:masters\n`,
    });
    expect(eksctlOf(hit)).toEqual([
      ['delete', 'iamidentitymapping', ...target, '--arn', A, '--all'],
      ['create', 'iamidentitymapping', ...target, '--arn', A, '--username', 'a', '--group', 'system:masters'],
    ]);
  });

  test.each([
    [
      'username',
      `- rolearn: ${A}\n  username: [a]\n`,
      'an empty username (what the API server does with an empty username is unconfirmed)',
      'a quoted string',
    ],
    [
      'groups',
      `- rolearn: ${A}\n  groups:\n    - [x]\n`,
      'no groups at all, so it authenticates but RBAC allows it nothing (403 Forbidden)',
      'a list of strings (`groups:` followed by `- NAME` lines)',
    ],
  ])('%s with a type that cannot be quoted: the hand edit', (field, mapRoles, effect, expected) => {
    const { full, hits } = runWith({ mapRoles });
    expect(hits).toMatchObject([{ messageId: 'typeError', data: { field, effect, expected } }]);
    expect(isHandEdit(check, hits[0], full)).toBe(true);
    expect(renderScript(hits[0]?.fix?.[0]?.kubectl ?? [])).toContain(
      `# edit aws-auth.yaml: fix mapRoles[0] (line 8): json: cannot unmarshal array into Go struct field RoleMapping.${field} of type`,
    );
  });

  test('a userarn read as a number in a mapUsers row: quoted as written', () => {
    const mapUsers = '- userarn: 12\n  username: u\n';
    const { hits } = runWith({ mapUsers });
    expect(hits).toMatchObject([{ messageId: 'dropped', subject: { name: 'mapUsers[0]' } }]);
  });

  test('a username read as a number: the row keeps its other fields, and eksctl types the username', () => {
    const { full, hits } = runWith({ mapRoles: `- rolearn: ${A}\n  username: 0123\n  groups:\n    - g\n` });
    expect(hits).toMatchObject([{ messageId: 'typeError', data: { field: 'username', expected: 'a quoted string' } }]);
    expect(patchOf(check, hits[0], full)?.data.mapRoles).toBe(
      `- rolearn: ${A}\n  username: "0123"\n  groups:\n    - g\n`,
    );
    expect(eksctlOf(hits[0])).toEqual([
      ['delete', 'iamidentitymapping', ...target, '--arn', A, '--all'],
      ['create', 'iamidentitymapping', ...target, '--arn', A, '--username', '0123', '--group', 'g'],
    ]);
  });

  test('groups items read as numbers or bools: every item quoted', () => {
    const { full, hits } = runWith({
      mapRoles: `- rolearn: ${A}\n  username: a\n  groups:\n    - yes\n    - 12\n    - "q"\n`,
    });
    expect(hits.map((h) => h.messageId)).toEqual(['typeError', 'typeError']);
    expect(patchOf(check, hits[0], full)?.data.mapRoles).toBe(
      `- rolearn: ${A}\n  username: a\n  groups:\n    - "yes"\n    - "12"\n    - "q"\n`,
    );
    expect(renderScript(hits[0]?.fix?.[0]?.kubectl ?? []).split('\n')[0]).toBe(
      '# mapRoles[0] (line 8): every groups item is quoted, so that each reads as a string',
    );
  });

  test('a userid of the wrong type is no finding (EKS does not use it)', () => {
    expect(lint(`- rolearn: ${A}\n  username: a\n  userid: [5]\n`)).toEqual([]);
  });

  test('dropped: the detail names the ARN, the type errors and the keys EKS does not read', () => {
    expect(lint(`- role_arn: ${A}\n  arn: x\n  username: a\n`)).toMatchObject([
      {
        messageId: 'dropped',
        data: {
          where: 'mapRoles[0] (line 8)',
          reason: 'one of rolearn or SSO must be supplied',
          detail: '; it has the keys role_arn, arn, which EKS does not read',
          remedy: 'Give the row a rolearn (the role ARN without path), or remove it',
        },
      },
    ]);
    expect(lint(`- role_arn: ${A}\n  username: a\n`)).toMatchObject([
      { data: { detail: '; it has the key role_arn, which EKS does not read' } },
    ]);
    expect(lint(`- rolearn: 12\n  username: a\n`)).toMatchObject([
      { data: { detail: ' (json: cannot unmarshal number into Go struct field RoleMapping.rolearn of type string)' } },
    ]);
    const both = `- rolearn: ${A}\n  sso:\n    permissionSetName: Admin\n    accountID: "${ACCOUNT}"\n  username: a\n`;
    expect(lint(both)).toMatchObject([
      { data: { detail: ` (rolearn ${A})`, remedy: 'Keep either rolearn or sso in the row, not both' } },
    ]);
  });

  test.each([
    [
      'an account id',
      '    permissionSetName: Admin\n    accountID: "1234"\n',
      'Write sso.accountID as the 12-digit account id, quoted',
    ],
    [
      'a permission set name',
      '    permissionSetName: My Admin\n    accountID: "111122223333"\n',
      'Write sso.permissionSetName as the permission set name (up to 32 characters of letters, digits and +=,.@-)',
    ],
    [
      'a partition',
      '    permissionSetName: Admin\n    accountID: "111122223333"\n    partition: aws-us-govt\n',
      'Write sso.partition as a valid partition (aws, aws-cn, aws-us-gov…) or leave it out',
    ],
  ])('the remedy of an sso row with a bad %s; never an exact patch', (_, sso, remedy) => {
    const { full, hits } = runWith({ mapRoles: `- sso:\n${sso}  username: a\n` });
    expect(hits).toMatchObject([{ messageId: 'dropped', data: { remedy, detail: '' } }]);
    expect(isHandEdit(check, hits[0], full)).toBe(true);
    expect(renderScript(hits[0]?.fix?.[0]?.eksctl ?? [])).toBe(
      '# eksctl cannot make this edit: use kubectl or Terraform',
    );
  });

  test('a mapUsers row without userarn: its remedy; a userarn under a misspelt key is renamed', () => {
    const bob = `arn:aws:iam::${ACCOUNT}:user/bob`;
    expect(lint(row('rolearn', A), '- username: u\n')).toMatchObject([
      { data: { remedy: 'Give the row a userarn (the IAM user ARN), or remove it' } },
    ]);
    const { full, hits } = runWith({ mapUsers: `- user_arn: ${bob}\n  username: u\n` });
    expect(patchOf(check, hits[0], full)?.data).toEqual({ mapUsers: `- userarn: ${bob}\n  username: u\n` });
    expect(renderScript(hits[0]?.fix?.[0]?.kubectl ?? []).split('\n')[0]).toBe(
      '# mapUsers[0] (line 8): the key user_arn becomes userarn, the key EKS reads',
    );
  });

  test('a dropped row with two ARN-looking unknown keys, or with the key already there: the hand edit', () => {
    const two = runWith({ mapRoles: `- role_arn: ${A}\n  arn: ${A}\n  username: a\n` });
    expect(isHandEdit(check, two.hits[0], two.full)).toBe(true);
    const notArn = runWith({ mapRoles: `- role_arn: A\n  username: a\n` });
    expect(isHandEdit(check, notArn.hits[0], notArn.full)).toBe(true);
  });

  test('a dropped row concerns the principal whose ARN it meant, read from an unknown key too', () => {
    const caller = principal(`arn:aws:sts::${ACCOUNT}:assumed-role/A/s`);
    const other = principal(`arn:aws:sts::${ACCOUNT}:assumed-role/B/s`);
    expect(runWith({ mapRoles: `- role_arn: ${A}\n  username: a\n` }, { principal: caller }).hits).toMatchObject([
      { affectsPrincipal: true },
    ]);
    expect(runWith({ mapRoles: `- role_arn: ${A}\n  username: a\n` }, { principal: other }).hits).toMatchObject([
      { affectsPrincipal: false },
    ]);
    expect(runWith({ mapRoles: `- role_arn: x\n  username: a\n` }, { principal: caller }).hits).toMatchObject([
      { affectsPrincipal: false },
    ]);
  });

  test("a row under the other block's key is aws-auth/wrong-section's, unless it is an sso row", () => {
    expect(lint(row('rolearn', A), `- rolearn: ${A}\n  username: u\n`)).toEqual([]);
    expect(
      lint(`- sso:\n    permissionSetName: Admin\n    accountID: "1234"\n  userarn: x\n  username: a\n`),
    ).toMatchObject([{ messageId: 'dropped' }]);
  });

  test('a repeated key: the warning data and the kept value; a repeated ARN key too', () => {
    const { full, hits } = runWith({
      mapRoles: `- rolearn: ${A}x\n  username: a\n  groups:\n    - g\n  RoleArn: ${A}\n`,
    });
    expect(hits).toMatchObject([
      {
        messageId: 'duplicateKey',
        // YAMLToJSON sorts keys: rolearn sorts after RoleArn, so its value is the one encoding/json keeps.
        location: { line: LINE_OF(5) },
        data: { field: 'rolearn', key: 'RoleArn', line: LINE_OF(5), winner: 'rolearn', winnerLine: LINE_OF(1) },
      },
    ]);
    expect(patchOf(check, hits[0], full)?.data.mapRoles).toBe(`- rolearn: ${A}x\n  username: a\n  groups:\n    - g\n`);
  });

  test('a type error and a repeated key in one row: one exact patch fixes both', () => {
    const { full, hits } = runWith({
      mapRoles: `- rolearn: ${A}\n  username: old\n  username: new\n  groups: g\n`,
    });
    expect(hits.map((h) => h.messageId)).toEqual(['typeError', 'duplicateKey']);
    for (const hit of hits)
      expect(patchOf(check, hit, full)?.data.mapRoles).toBe(`- rolearn: ${A}\n  username: new\n  groups:\n    - g\n`);
  });

  test('groups with a comma or nothing in the string: no single correct list, the hand edit', () => {
    for (const groups of ['a,b', '""']) {
      const { full, hits } = runWith({ mapRoles: `- rolearn: ${A}\n  username: a\n  groups: ${groups}\n` });
      expect(isHandEdit(check, hits[0], full)).toBe(true);
    }
  });

  test('folded groups located at the groups key; eksctl gets every part; type errors and folds concern the mapped principal', () => {
    const mapRoles = `- rolearn: ${A}\n  username: a\n  groups:\n    - x\n      - y\n`;
    const { hits } = runWith({ mapRoles }, { principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/A/s`) });
    expect(hits).toMatchObject([
      { messageId: 'foldedList', location: { line: LINE_OF(3), column: 7 }, affectsPrincipal: true },
    ]);
    expect(eksctlOf(hits[0])[1]).toEqual([
      'create',
      'iamidentitymapping',
      ...target,
      '--arn',
      A,
      '--username',
      'a',
      '--group',
      'x',
      '--group',
      'y',
    ]);
    const dup = runWith(
      { mapRoles: `- rolearn: ${A}\n  username: a\n  username: b\n` },
      { principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/A/s`) },
    );
    expect(dup.hits).toMatchObject([{ messageId: 'duplicateKey', affectsPrincipal: true }]);
  });
});

describe('aws-auth/entry-shape: the rarer shapes', () => {
  const runWith = (data: Record<string, string>, evidence: Partial<Evidence> = {}) => {
    const full: Evidence = { awsAuth: awsAuthFromText(configMapText(data)), ...evidence };
    return { full, hits: check.run(contextFor(full)) };
  };

  test('a repeated groups list keeps the list EKS decodes', () => {
    const { full, hits } = runWith({
      mapRoles: `- rolearn: ${A}\n  username: a\n  groups:\n    - x\n    - y\n  groups:\n    - x\n    - z\n`,
    });
    expect(hits).toMatchObject([{ messageId: 'duplicateKey', data: { field: 'groups' } }]);
    expect(patchOf(check, hits[0], full)?.data.mapRoles).toBe(
      `- rolearn: ${A}\n  username: a\n  groups:\n    - x\n    - z\n`,
    );
  });

  test('a repeated userarn in a mapUsers row keeps the ARN EKS decodes', () => {
    const u = `arn:aws:iam::${ACCOUNT}:user/u`;
    const { full, hits } = runWith({ mapUsers: `- userarn: ${u}x\n  userarn: ${u}\n  username: u\n` });
    expect(hits).toMatchObject([{ messageId: 'duplicateKey', data: { field: 'userarn' } }]);
    expect(patchOf(check, hits[0], full)?.data.mapUsers).toBe(`- userarn: ${u}\n  username: u\n`);
  });

  test('an ARN under an unread key next to an empty rolearn, or under two spellings of it: the hand edit', () => {
    for (const mapRoles of [
      `- rolearn: ""\n  role_arn: ${A}\n  username: a\n`,
      `- role_arn: ${A}\n  ROLE_ARN: x\n  username: a\n`,
    ]) {
      const { full, hits } = runWith({ mapRoles });
      expect(hits).toMatchObject([{ messageId: 'dropped' }]);
      expect(isHandEdit(check, hits[0], full)).toBe(true);
    }
  });

  test('an sso key of the wrong type beside a rolearn: encoding/json allocates the sso, so the row has both and is dropped', () => {
    const { full, hits } = runWith({ mapRoles: `- rolearn: ${A}\n  sso: x\n  username: a\n` });
    expect(hits).toMatchObject([
      {
        messageId: 'dropped',
        data: {
          reason: 'only one of rolearn or SSO can be supplied',
          detail: ` (rolearn ${A}) (json: cannot unmarshal string into Go struct field RoleMapping.sso of type config.SSOARNMatcher)`,
          remedy: 'Keep either rolearn or sso in the row, not both',
        },
      },
    ]);
    expect(isHandEdit(check, hits[0], full)).toBe(true);
  });

  test('a rolearn of the wrong type in an sso row: no ARN', () => {
    const mapRoles = `- rolearn: 12\n  sso:\n    permissionSetName: Admin\n    accountID: "${ACCOUNT}"\n  username: a\n`;
    expect(runWith({ mapRoles }).hits).toMatchObject([
      { messageId: 'typeError', data: { field: 'rolearn', effect: 'no ARN', expected: 'a quoted string' } },
    ]);
  });

  test('an unread key holding a list names no ARN', () => {
    const caller = principal(`arn:aws:sts::${ACCOUNT}:assumed-role/A/s`);
    expect(runWith({ mapRoles: `- role_arn: [${A}]\n  username: a\n` }, { principal: caller }).hits).toMatchObject([
      { messageId: 'dropped', affectsPrincipal: false },
    ]);
  });

  test('folded groups beside a problem with no exact fix: eksctl still gets every part', () => {
    const { full, hits } = runWith(
      { mapRoles: `- rolearn: ${A}\n  username: [a]\n  groups:\n    - x\n      - y\n` },
      { cluster: { name: 'prod', region: 'eu-west-1' } },
    );
    expect(hits.map((h) => h.messageId)).toEqual(['typeError', 'foldedList']);
    expect(isHandEdit(check, hits[1], full)).toBe(true);
    expect(commandsOf(hits[1]?.fix?.[0]?.eksctl ?? [])[1]?.argv.slice(7)).toEqual([
      '--arn',
      A,
      '--group',
      'x',
      '--group',
      'y',
    ]);
  });
});

describe('aws-auth/entry-shape: details and dialects', () => {
  const runWith = (data: Record<string, string>) => {
    const full: Evidence = { awsAuth: awsAuthFromText(configMapText(data)) };
    return { full, hits: check.run(contextFor(full)) };
  };
  const TF_HEAD = '# terraform-aws-modules/eks v19 (module "eks"), or v20+ with its aws-auth submodule';
  const eksctl = (verb: string, ...args: string[]) =>
    ['eksctl', verb, 'iamidentitymapping', '--cluster', 'CLUSTER_NAME', '--region', 'REGION', ...args].join(' ');

  test('passes without aws-auth', () => {
    expect(check.run(contextFor({}))).toEqual([]);
  });

  // YAMLToJSON sorts the keys, so encoding/json meets groups before username.
  test('a dropped row with two type errors: the detail lists both, in the order EKS decodes them', () => {
    expect(lint('- username: [a]\n  groups: x\n')).toMatchObject([
      {
        messageId: 'dropped',
        data: {
          detail:
            ' (json: cannot unmarshal string into Go struct field RoleMapping.groups of type []string; json: cannot unmarshal array into Go struct field RoleMapping.username of type string)',
          // Type errors in other fields than sso leave the remedy of the reason.
          remedy: 'Give the row a rolearn (the role ARN without path), or remove it',
        },
      },
    ]);
  });

  test('an item folded with extra spaces after its dash: every dialect gets the bare items', () => {
    const { full, hits } = runWith({
      mapRoles: `- rolearn: ${A}\n  username: a\n  groups:\n    - ops\n      -  dev\n`,
    });
    expect(hits).toMatchObject([{ messageId: 'foldedList', data: { group: 'ops -  dev', parts: 'ops, dev' } }]);
    const step = renderHit(check, hits[0] as Hit, full).fix?.steps[0];
    expect(step?.kubectl?.text.split('\n')[0]).toBe(
      `# mapRoles[0] (line ${LINE_OF(1)}): the groups items folded into one become one item each`,
    );
    expect(patchOf(check, hits[0], full)?.data.mapRoles).toBe(
      `- rolearn: ${A}\n  username: a\n  groups:\n    - ops\n    - dev\n`,
    );
    expect(step?.eksctl?.text).toBe(
      [
        eksctl('delete', '--arn', A, '--all'),
        eksctl('create', '--arn', A, '--username', 'a', '--group', 'ops', '--group', 'dev'),
      ].join('\n'),
    );
    expect(step?.terraform?.text).toBe(
      [TF_HEAD, `aws_auth_roles = [{ rolearn = "${A}", username = "a", groups = ["ops", "dev"] }]`].join('\n'),
    );
  });

  test('the same fold beside a problem with no exact fix: the hand edit, eksctl and Terraform still split it', () => {
    const { full, hits } = runWith({
      mapRoles: `- rolearn: ${A}\n  username: [a]\n  groups:\n    - ops\n      -  dev\n`,
    });
    expect(hits.map((h) => h.messageId)).toEqual(['typeError', 'foldedList']);
    const step = renderHit(check, hits[1] as Hit, full).fix?.steps[0];
    expect(step?.kubectl?.text).toBe(
      [
        'kubectl get configmap aws-auth -n kube-system -o yaml > aws-auth.yaml',
        `# edit aws-auth.yaml: fix mapRoles[0] (line ${LINE_OF(1)}): indent the groups items alike (ops, dev)`,
        'eksauth lint aws-auth.yaml',
        'kubectl replace -f aws-auth.yaml',
      ].join('\n'),
    );
    expect(step?.eksctl?.text.split('\n')[1]).toBe(eksctl('create', '--arn', A, '--group', 'ops', '--group', 'dev'));
    expect(step?.terraform?.text).toBe(
      [TF_HEAD, `aws_auth_roles = [{ rolearn = "${A}", username = "", groups = ["ops", "dev"] }]`].join('\n'),
    );
  });

  // encoding/json allocates an empty sso for `sso: x`, so validation blames the account id; the mapping is the problem.
  test.each([
    ['a string', 'x'],
    ['a list', '[x]'],
  ])('an sso written as %s: the remedy asks for a mapping', (_, value) => {
    expect(lint(`- sso: ${value}\n  username: a\n`)).toMatchObject([
      {
        messageId: 'dropped',
        data: {
          reason: "AccountID '' is not a valid AWS Account ID",
          remedy: `Write sso in mapRoles[0] (line ${LINE_OF(1)}) as a mapping of permissionSetName, accountID and (optionally) partition`,
        },
      },
    ]);
  });

  test('an sso partition of the wrong type: the row is kept with an empty partition; a hand edit', () => {
    const mapRoles = `- sso:\n    permissionSetName: Admin\n    accountID: "${ACCOUNT}"\n    partition: [aws]\n  username: a\n`;
    const { full, hits } = runWith({ mapRoles });
    expect(hits).toMatchObject([
      {
        messageId: 'typeError',
        data: {
          field: 'partition',
          error: 'json: cannot unmarshal array into Go struct field SSOARNMatcher.partition of type string',
          effect: 'an empty partition',
          expected: 'a quoted string',
        },
      },
    ]);
    expect(isHandEdit(check, hits[0], full)).toBe(true);
  });

  test('a repeated key beside a problem with no exact fix: the hand edit names the repeated field', () => {
    const { full, hits } = runWith({ mapRoles: `- rolearn: ${A}\n  username: old\n  username: new\n  groups: a,b\n` });
    expect(hits.map((h) => h.messageId)).toEqual(['typeError', 'duplicateKey']);
    expect(renderHit(check, hits[1] as Hit, full).fix?.steps[0]?.kubectl?.text.split('\n')[1]).toBe(
      `# edit aws-auth.yaml: fix mapRoles[0] (line ${LINE_OF(1)}): username is given twice`,
    );
    expect(renderHit(check, hits[1] as Hit, full).fix?.steps[0]?.eksctl?.text.split('\n')[1]).toBe(
      eksctl('create', '--arn', A, '--username', 'new'),
    );
  });

  test('a username read as a number: the patch says it quotes it, eksctl and Terraform write it as a string', () => {
    const { full, hits } = runWith({ mapRoles: `- rolearn: ${A}\n  username: 0123\n` });
    const step = renderHit(check, hits[0] as Hit, full).fix?.steps[0];
    expect(step?.kubectl?.text.split('\n')[0]).toBe(
      `# mapRoles[0] (line ${LINE_OF(1)}): username: 0123 is quoted, so that it reads as a string`,
    );
    expect(step?.terraform?.text).toBe(
      [TF_HEAD, `aws_auth_roles = [{ rolearn = "${A}", username = "0123", groups = [] }]`].join('\n'),
    );
  });

  test('a repeated groups list whose first spelling is a prefix of the decoded one keeps the decoded one', () => {
    const { full, hits } = runWith({
      mapRoles: `- rolearn: ${A}\n  username: a\n  groups:\n    - x\n  groups:\n    - x\n    - z\n`,
    });
    expect(hits).toMatchObject([{ messageId: 'duplicateKey', data: { field: 'groups' } }]);
    expect(patchOf(check, hits[0], full)?.data.mapRoles).toBe(
      `- rolearn: ${A}\n  username: a\n  groups:\n    - x\n    - z\n`,
    );
  });

  test('groups items: only the plain ones are quoted, a single-quoted item keeps its quotes', () => {
    const { full, hits } = runWith({ mapRoles: `- rolearn: ${A}\n  username: a\n  groups:\n    - 12\n    - 'q'\n` });
    expect(patchOf(check, hits[0], full)?.data.mapRoles).toBe(
      `- rolearn: ${A}\n  username: a\n  groups:\n    - "12"\n    - 'q'\n`,
    );
  });

  test('a repeated groups key, first a string then a list: the list EKS decodes is kept', () => {
    const { full, hits } = runWith({
      mapRoles: `- rolearn: ${A}\n  username: a\n  groups: ops\n  groups:\n    - dev\n`,
    });
    expect(hits).toMatchObject([{ messageId: 'duplicateKey', data: { field: 'groups' } }]);
    expect(patchOf(check, hits[0], full)?.data.mapRoles).toBe(`- rolearn: ${A}\n  username: a\n  groups:\n    - dev\n`);
  });

  test('a group written with two spaces before a dash: every dialect splits it at the dash', () => {
    const mapRoles = (username: string) => `- rolearn: ${A}\n  username: ${username}\n  groups:\n    - ops  - dev\n`;
    const exact = runWith({ mapRoles: mapRoles('a') });
    expect(exact.hits).toMatchObject([{ messageId: 'foldedList', data: { group: 'ops  - dev', parts: 'ops, dev' } }]);
    expect(patchOf(check, exact.hits[0], exact.full)?.data.mapRoles).toBe(
      `- rolearn: ${A}\n  username: a\n  groups:\n    - ops\n    - dev\n`,
    );
    const hand = runWith({ mapRoles: mapRoles('[a]') });
    const step = renderHit(check, hand.hits[1] as Hit, hand.full).fix?.steps[0];
    expect(step?.kubectl?.text.split('\n')[1]).toBe(
      `# edit aws-auth.yaml: fix mapRoles[0] (line ${LINE_OF(1)}): indent the groups items alike (ops, dev)`,
    );
    expect(step?.terraform?.text.split('\n')[1]).toBe(
      `aws_auth_roles = [{ rolearn = "${A}", username = "", groups = ["ops", "dev"] }]`,
    );
  });

  test('a userid of the wrong type beside a groups string: the hand edit, since the userid stays', () => {
    const { full, hits } = runWith({ mapRoles: `- rolearn: ${A}\n  username: a\n  userid: [5]\n  groups: g\n` });
    expect(hits).toMatchObject([{ messageId: 'typeError', data: { field: 'groups' } }]);
    expect(isHandEdit(check, hits[0], full)).toBe(true);
  });
});
