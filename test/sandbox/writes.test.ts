import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { hasTool, kube, run, sandboxFor, tokenFor, whoami } from './helpers.js';

/**
 * The writes fixes make, with the real aws CLI and kubectl, against the sandbox (issue 12, item 4):
 * EKS's access-entry and mode writes with its refusals, and RBAC/ConfigMap writes by apply, replace,
 * patch and create; the authenticator and the authorizer see each change at once.
 */
const TOOLS = hasTool('aws') && hasTool('kubectl', ['version', '--client']);

let home: string;
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'eksauth-writes-'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

const aws = (sandbox: Sandbox, principal: string, args: string[]) =>
  run('aws', [...args, '--output', 'json'], { ...sandbox.envFor(principal), HOME: home });

function kubectl(sandbox: Sandbox, principal: string, args: string[], stdin?: string) {
  const file = join(home, `kubeconfig-${principal}-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, sandbox.kubeconfig({ principal, auth: { kind: 'token', token: tokenFor(sandbox, principal) } }));
  if (stdin === undefined) return run('kubectl', ['--kubeconfig', file, ...args], { HOME: home });
  const input = join(home, `stdin-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(input, stdin);
  return run('kubectl', ['--kubeconfig', file, ...args.map((a) => (a === '-' ? input : a))], { HOME: home });
}

const refusal = (code: string, operation: string, message: string) =>
  `An error occurred (${code}) when calling the ${operation} operation: ${message}`;

describe.skipIf(!TOOLS)(
  'EKS writes with the aws CLI (seed-aws-auth-configmap-invalid: CONFIG_MAP)',
  { timeout: 180_000 },
  () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await sandboxFor('seed-aws-auth-configmap-invalid');
    });
    afterAll(() => sandbox.close());
    const eks = (args: string[]) => aws(sandbox, 'lisenet', ['eks', '--region', 'eu-west-2', ...args]);
    const sso =
      'arn:aws:iam::000000000000:role/aws-reserved/sso.amazonaws.com/eu-west-2/AWSReservedSSO_AdministratorAccess_3d0c6bf1a2e4b5c7';
    const nodeRole = 'arn:aws:iam::000000000000:role/node-group-role';
    const admin = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

    it('refuses access-entry calls in CONFIG_MAP, refuses CONFIG_MAP → API, then goes one step and never back', async () => {
      const early = await eks(['create-access-entry', '--cluster-name', 'eks-A', '--principal-arn', sso]);
      expect(early.stderr.trim()).toBe(
        refusal(
          'InvalidRequestException',
          'CreateAccessEntry',
          "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.",
        ),
      );
      const jump = await eks(['update-cluster-config', '--name', 'eks-A', '--access-config', 'authenticationMode=API']);
      expect(jump.stderr.trim()).toBe(
        refusal(
          'InvalidParameterException',
          'UpdateClusterConfig',
          'Unsupported authentication mode update from CONFIG_MAP to API.',
        ),
      );
      const step = await eks([
        'update-cluster-config',
        '--name',
        'eks-A',
        '--access-config',
        'authenticationMode=API_AND_CONFIG_MAP',
      ]);
      expect(step.code, step.stderr).toBe(0);
      expect(JSON.parse(step.stdout)).toMatchObject({
        update: { type: 'AccessConfigUpdate', params: [{ type: 'AuthenticationMode', value: 'API_AND_CONFIG_MAP' }] },
      });
      const back = await eks([
        'update-cluster-config',
        '--name',
        'eks-A',
        '--access-config',
        'authenticationMode=CONFIG_MAP',
      ]);
      expect(back.stderr.trim()).toBe(
        refusal(
          'InvalidParameterException',
          'UpdateClusterConfig',
          'Unsupported authentication mode update from API_AND_CONFIG_MAP to CONFIG_MAP.',
        ),
      );
      const logging = await eks([
        'update-cluster-config',
        '--name',
        'eks-A',
        '--logging',
        '{"clusterLogging":[{"types":["authenticator"],"enabled":true}]}',
      ]);
      expect(logging.code, logging.stderr).toBe(0);
      const described = await eks(['describe-cluster', '--name', 'eks-A']);
      expect(JSON.parse(described.stdout)).toMatchObject({
        cluster: {
          accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' },
          logging: { clusterLogging: expect.arrayContaining([{ types: ['authenticator'], enabled: true }]) as unknown },
        },
      });
    });

    it('refuses what EKS refuses: STS ARNs, unknown principals, reserved usernames, system: groups, duplicates, policies on node entries', async () => {
      const cases: [string[], string, string][] = [
        [
          ['--principal-arn', 'arn:aws:sts::000000000000:assumed-role/cluster-role/i-1'],
          'InvalidParameterException',
          'The principalArn parameter format is not valid',
        ],
        [
          ['--principal-arn', 'arn:aws:iam::000000000000:role/nobody'],
          'InvalidParameterException',
          'The specified principalArn is invalid: invalid principal.',
        ],
        ...['system:', 'eks:', 'aws:', 'amazon:', 'iam:'].map((prefix): [string[], string, string] => [
          ['--principal-arn', sso, '--username', `${prefix}admin`],
          'InvalidParameterException',
          `The username must not begin with ${prefix}`,
        ]),
        [
          ['--principal-arn', sso, '--kubernetes-groups', 'system:masters'],
          'InvalidParameterException',
          'The kubernetes group name system:masters is invalid, it cannot start with system:',
        ],
      ];
      for (const [args, code, message] of cases) {
        const res = await eks(['create-access-entry', '--cluster-name', 'eks-A', ...args]);
        expect(res.stderr.trim(), args.join(' ')).toBe(refusal(code, 'CreateAccessEntry', message));
      }
      const node = await eks([
        'create-access-entry',
        '--cluster-name',
        'eks-A',
        '--principal-arn',
        nodeRole,
        '--type',
        'EC2_LINUX',
      ]);
      expect(node.code, node.stderr).toBe(0);
      expect(JSON.parse(node.stdout)).toMatchObject({
        accessEntry: { type: 'EC2_LINUX', username: 'system:node:{{EC2PrivateDNSName}}' },
      });
      const again = await eks([
        'create-access-entry',
        '--cluster-name',
        'eks-A',
        '--principal-arn',
        nodeRole,
        '--type',
        'EC2_LINUX',
      ]);
      expect(again.stderr.trim()).toBe(
        refusal(
          'ResourceInUseException',
          'CreateAccessEntry',
          'The specified access entry resource is already in use on this cluster.',
        ),
      );
      const policy = await eks([
        'associate-access-policy',
        '--cluster-name',
        'eks-A',
        '--principal-arn',
        nodeRole,
        '--policy-arn',
        admin,
        '--access-scope',
        'type=cluster',
      ]);
      expect(policy.stderr.trim()).toBe(
        refusal(
          'InvalidParameterException',
          'AssociateAccessPolicy',
          'This operation can only be performed on Access Entries with a type of "STANDARD".',
        ),
      );
    });

    it('an entry and an admin policy let the SSO admin in at once; update, disassociate and delete take it away again', async () => {
      expect((await whoami(sandbox, 'sso-admin')).status).toBe(401);
      const created = await eks(['create-access-entry', '--cluster-name', 'eks-A', '--principal-arn', sso]);
      expect(created.code, created.stderr).toBe(0);
      const associated = await eks([
        'associate-access-policy',
        '--cluster-name',
        'eks-A',
        '--principal-arn',
        sso,
        '--policy-arn',
        admin,
        '--access-scope',
        'type=cluster',
      ]);
      expect(associated.code, associated.stderr).toBe(0);
      expect(JSON.parse(associated.stdout)).toMatchObject({
        principalArn: sso,
        associatedAccessPolicy: { policyArn: admin, accessScope: { type: 'cluster', namespaces: [] } },
      });
      const me = await whoami(sandbox, 'sso-admin');
      expect(me.status, me.body).toBe(201);
      const token = tokenFor(sandbox, 'sso-admin');
      expect((await kube(sandbox, 'GET', '/api/v1/namespaces/kube-system/configmaps', { token })).status).toBe(200);
      const updated = await eks([
        'update-access-entry',
        '--cluster-name',
        'eks-A',
        '--principal-arn',
        sso,
        '--kubernetes-groups',
        'admins',
      ]);
      expect(JSON.parse(updated.stdout)).toMatchObject({ accessEntry: { kubernetesGroups: ['admins'] } });
      const gone = await eks([
        'disassociate-access-policy',
        '--cluster-name',
        'eks-A',
        '--principal-arn',
        sso,
        '--policy-arn',
        admin,
      ]);
      expect(gone.code, gone.stderr).toBe(0);
      expect((await kube(sandbox, 'GET', '/api/v1/namespaces/kube-system/configmaps', { token })).status).toBe(403);
      const deleted = await eks(['delete-access-entry', '--cluster-name', 'eks-A', '--principal-arn', sso]);
      expect(deleted.code, deleted.stderr).toBe(0);
      expect((await whoami(sandbox, 'sso-admin')).status).toBe(401);
    });
  },
);

