import { describe, expect, test } from 'vitest';
import {
  arnKeyOf,
  isNodeRow,
  isPrincipalArn,
  listText,
  missedByRows,
  namesPrincipal,
  nearMissAt,
  refused,
  resourceName,
  rowRef,
  rowViews,
  viaRow,
} from '../../../checks/aws-auth/_shared.js';
import type { AwsAuth } from '../../../src/model/aws-auth/types.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { simulate, type Simulation } from '../../../src/model/simulate.js';
import { ACCOUNT, awsAuthFromText, clusterIn, principal } from '../../helpers/evidence.js';
import { LINE_OF, configMapText, row } from './_configmap.js';

/** The helpers every aws-auth check shares (checks/aws-auth/_shared.ts). */

const ROLE = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const configMapOf = (data: Record<string, string>): AwsAuth => {
  const awsAuth = awsAuthFromText(configMapText(data));
  if (awsAuth?.state !== 'present') throw new Error('no aws-auth');
  return awsAuth.configMap;
};
const simulationOf = (arn: string, evidence: Evidence): Simulation => simulate(principal(arn), evidence);

describe('rowViews', () => {
  test('decoded rows with their field positions, roles then users, then the rows of a lost block', () => {
    const views = rowViews(
      configMapOf({
        mapUsers: `- userarn: arn:aws:iam::${ACCOUNT}:user/u\n  groups:\n    - devs\n`,
        mapRoles: `${row('rolearn', ROLE, 'admin', ['system:masters'])}- rolearn: x\n  username: {{SessionName}}\n`,
      }),
    );
    // mapUsers is the first block of this file (line 8, three lines); mapRoles' rows follow its key line.
    const users = LINE_OF(1);
    const roles = LINE_OF(5);
    const at = (key: string, line: number) => ({ key, line, column: 7 });
    const lost = (index: number, arn: string, username: string, groups: string[], line: number) => ({
      block: 'mapRoles',
      index,
      arn,
      username,
      groups,
      location: expect.objectContaining({ line }),
      arnLocation: expect.objectContaining({ line }),
      usernameLocation: expect.objectContaining({ line }),
      groupsLocation: expect.objectContaining({ line }),
      lost: true,
      row: undefined,
    });
    expect(views.map((v) => ({ ...v, row: v.row ? 'decoded' : undefined }))).toEqual([
      {
        block: 'mapUsers',
        index: 0,
        arn: `arn:aws:iam::${ACCOUNT}:user/u`,
        username: '',
        groups: ['devs'],
        location: at('mapUsers[0]', users),
        arnLocation: at('mapUsers[0].userarn', users),
        // No username: the row's own position stands in for it.
        usernameLocation: at('mapUsers[0]', users),
        groupsLocation: at('mapUsers[0].groups', users + 1),
        lost: false,
        row: 'decoded',
      },
      lost(0, ROLE, 'admin', ['system:masters'], roles),
      lost(1, 'x', '{{SessionName}}', [], roles + 4),
    ]);
  });
});

describe('small helpers', () => {
  test('rowRef, arnKeyOf, listText', () => {
    expect(rowRef('mapUsers', 3, { key: 'mapUsers', line: 42, column: 7 })).toBe('mapUsers[3] (line 42)');
    expect(arnKeyOf('mapRoles')).toBe('rolearn');
    expect(arnKeyOf('mapUsers')).toBe('userarn');
    expect(listText(['a', 'b'])).toBe('[a, b]');
    expect(listText([])).toBe('[]');
  });

  test.each([
    ['a node username', 'system:node:{{EC2PrivateDNSName}}', [], true],
    ['system:nodes', 'x', ['devs', 'system:nodes'], true],
    ['system:bootstrappers', 'x', ['system:bootstrappers'], true],
    ['neither', 'node:system:node:', ['system:masters', 'system:node-proxier'], false],
  ])('isNodeRow: %s', (_, username, groups, node) => {
    expect(isNodeRow({ username, groups })).toBe(node);
  });

  test.each([
    [`arn:aws:iam::${ACCOUNT}:role/team/Admin`, 'Admin'],
    [` arn:aws:iam::${ACCOUNT}:role/Admin/ `, 'Admin'],
    [`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/jane`, 'jane'],
    ['team/Admin//', 'Admin'],
    ['Admin', 'Admin'],
    [' Admin ', 'Admin'],
    [` arn:aws:iam::${ACCOUNT}:root `, 'root'],
    ['', ''],
    ['///', ''],
  ])('resourceName(%j) = %j', (arn, name) => {
    expect(resourceName(arn)).toBe(name);
  });
});

