import { describe, expect, test } from 'vitest';
import check from '../../../checks/aws-auth/unknown-template.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, awsAuthFromText, contextFor, principal } from '../../helpers/evidence.js';
import { LINE_OF, configMapText, row } from './_configmap.js';

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
