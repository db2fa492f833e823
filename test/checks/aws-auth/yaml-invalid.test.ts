import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { renderHit } from '../../../src/core/run-checks.js';
import type { Hit } from '../../../src/core/types.js';
import check from '../../../checks/aws-auth/yaml-invalid.js';
import { ACCOUNT, awsAuthFrom, awsAuthFromText, contextFor, entry, principal } from '../../helpers/evidence.js';
import { LINE_OF, configMapText, nodeRow, row } from './_configmap.js';

const SEED = readFileSync(join(import.meta.dirname, '../../../examples/seed1-invalid-aws-auth/aws-auth.yaml'), 'utf8');
const NODE = `arn:aws:iam::${ACCOUNT}:role/NodeInstanceRole`;
const valid = `${nodeRow(NODE)}${row('rolearn', `arn:aws:iam::${ACCOUNT}:role/Admin`)}`;
const run = (text: string, evidence: Record<string, unknown> = {}) =>
  check.run(contextFor({ awsAuth: awsAuthFromText(text), ...evidence }));

describe('aws-auth/yaml-invalid', () => {
  test.each([
    [
      'D1: a node row, an admin row, a user and an account',
      configMapText({
        mapRoles: valid,
        mapUsers: row('userarn', `arn:aws:iam::${ACCOUNT}:user/admin`),
        mapAccounts: '- 555555555555\n',
      }),
    ],
    [
      'D10: a quoted {{SessionName}}',
      configMapText({ mapRoles: row('rolearn', `arn:aws:iam::${ACCOUNT}:role/A`, '"{{SessionName}}"') }),
    ],
    [
      'D11: a template after a prefix',
      configMapText({ mapRoles: row('rolearn', `arn:aws:iam::${ACCOUNT}:role/A`, 'admin:{{SessionName}}') }),
    ],
    [
      'D19: a JSON array',
      configMapText({ mapRoles: `[{"rolearn":"arn:aws:iam::${ACCOUNT}:role/A","username":"a","groups":["g"]}]` }),
    ],
    [
      'mapAccounts that decodes to the wrong shape (map-accounts-shape reports it)',
      configMapText({ mapAccounts: 'a: b\n' }),
    ],
  ])('passes: %s', (_, text) => {
    expect(run(text)).toEqual([]);
  });

  test('D7: blank values are skipped without error', () => {
    expect(
      check.run(contextFor({ awsAuth: awsAuthFrom({ mapRoles: '""', mapUsers: '``', mapAccounts: '' }) })),
    ).toEqual([]);
    expect(
      check.run(contextFor({ awsAuth: awsAuthFrom({ mapRoles: "''", mapUsers: "''", mapAccounts: "''" }) })),
    ).toEqual([]);
  });

  test('passes when aws-auth is absent', () => {
    expect(check.run(contextFor({ awsAuth: { state: 'absent' } }))).toEqual([]);
  });

  test('seed 1: the unquoted {{SessionName}} drops mapRoles, node rows and the SSO admin row with it', () => {
    const hits = run(SEED);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({
      messageId: 'unquotedTemplate',
      subject: { kind: 'aws-auth', name: 'data.mapRoles' },
      location: { line: 24, column: 17 },
      affectsPrincipal: false,
      data: {
        block: 'mapRoles',
        line: 24,
        written: 'username: {{SessionName}}',
        corrected: 'username: "{{SessionName}}"',
        lostCount: 3,
        nodeRows:
          'mapRoles[0] (line 13) arn:aws:iam::000000000000:role/cluster-role, mapRoles[1] (line 18) arn:aws:iam::000000000000:role/node-group-role',
        adminRows: expect.stringContaining(
          'mapRoles[2] (line 23) arn:aws:iam::000000000000:role/aws-reserved/sso.amazonaws.com/',
        ),
        otherRows: '',
      },
    });
    expect(String(hits[0]?.data.error)).toContain('invalid map key');
    // One step rewrites the whole block: the SSO row without its path AND with {{SessionName}} quoted.
    const fix = renderHit(check, hits[0] as Hit).fix;
    const patch = fix?.steps[0]?.kubectl?.commands?.[0]?.argv ?? [];
    expect(patch.slice(0, 4)).toEqual(['kubectl', 'patch', 'configmap', 'aws-auth']);
    const mapRoles = (JSON.parse(patch.at(-1) ?? '{}') as { data: { mapRoles: string } }).data.mapRoles;
    const rows = parse(mapRoles) as { rolearn: string; username: string }[];
    expect(rows.at(-1)).toEqual({
      rolearn: 'arn:aws:iam::000000000000:role/AWSReservedSSO_AdministratorAccess_3d0c6bf1a2e4b5c7',
      username: '{{SessionName}}',
      groups: ['system:masters'],
    });
    expect(rows).toHaveLength(3);
    expect(fix?.terraform).toContain('username = "{{SessionName}}"');
    // No access entry for the cluster's service role (the first node row) is offered any more.
    expect(JSON.stringify(fix)).not.toContain('EC2_LINUX');
  });

  test.each([
    [
      'the SSO admin whose row is lost',
      'arn:aws:sts::000000000000:assumed-role/AWSReservedSSO_AdministratorAccess_3d0c6bf1a2e4b5c7/jane@example.com',
      true,
    ],
    ['a node whose row is lost', 'arn:aws:sts::000000000000:assumed-role/node-group-role/i-0123456789abcdef0', true],
    ['someone who never had a row', 'arn:aws:iam::000000000000:role/Other', false],
  ])('seed 1 concerns %s', (_, arn, affects) => {
    expect(run(SEED, { principal: principal(arn) })).toMatchObject([
      { messageId: 'unquotedTemplate', affectsPrincipal: affects },
    ]);
  });

  test('does not concern a principal that an access entry maps anyway', () => {
    const arn = 'arn:aws:iam::000000000000:role/node-group-role';
    const hits = run(SEED, {
      principal: principal(arn),
      cluster: { name: 'c', authenticationMode: 'API_AND_CONFIG_MAP' },
      accessEntries: [entry(arn, { type: 'EC2_LINUX' })],
    });
    expect(hits).toMatchObject([{ affectsPrincipal: false }]);
  });

  test('D9: an unquoted template on the first entry loses the valid second entry too', () => {
    const mapRoles = `- rolearn: arn:aws:iam::${ACCOUNT}:role/A\n  username: {{SessionName}}\n${row('rolearn', `arn:aws:iam::${ACCOUNT}:role/B`)}`;
    expect(run(configMapText({ mapRoles }))).toMatchObject([
      { messageId: 'unquotedTemplate', location: { line: LINE_OF(2) }, data: { lostCount: 2 } },
    ]);
  });

  test.each([
    [
      'D16: a mis-indented groups line',
      `- rolearn: arn:aws:iam::${ACCOUNT}:role/A\n  username: a\n   groups:\n    - g\n`,
      'mapRoles',
    ],
    ['D17: tab indentation', `- rolearn: arn:aws:iam::${ACCOUNT}:role/A\n\tusername: a\n`, 'mapRoles'],
    ['D18: -rolearn without a space', `-rolearn: arn:aws:iam::${ACCOUNT}:role/A\n  username: a\n`, 'mapRoles'],
  ])('fails: %s', (_, mapRoles, block) => {
    const hits = run(configMapText({ mapRoles }));
    expect(hits).toMatchObject([
      {
        messageId: 'syntax',
        subject: { name: `data.${block}` },
        data: { block },
        location: { line: expect.any(Number) },
      },
    ]);
    expect(hits[0]?.location?.line).toBeGreaterThanOrEqual(LINE_OF(1));
  });

  test('a broken mapUsers is reported for mapUsers and keeps mapRoles out of it', () => {
    const text = configMapText({
      mapRoles: valid,
      mapUsers: `- userarn: arn:aws:iam::${ACCOUNT}:user/u\n  username: {{SessionName}}\n`,
    });
    expect(run(text)).toMatchObject([
      { messageId: 'unquotedTemplate', data: { block: 'mapUsers', lostCount: 1, nodeRows: '' } },
    ]);
  });

  test('a syntax error in mapAccounts', () => {
    expect(run(configMapText({ mapAccounts: '- "111122223333\n' }))).toMatchObject([
      { messageId: 'syntax', data: { block: 'mapAccounts' } },
    ]);
  });

  test('D15: a mapping instead of a list loses the row written in it', () => {
    const text = configMapText({
      mapRoles: `rolearn: ${NODE}\nusername: system:node:{{EC2PrivateDNSName}}\ngroups:\n  - system:nodes\n`,
    });
    expect(run(text)).toMatchObject([
      {
        messageId: 'notAList',
        location: { line: LINE_OF(1), column: 5 },
        data: { found: 'a mapping', lostCount: 1, nodeRows: `mapRoles[0] (line ${LINE_OF(1)}) ${NODE}` },
      },
    ]);
  });

  test('D6: a forgotten | makes the whole ConfigMap invalid', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\ndata:\n  mapRoles:\n    - rolearn: arn:aws:iam::111122223333:role/A\n      username: a\n';
    expect(run(text)).toMatchObject([
      {
        messageId: 'notAString',
        location: { line: 6, column: 3 },
        affectsPrincipal: false,
        data: { block: 'mapRoles' },
      },
    ]);
  });

  test('without a simulation (lint) nothing concerns a principal', () => {
    expect(run(SEED).every((h) => h.affectsPrincipal === false)).toBe(true);
  });
});