describe('what the simulation says', () => {
  const mapped: Evidence = {
    cluster: clusterIn('CONFIG_MAP'),
    awsAuth: awsAuthFromText(configMapText({ mapRoles: row('rolearn', ROLE) })),
  };
  const byAccount: Evidence = {
    cluster: clusterIn('CONFIG_MAP'),
    awsAuth: awsAuthFromText(configMapText({ mapAccounts: `- "${ACCOUNT}"\n` })),
  };
  const nothing: Evidence = { cluster: clusterIn('CONFIG_MAP'), awsAuth: awsAuthFromText(configMapText({})) };
  const apiMode: Evidence = { ...nothing, cluster: clusterIn('API') };

  test.each<[string, Simulation | undefined, boolean, boolean]>([
    ['no simulation (lint)', undefined, false, false],
    ['mapped by its row', simulationOf(ROLE, mapped), false, false],
    ['refused in CONFIG_MAP', simulationOf(ROLE, nothing), true, true],
    ['refused in mode API (aws-auth is not why)', simulationOf(ROLE, apiMode), true, false],
    ['authenticated only through mapAccounts', simulationOf(ROLE, byAccount), false, true],
  ])('%s: refused %s, missed by rows %s', (_, simulation, isRefused, missed) => {
    expect(refused(simulation)).toBe(isRefused);
    expect(missedByRows(simulation)).toBe(missed);
  });

  test('viaRow names exactly the row that authenticated the principal', () => {
    const evidence: Evidence = {
      cluster: clusterIn('CONFIG_MAP'),
      awsAuth: awsAuthFromText(
        configMapText({
          mapRoles: `${row('rolearn', `arn:aws:iam::${ACCOUNT}:role/Other`)}${row('rolearn', ROLE)}`,
        }),
      ),
    };
    const simulation = simulationOf(ROLE, evidence);
    expect(viaRow(simulation, 'mapRoles', 1)).toBe(true);
    expect(viaRow(simulation, 'mapRoles', 0)).toBe(false);
    expect(viaRow(simulation, 'mapUsers', 1)).toBe(false);
    expect(viaRow(simulationOf(ROLE, byAccount), 'mapRoles', 0)).toBe(false);
    expect(viaRow(undefined, 'mapRoles', 0)).toBe(false);
  });

  test('isPrincipalArn compares with the canonical ARN, case-insensitively', () => {
    const simulation = simulationOf(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/jane`, nothing);
    expect(isPrincipalArn(simulation, `arn:aws:iam::${ACCOUNT}:role/admin`)).toBe(true);
    expect(isPrincipalArn(simulation, `arn:aws:iam::${ACCOUNT}:role/Other`)).toBe(false);
    expect(isPrincipalArn(undefined, ROLE)).toBe(false);
  });

  test.each<[string, string, string, boolean]>([
    [
      'the role, any case and path',
      `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/jane`,
      `arn:aws:iam::${ACCOUNT}:role/x/ADMIN`,
      true,
    ],
    ['the user', `arn:aws:iam::${ACCOUNT}:user/bob`, `arn:aws:iam::${ACCOUNT}:user/Bob`, true],
    ['another name', `arn:aws:iam::${ACCOUNT}:user/bob`, `arn:aws:iam::${ACCOUNT}:user/alice`, false],
    ['the account root, which has no name', `arn:aws:iam::${ACCOUNT}:root`, `arn:aws:iam::${ACCOUNT}:root`, false],
    ['a federated user', `arn:aws:sts::${ACCOUNT}:federated-user/bob`, `arn:aws:iam::${ACCOUNT}:user/bob`, false],
  ])('namesPrincipal: %s', (_, who, arn, names) => {
    expect(namesPrincipal(arn, simulationOf(who, nothing))).toBe(names);
  });

  test('namesPrincipal without a simulation, or with a nameless principal, is false', () => {
    expect(namesPrincipal(ROLE, undefined)).toBe(false);
    const simulation = simulationOf(ROLE, nothing);
    const nameless = { ...simulation, principal: { ...simulation.principal, name: '' } };
    expect(namesPrincipal(`arn:aws:iam::${ACCOUNT}:role/`, nameless)).toBe(false);
    expect(namesPrincipal('', nameless)).toBe(false);
  });

  test('nearMissAt: the same check at the same line and column', () => {
    const at = { key: 'mapRoles', line: 9, column: 7 };
    const simulation = {
      ...simulationOf(ROLE, nothing),
      nearMisses: [
        { checkId: 'aws-auth/other', detail: '', location: { key: 'mapRoles', line: 20, column: 3 } },
        { checkId: 'aws-auth/x', detail: '', location: at },
        { checkId: 'aws-auth/y', detail: '' },
      ],
    };
    expect(nearMissAt(simulation, 'aws-auth/x', at)).toBe(true);
    expect(nearMissAt(simulation, 'aws-auth/x', { ...at, column: 8 })).toBe(false);
    expect(nearMissAt(simulation, 'aws-auth/x', { ...at, line: 10 })).toBe(false);
    expect(nearMissAt(simulation, 'aws-auth/other', at)).toBe(false);
    expect(nearMissAt(simulation, 'aws-auth/y', at)).toBe(false);
    expect(nearMissAt(simulation, 'aws-auth/x', undefined)).toBe(false);
    expect(nearMissAt(undefined, 'aws-auth/x', at)).toBe(false);
  });
});
