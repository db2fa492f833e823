import { describe, expect, test } from 'vitest';
import check from '../../../checks/aws-auth/human-role-as-node.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, awsAuthFromText, contextFor, principal } from '../../helpers/evidence.js';
import { LINE_OF, configMapText, nodeRow, row } from './_configmap.js';

const run = (mapRoles: string, evidence: Partial<Evidence> = {}) =>
  check.run(contextFor({ awsAuth: awsAuthFromText(configMapText({ mapRoles })), ...evidence }));
const arn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const nodegroups = [{ nodegroupName: 'ng-1', nodeRole: arn('eks-ng-1-role'), healthIssues: [] }];

describe('aws-auth/human-role-as-node', () => {
  test.each<[string, string, Partial<Evidence>]>([
    ['D1: a node instance role', nodeRow(arn('devel-worker-nodes-NodeInstanceRole-74RF4UBDUKL6')), {}],
    ['an admin role mapped as admin', row('rolearn', arn('Admin'), 'admin', ['system:masters']), {}],
    ['a CI runner node group role (node words win)', nodeRow(arn('gitlab-runner-node-role')), {}],
    ['the node group role, known from --nodegroups', nodeRow(arn('eks-ng-1-role')), { nodegroups }],
    [
      'a node group role given with its path',
      nodeRow(arn('eks-ng-1-role')),
      { nodegroups: [{ nodegroupName: 'ng-1', nodeRole: arn('eks/eks-ng-1-role'), healthIssues: [] }] },
    ],
    [
      'a Fargate pod execution role',
      row('rolearn', arn('fargate-exec'), 'system:node:{{SessionName}}', [
        'system:bootstrappers',
        'system:nodes',
        'system:node-proxier',
      ]),
      { fargateProfiles: [{ fargateProfileName: 'fp', podExecutionRoleArn: arn('fargate-exec') }] },
    ],
    ['an unknown role with no inventory to compare', nodeRow(arn('cluster-role')), {}],
  ])('passes: %s', (_, mapRoles, evidence) => {
    expect(run(mapRoles, evidence)).toEqual([]);
  });

  test.each([
    ['an SSO role', 'AWSReservedSSO_AdministratorAccess_0123abcd', 'AWSReservedSSO'],
    ['a Terraform role', 'terraform-apply', 'terraform'],
    ['a GitHub Actions role', 'GitHubActionsDeploy', 'deploy'],
    ['a CI role', 'eks-ci', 'ci'],
    ['a developer role', 'Developers', 'developers'],
  ])('fails: %s mapped as a node', (_, name, word) => {
    const hits = run(nodeRow(arn(name)));
    expect(hits).toMatchObject([
      {
        messageId: 'humanRole',
        subject: { name: 'mapRoles[0]' },
        location: { line: LINE_OF(1), column: 7 },
        affectsPrincipal: false,
        data: { name, reason: expect.stringContaining(word) },
      },
    ]);
  });

  test('only the node groups flag a row too', () => {
    expect(run(row('rolearn', arn('Admin'), 'admin', ['system:nodes']))).toMatchObject([
      { messageId: 'humanRole', data: { effect: expect.stringContaining('403') } },
    ]);
  });

  test("a role that is no node group's, when node groups are known: a warning", () => {
    expect(run(nodeRow(arn('cluster-role')), { nodegroups })).toMatchObject([
      { messageId: 'notANodeRole', data: { known: 'ng-1', effect: expect.stringContaining('401') } },
    ]);
  });

  test('C29: the human using the role is refused (401) and concerned', () => {
    const caller = principal(`arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Admin_0123abcd/jane@example.com`);
    expect(run(nodeRow(arn('AWSReservedSSO_Admin_0123abcd')), { principal: caller })).toMatchObject([
      { messageId: 'humanRole', affectsPrincipal: true },
    ]);
    expect(run(nodeRow(arn('AWSReservedSSO_Admin_0123abcd')), { principal: principal(arn('Other')) })).toMatchObject([
      { affectsPrincipal: false },
    ]);
  });

  test('rows of a broken block are judged, not blamed', () => {
    const mapRoles = `${nodeRow(arn('terraform'))}- rolearn: ${arn('x')}\n  username: {{SessionName}}\n`;
    expect(run(mapRoles, { principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/terraform/s`) })).toMatchObject([
      { messageId: 'humanRole', affectsPrincipal: false },
    ]);
  });
});