describe.skipIf(!TOOLS)('RBAC and ConfigMap writes with kubectl (rbac--forbidden)', { timeout: 180_000 }, () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await sandboxFor('rbac--forbidden');
  });
  afterAll(() => sandbox.close());
  const canUpdate = async () => {
    const res = await kube(sandbox, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      token: tokenFor(sandbox, 'developer'),
      body: {
        kind: 'SelfSubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
        spec: { resourceAttributes: { verb: 'update', resource: 'configmaps', namespace: 'default' } },
      },
    });
    return (res.json().status as { allowed: boolean }).allowed;
  };

  it('kubectl create role and rolebinding (protobuf bodies) grant the denied verb at once', async () => {
    expect(await canUpdate()).toBe(false);
    const role = await kubectl(sandbox, 'owner', [
      'create',
      'role',
      'cm-editor',
      '-n',
      'default',
      '--verb=update',
      '--resource=configmaps',
    ]);
    expect(role.code, role.stderr).toBe(0);
    const binding = await kubectl(sandbox, 'owner', [
      'create',
      'rolebinding',
      'cm-editor',
      '-n',
      'default',
      '--role=cm-editor',
      '--group=developers',
    ]);
    expect(binding.code, binding.stderr).toBe(0);
    expect(await canUpdate()).toBe(true);
    const cluster = await kubectl(sandbox, 'owner', [
      'create',
      'clusterrolebinding',
      'devs-view',
      '--clusterrole=view',
      '--group=developers',
    ]);
    expect(cluster.code, cluster.stderr).toBe(0);
    const dup = await kubectl(sandbox, 'owner', [
      'create',
      'clusterrolebinding',
      'devs-view',
      '--clusterrole=view',
      '--group=developers',
    ]);
    expect(dup.stderr).toContain('"devs-view" already exists');
  });

  it('kubectl apply (create, then strategic-merge patch), replace, and patch of every type; roleRef cannot change', async () => {
    const doc = (group: string, role = 'cm-editor') =>
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: applied, namespace: default}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: ${role}}\nsubjects:\n- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: ${group}}\n`;
    const subjects = async () =>
      (
        await kubectl(sandbox, 'owner', [
          'get',
          'rolebinding',
          'applied',
          '-n',
          'default',
          '-o',
          'jsonpath={.subjects[*].name}',
        ])
      ).stdout;
    expect((await kubectl(sandbox, 'owner', ['apply', '-f', '-'], doc('a'))).code).toBe(0);
    const configured = await kubectl(sandbox, 'owner', ['apply', '-f', '-'], doc('b'));
    expect(configured.stdout).toContain('configured');
    expect(await subjects()).toBe('b');
    expect((await kubectl(sandbox, 'owner', ['replace', '-f', '-'], doc('c'))).code).toBe(0);
    expect(await subjects()).toBe('c');
    const json = await kubectl(sandbox, 'owner', [
      'patch',
      'rolebinding',
      'applied',
      '-n',
      'default',
      '--type',
      'json',
      '-p',
      '[{"op":"add","path":"/subjects/-","value":{"kind":"Group","name":"d"}}]',
    ]);
    expect(json.code, json.stderr).toBe(0);
    expect(await subjects()).toBe('c d');
    const strategic = await kubectl(sandbox, 'owner', [
      'patch',
      'rolebinding',
      'applied',
      '-n',
      'default',
      '-p',
      '{"subjects":[{"kind":"Group","name":"e"}]}',
    ]);
    expect(strategic.code, strategic.stderr).toBe(0);
    expect(await subjects()).toBe('e');
    const moved = await kubectl(sandbox, 'owner', ['apply', '-f', '-'], doc('e', 'other'));
    expect(moved.code).not.toBe(0);
    expect(moved.stderr).toContain('is invalid');
    const merged = await kubectl(sandbox, 'owner', [
      'patch',
      'configmap',
      'aws-auth',
      '-n',
      'kube-system',
      '--type',
      'merge',
      '-p',
      '{"data":{"mapUsers":"[]\\n"}}',
    ]);
    expect(merged.code, merged.stderr).toBe(0);
    const denied = await kubectl(sandbox, 'developer', [
      'create',
      'role',
      'x',
      '-n',
      'default',
      '--verb=get',
      '--resource=configmaps',
    ]);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('forbidden');
  });
});
