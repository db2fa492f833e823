import { describe, expect, test } from 'vitest';
import check from '../../../checks/aws-auth/missing-or-replaced.js';
import type { Evidence, Nodegroup } from '../../../src/model/evidence.js';
import { ACCOUNT, awsAuthFrom, awsAuthFromText, contextFor, entry, principal } from '../../helpers/evidence.js';
import { LINE_OF, configMapText, nodeRow, row } from './_configmap.js';

const NODE_ROLE = `arn:aws:iam::${ACCOUNT}:role/eks/NodeRole`;
const nodegroups: Nodegroup[] = [{ nodegroupName: 'ng-1', nodeRole: NODE_ROLE, healthIssues: [] }];
const admin = row('rolearn', `arn:aws:iam::${ACCOUNT}:role/Admin`);
const run = (evidence: Evidence) => check.run(contextFor(evidence));

describe('aws-auth/missing-or-replaced', () => {
  test.each<[string, Evidence]>([
    [
      'a ConfigMap with a node row for the node group',
      {
        awsAuth: awsAuthFromText(
          configMapText({ mapRoles: `${nodeRow(`arn:aws:iam::${ACCOUNT}:role/NodeRole`)}${admin}` }),
        ),
        nodegroups,
      },
    ],
    [
      'mapUsers only, no node groups known',
      { awsAuth: awsAuthFrom({ mapUsers: row('userarn', `arn:aws:iam::${ACCOUNT}:user/a`) }) },
    ],
    [
      'an absent aws-auth in API mode',
      { awsAuth: { state: 'absent' }, cluster: { name: 'c', authenticationMode: 'API' }, nodegroups },
    ],
    [
      'no node row, but the node role has an access entry',
      {
        awsAuth: awsAuthFrom({ mapRoles: admin }),
        nodegroups,
        cluster: { name: 'c', authenticationMode: 'API_AND_CONFIG_MAP' },
        accessEntries: [entry(NODE_ROLE, { type: 'EC2_LINUX' })],
      },
    ],
    [
      'a broken mapRoles (aws-auth/yaml-invalid reports it)',
      { awsAuth: awsAuthFrom({ mapRoles: '- rolearn: x\n  username: {{SessionName}}\n' }), nodegroups },
    ],
  ])('passes: %s', (_, evidence) => {
    expect(run(evidence)).toEqual([]);
  });

  test('absent, with nothing known to depend on it: a warning', () => {
    expect(run({ awsAuth: { state: 'absent' } })).toMatchObject([
      { messageId: 'absentNoImpact', affectsPrincipal: false, data: { mode: 'CONFIG_MAP' } },
    ]);
  });

  test('absent while managed node groups rely on it', () => {
    expect(run({ awsAuth: { state: 'absent' }, nodegroups, cluster: { name: 'prod' } })).toMatchObject([
      {
        messageId: 'absent',
        affectsPrincipal: false,
        data: { cluster: 'prod', nodeRole: `arn:aws:iam::${ACCOUNT}:role/NodeRole` },
      },
    ]);
  });

  test('absent: concerns a principal that is refused because of it', () => {
    expect(
      run({ awsAuth: { state: 'absent' }, principal: principal(`arn:aws:iam::${ACCOUNT}:role/Dev`) }),
    ).toMatchObject([{ messageId: 'absent', affectsPrincipal: true }]);
  });

  test('absent in API_AND_CONFIG_MAP: the refused principal lacks an access entry, not a row', () => {
    const hits = run({
      awsAuth: { state: 'absent' },
      principal: principal(`arn:aws:iam::${ACCOUNT}:role/Dev`),
      cluster: { name: 'c', authenticationMode: 'API_AND_CONFIG_MAP' },
      accessEntries: [],
    });
    expect(hits).toMatchObject([{ messageId: 'absentNoImpact', affectsPrincipal: false }]);
  });

  test('absent: not the reason when the principal created the cluster', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:role/Creator`;
    expect(
      run({ awsAuth: { state: 'absent' }, principal: principal(arn), creator: { arn, source: 'flag' } }),
    ).toMatchObject([{ messageId: 'absentNoImpact', affectsPrincipal: false }]);
  });

  test.each([
    ['D7: blank values', awsAuthFrom({ mapRoles: '""', mapUsers: '``', mapAccounts: '' })],
    [
      'D4: lower-case top-level keys only',
      awsAuthFromText(configMapText({ maproles: admin, mapusers: row('userarn', `arn:aws:iam::${ACCOUNT}:user/a`) })),
    ],
    ['an empty list', awsAuthFromText(configMapText({ mapRoles: '[]' }))],
  ])('empty: %s', (_, awsAuth) => {
    expect(run({ awsAuth })).toMatchObject([{ messageId: 'emptyNoImpact', affectsPrincipal: false }]);
  });

  test('empty while node groups rely on it names the miscased keys', () => {
    const awsAuth = awsAuthFromText(configMapText({ maproles: admin }));
    expect(run({ awsAuth, nodegroups })).toMatchObject([
      { messageId: 'empty', data: { keysNote: expect.stringContaining('data.maproles') } },
    ]);
  });

  test('mapRoles rewritten without the node rows', () => {
    const hits = run({
      awsAuth: awsAuthFromText(configMapText({ mapRoles: admin })),
      nodegroups,
      cluster: { name: 'prod' },
    });
    expect(hits).toMatchObject([
      {
        messageId: 'nodeRowsMissing',
        location: { line: LINE_OF(0), column: 3 },
        affectsPrincipal: false,
        data: {
          rowCount: 1,
          nodegroups: 'ng-1',
          nodeRoles: `arn:aws:iam::${ACCOUNT}:role/NodeRole`,
          mode: 'CONFIG_MAP',
        },
      },
    ]);
  });

  test('a refused principal with no trace in aws-auth was probably lost in the same rewrite', () => {
    const hits = run({
      awsAuth: awsAuthFromText(configMapText({ mapRoles: admin })),
      nodegroups,
      principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/ops/omar`),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'nodeRowsMissing',
        affectsPrincipal: true,
        data: { principalNote: expect.stringContaining(`arn:aws:iam::${ACCOUNT}:role/ops has no row either`) },
      },
    ]);
  });

  test('leaves the refusal to aws-auth/key-casing or a broken mapAccounts when they name the principal', () => {
    const caller = principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s`);
    expect(run({ awsAuth: awsAuthFromText(configMapText({ maproles: admin })), principal: caller })).toMatchObject([
      { messageId: 'emptyNoImpact', affectsPrincipal: false },
    ]);
    expect(
      run({ awsAuth: awsAuthFromText(configMapText({ mapAccounts: `a: "${ACCOUNT}"\n` })), principal: caller }),
    ).toMatchObject([{ messageId: 'emptyNoImpact', affectsPrincipal: false }]);
    expect(
      run({ awsAuth: awsAuthFromText(configMapText({ mapAccounts: '- "444455556666"\n' })), principal: caller }),
    ).toMatchObject([{ messageId: 'empty', affectsPrincipal: true }]);
  });

  test('mapRoles rewritten without the node rows concerns the node role itself', () => {
    const hits = run({
      awsAuth: awsAuthFromText(configMapText({ mapRoles: admin })),
      nodegroups,
      principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/NodeRole/i-0123456789abcdef0`),
    });
    expect(hits).toMatchObject([{ messageId: 'nodeRowsMissing', affectsPrincipal: true }]);
  });
});
