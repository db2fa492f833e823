import { describe, expect, test } from 'vitest';
import check from '../../../checks/aws-auth/unknown-template.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, awsAuthFromText, contextFor, principal } from '../../helpers/evidence.js';
import { LINE_OF, configMapText, row } from './_configmap.js';
import { renderHit } from '../../../src/core/run-checks.js';
import type { Hit } from '../../../src/core/types.js';

const ROLE = `arn:aws:iam::${ACCOUNT}:role/Dev`;
const run = (data: Record<string, string>, evidence: Partial<Evidence> = {}) =>
  check.run(contextFor({ awsAuth: awsAuthFromText(configMapText(data)), ...evidence }));

describe('aws-auth/unknown-template', () => {
  test.each([
    ['M6: every known variable', `"a-{{AccountID}}-{{SessionName}}-{{SessionNameRaw}}-{{AccessKeyID}}-b"`],
    ['a node template', 'system:node:{{EC2PrivateDNSName}}'],
    ['no template', 'dev'],
  ])('passes: %s', (_, username) => {
    expect(run({ mapRoles: row('rolearn', ROLE, username, ['g']) })).toEqual([]);
  });

  test.each([
    ['a trailing space', '"{{SessionNameRaw }}"', '{{SessionNameRaw }}', '{{SessionNameRaw}}'],
    ['spaces inside the braces', '"dev:{{ SessionName }}"', '{{ SessionName }}', '{{SessionName}}'],
    ['wrong case', '"{{sessionname}}"', '{{sessionname}}', '{{SessionName}}'],
    ['a typo', '"{{SesionName}}"', '{{SesionName}}', '{{SessionName}}'],
    ["the upstream test's {{Session}}", '"{{Session}}"', '{{Session}}', '{{SessionName}}'],
  ])('fails: %s', (_, username, variable, suggested) => {
    expect(run({ mapRoles: row('rolearn', ROLE, username, ['g']) })).toMatchObject([
      {
        messageId: 'unknownVariable',
        location: { line: LINE_OF(2), column: 7 },
        affectsPrincipal: false,
        data: { field: 'username', variable, suggested },
      },
    ]);
  });

  test('an unrelated name gets the list of known variables', () => {
    expect(run({ mapRoles: row('rolearn', ROLE, '"{{Email}}"', ['g']) })).toMatchObject([
      { data: { variable: '{{Email}}', suggested: expect.stringContaining('{{EC2PrivateDNSName}}'), meant: '' } },
    ]);
  });

  test('a node username with {{EC2PrivateDnsName}} is an error: nodes cannot register', () => {
    const hits = run({
      mapRoles: row('rolearn', ROLE, 'system:node:{{EC2PrivateDnsName}}', ['system:bootstrappers', 'system:nodes']),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'unknownInNodeRow',
        data: {
          variable: '{{EC2PrivateDnsName}}',
          suggested: '{{EC2PrivateDNSName}}',
        },
      },
    ]);
  });

  test('groups are checked too', () => {
    expect(run({ mapRoles: row('rolearn', ROLE, 'dev', ['"team-{{AcountID}}"']) })).toMatchObject([
      {
        messageId: 'unknownVariable',
        location: { line: LINE_OF(3) },
        data: { field: 'group', suggested: '{{AccountID}}' },
      },
    ]);
  });

  test('the principal mapped through the row carries the literal text: an error naming it', () => {
    const data = { mapRoles: row('rolearn', ROLE, 'dev-{{SessionID}}', ['developers']) };
    expect(run(data, { principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/dev/dana`) })).toMatchObject([
      {
        messageId: 'principalUsername',
        affectsPrincipal: true,
        data: {
          principal: `arn:aws:iam::${ACCOUNT}:role/dev`,
          rendered: 'dev-{{SessionID}}',
          variable: '{{SessionID}}',
          suggested: '{{SessionName}}',
        },
      },
    ]);
    expect(run(data, { principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Other/jane`) })).toMatchObject([
      { messageId: 'unknownVariable', affectsPrincipal: false },
    ]);
  });

  test("in a group of the principal's row it concerns the principal but stays a warning", () => {
    const data = { mapRoles: row('rolearn', ROLE, 'dev', ['"team-{{AcountID}}"']) };
    expect(run(data, { principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/dev/dana`) })).toMatchObject([
      { messageId: 'unknownVariable', affectsPrincipal: true },
    ]);
  });
});

describe('aws-auth/unknown-template: exact findings', () => {
  const USER = `arn:aws:iam::${ACCOUNT}:user/bob`;
  const KNOWN = 'one of {{EC2PrivateDNSName}}, {{AccountID}}, {{SessionName}}, {{SessionNameRaw}}, {{AccessKeyID}}';

  test("the principal's own username: rendered as EKS would, each unknown variable once, groups too", () => {
    const evidence: Evidence = {
      awsAuth: awsAuthFromText(
        configMapText({ mapUsers: row('userarn', USER, '"bob-{{SessionName}}-{{Foo}}-{{Foo}}"', ['"g-{{Bar}}"']) }),
      ),
      principal: principal(USER),
    };
    const hits = check.run(contextFor(evidence));
    // {{SessionName}} renders as "" for an IAM user (corrections-turn-2.md §2).
    const shared = {
      principal: USER,
      rendered: 'bob--{{Foo}}-{{Foo}}',
      where: `mapUsers[0] (line ${LINE_OF(1)})`,
      suggested: KNOWN,
      meant: '',
      arn: USER,
    };
    expect(hits).toMatchObject([
      {
        messageId: 'principalUsername',
        subject: { kind: 'aws-auth', name: 'mapUsers[0]' },
        location: { key: 'mapUsers[0].username', line: LINE_OF(2), column: 7 },
        affectsPrincipal: true,
        data: { ...shared, field: 'username', value: 'bob-{{SessionName}}-{{Foo}}-{{Foo}}', variable: '{{Foo}}' },
      },
      {
        messageId: 'unknownVariable',
        location: { key: 'mapUsers[0].groups', line: LINE_OF(3) },
        affectsPrincipal: true,
        data: { ...shared, field: 'group', value: 'g-{{Bar}}', variable: '{{Bar}}' },
      },
    ]);
    expect(hits).toHaveLength(2);
    const [first, second] = hits.map((h) => renderHit(check, h, evidence));
    expect(first?.message).toBe(
      `${USER} is mapped by mapUsers[0] (line ${LINE_OF(1)}) with the username "bob--{{Foo}}-{{Foo}}": {{Foo}} is not a variable the authenticator knows, so it stays as text, every session of ${USER} is that same user, and RBAC bindings or audit searches for the intended name never match.`,
    );
    expect(first?.severity).toBe('error');
    expect(first?.remediation).toBe(`Write {{Foo}} as ${KNOWN} in mapUsers[0] (line ${LINE_OF(1)}).`);
    expect(second?.message).toBe(
      `mapUsers[0] (line ${LINE_OF(1)}) group "g-{{Bar}}" uses {{Bar}}, which the authenticator does not know: it stays in the group as literal text.`,
    );
    expect(second?.severity).toBe('warning');
  });

  test('a node row: the literal node name, with the suggestion', () => {
    const NODE = `arn:aws:iam::${ACCOUNT}:role/N`;
    const hits = run({ mapRoles: row('rolearn', NODE, 'system:node:{{EC2PrivateDnsName}}', []) });
    expect(hits).toMatchObject([
      {
        messageId: 'unknownInNodeRow',
        affectsPrincipal: false,
        data: {
          principal: '',
          rendered: 'system:node:{{EC2PrivateDnsName}}',
          meant: ' (did you mean {{EC2PrivateDNSName}}?)',
          arn: NODE,
        },
      },
    ]);
    expect(renderHit(check, hits[0] as Hit).message).toBe(
      `mapRoles[0] (line ${LINE_OF(1)}) username "system:node:{{EC2PrivateDnsName}}" uses {{EC2PrivateDnsName}}, which the authenticator does not know: every node of ${NODE} gets the literal username "system:node:{{EC2PrivateDnsName}}", which names no node, so the node authorizer refuses the kubelet (did you mean {{EC2PrivateDNSName}}?).`,
    );
  });

  test.each([
    ['node groups but not a node username', 'ci-{{SesionName}}', ['system:nodes'], 'unknownVariable'],
    ['a node username without node groups', 'system:node:{{SesionName}}', ['devs'], 'unknownInNodeRow'],
  ])('%s', (_, username, groups, messageId) => {
    expect(run({ mapRoles: row('rolearn', ROLE, `"${username}"`, groups) })).toMatchObject([{ messageId }]);
  });

  test('a node row mapping the principal is still a node finding', () => {
    const data = { mapRoles: row('rolearn', ROLE, 'system:node:{{EC2PrivateDnsName}}', ['system:nodes']) };
    expect(
      run(data, { principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Dev/i-0123456789abcdef0`) }),
    ).toMatchObject([{ messageId: 'unknownInNodeRow', affectsPrincipal: true }]);
  });

  test('a row without an ARN says ARN; a row of a block that does not parse never concerns the principal', () => {
    expect(run({ mapRoles: row('rolearn', '""', '"{{Foo}}"', ['g']) })).toMatchObject([{ data: { arn: 'ARN' } }]);
    const mapRoles = `${row('rolearn', ROLE, '"dev-{{SessionID}}"', ['g'])}- rolearn: x\n  username: {{SessionName}}\n`;
    expect(run({ mapRoles }, { principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Dev/dana`) })).toMatchObject([
      { messageId: 'unknownVariable', affectsPrincipal: false, data: { variable: '{{SessionID}}' } },
    ]);
  });

  test('the fix rewrites the block with the variable corrected', () => {
    const evidence: Evidence = {
      awsAuth: awsAuthFromText(configMapText({ mapRoles: row('rolearn', ROLE, '"dev:{{SesionName}}"', ['g']) })),
      cluster: { name: 'prod', region: 'eu-west-1' },
    };
    const [hit] = check.run(contextFor(evidence));
    expect(renderHit(check, hit as Hit, evidence).fix?.eksctl).toBe(
      `eksctl delete iamidentitymapping --cluster prod --region eu-west-1 --arn ${ROLE} --all\neksctl create iamidentitymapping --cluster prod --region eu-west-1 --arn ${ROLE} --username 'dev:{{SessionName}}' --group g`,
    );
  });
});
