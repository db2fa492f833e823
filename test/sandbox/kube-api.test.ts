import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sandbox/scenario/load.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { kube, sandboxFor, tokenFor, whoami } from './helpers.js';

const UNAUTHORIZED = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'Unauthorized',
  reason: 'Unauthorized',
  code: 401,
};

describe('the API server of the seed 2 story (CONFIG_MAP, creator role)', () => {
  let sandbox: Sandbox;
  const now = new Date();
  beforeAll(async () => {
    sandbox = await sandboxFor('seed-debug-eks-unauthenticated', { clock: () => now });
  });
  afterAll(() => sandbox.close());

  it('answers the agent role 401 with the real Status body', async () => {
    const res = await whoami(sandbox, 'tfc-agent');
    expect(res.status).toBe(401);
    expect(res.json()).toEqual(UNAUTHORIZED);
    const entry = sandbox.requestLog.entries.findLast((e) => e.service === 'kube');
    expect(entry).toMatchObject({
      status: 401,
      allowed: false,
      error: 'Unauthorized: identity is not mapped',
      cluster: 'my-cluster',
    });
  });

  it('lets the role that created the cluster in as system:masters, through no visible mapping', async () => {
    const res = await whoami(sandbox, 'local');
    expect(res.status).toBe(201);
    const userInfo = (res.json().status as { userInfo: Record<string, unknown> }).userInfo;
    expect(userInfo).toMatchObject({
      username: 'kubernetes-admin',
      groups: ['system:masters', 'system:authenticated'],
    });
    expect(userInfo.uid).toMatch(/^aws-iam-authenticator:111122223333:AROA/);
    expect(userInfo.extra).toMatchObject({
      arn: ['arn:aws:sts::111122223333:assumed-role/terraform-local/xing-local'],
      canonicalArn: ['arn:aws:iam::111122223333:role/terraform-local'],
      sessionName: ['xing-local'],
    });
    const cm = await kube(sandbox, 'GET', '/api/v1/namespaces/kube-system/configmaps/aws-auth', {
      token: tokenFor(sandbox, 'local'),
    });
    expect(cm.status).toBe(200);
    expect((cm.json().data as Record<string, string>).mapRoles).toContain('eks-node-group-role');
  });

  it('replays the token to STS as EKS does: a token for another cluster fails the signature', async () => {
    const res = await kube(sandbox, 'GET', '/api', { token: tokenFor(sandbox, 'local', 'another-cluster') });
    expect(res.status).toBe(401);
    const sts = sandbox.requestLog.entries.findLast((e) => e.service === 'sts');
    expect(sts).toMatchObject({
      action: 'GetCallerIdentity',
      status: 403,
      error: 'SignatureDoesNotMatch',
      allowed: false,
    });
    expect(sandbox.requestLog.entries.findLast((e) => e.service === 'kube')?.error).toContain('SignatureDoesNotMatch');
  });

  it('rejects a token signed more than 15 minutes ago, and malformed tokens', async () => {
    const token = tokenFor(sandbox, 'local', undefined, new Date(now.getTime() - 15 * 60_000 - 1000));
    const res = await kube(sandbox, 'GET', '/api', { token });
    expect(res.status).toBe(401);
    expect(sandbox.requestLog.entries.findLast((e) => e.service === 'kube')?.error).toContain(
      'X-Amz-Date parameter is expired (15 minute expiration)',
    );
    const bad = await kube(sandbox, 'GET', '/api', { token: 'k8s-aws-v1.bm90IGEgdXJs' });
    expect(bad.status).toBe(401);
    expect(bad.json()).toEqual(UNAUTHORIZED);
  });

  it("still accepts a token at 14 minutes, because the clock is the server's", async () => {
    const token = tokenFor(sandbox, 'local', undefined, new Date(now.getTime() - 14 * 60_000));
    expect((await kube(sandbox, 'GET', '/api', { token })).status).toBe(200);
  });

  it('follows the live aws-auth ConfigMap: mapping the agent role lets it in', async () => {
    const local = tokenFor(sandbox, 'local');
    const cm = (
      await kube(sandbox, 'GET', '/api/v1/namespaces/kube-system/configmaps/aws-auth', { token: local })
    ).json() as { data: Record<string, string> };
    cm.data.mapRoles +=
      '- rolearn: arn:aws:iam::111122223333:role/tfc-agent-role\n  username: tfc-agent\n  groups:\n    - system:masters\n';
    const put = await kube(sandbox, 'PUT', '/api/v1/namespaces/kube-system/configmaps/aws-auth', {
      token: local,
      body: cm,
    });
    expect(put.status).toBe(200);
    const res = await whoami(sandbox, 'tfc-agent');
    expect(res.status).toBe(201);
    expect((res.json().status as { userInfo: { username: string } }).userInfo.username).toBe('tfc-agent');
    expect(sandbox.requestLog.writes().map((e) => e.action)).toEqual(['update configmaps']);
    // A stale resourceVersion conflicts, as on a real API server.
    const stale = await kube(sandbox, 'PUT', '/api/v1/namespaces/kube-system/configmaps/aws-auth', {
      token: local,
      body: cm,
    });
    expect(stale.status).toBe(409);
  });

  it('serves discovery and /version to anyone authenticated, and /version to anonymous', async () => {
    const token = tokenFor(sandbox, 'local');
    expect((await kube(sandbox, 'GET', '/api', { token })).json()).toMatchObject({
      kind: 'APIVersions',
      versions: ['v1'],
    });
    const apis = (await kube(sandbox, 'GET', '/apis', { token })).json() as { groups: { name: string }[] };
    expect(apis.groups.map((g) => g.name)).toEqual([
      'rbac.authorization.k8s.io',
      'authentication.k8s.io',
      'authorization.k8s.io',
    ]);
    expect((await kube(sandbox, 'GET', '/version')).json()).toMatchObject({ major: '1', minor: '31+' });
    const anonymous = await kube(sandbox, 'GET', '/api/v1/namespaces/kube-system/configmaps');
    expect(anonymous.status).toBe(403);
    expect(anonymous.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'configmaps is forbidden: User "system:anonymous" cannot list resource "configmaps" in API group "" in the namespace "kube-system"',
      reason: 'Forbidden',
      details: { kind: 'configmaps' },
      code: 403,
    });
  });
});

describe('authorization: RBAC and access policies (healthy)', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await sandboxFor('healthy');
  });
  afterAll(() => sandbox.close());

  const ssar = async (principal: string, attrs: Record<string, string>) => {
    const res = await kube(sandbox, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      token: tokenFor(sandbox, principal),
      body: {
        kind: 'SelfSubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
        spec: { resourceAttributes: attrs },
      },
    });
    expect(res.status).toBe(201);
    return (res.json().status as { allowed: boolean }).allowed;
  };

  it('a namespace-scoped AmazonEKSEditPolicy allows edits in that namespace only', async () => {
    expect(await ssar('developer', { verb: 'update', resource: 'configmaps', namespace: 'payments' })).toBe(true);
    expect(await ssar('developer', { verb: 'get', resource: 'secrets', namespace: 'payments' })).toBe(true);
    expect(await ssar('developer', { verb: 'get', resource: 'configmaps', namespace: 'kube-system' })).toBe(false);
    expect(
      await ssar('developer', { verb: 'list', resource: 'clusterroles', group: 'rbac.authorization.k8s.io' }),
    ).toBe(false);
    const res = await kube(sandbox, 'GET', '/api/v1/namespaces/kube-system/configmaps/aws-auth', {
      token: tokenFor(sandbox, 'developer'),
    });
    expect(res.status).toBe(403);
    expect(res.json()).toMatchObject({
      message:
        'configmaps "aws-auth" is forbidden: User "arn:aws:sts::111122223333:assumed-role/developer/bob" cannot get resource "configmaps" in API group "" in the namespace "kube-system"',
      details: { name: 'aws-auth', kind: 'configmaps' },
    });
  });

  it('the creator entry (AmazonEKSClusterAdminPolicy) allows everything; RBAC groups work through bindings', async () => {
    expect(
      await ssar('admin', { verb: 'delete', resource: 'clusterrolebindings', group: 'rbac.authorization.k8s.io' }),
    ).toBe(true);
    // ci-deployer is in group "deployers", bound to the edit ClusterRole.
    expect(await ssar('ci', { verb: 'create', resource: 'deployments', group: 'apps', namespace: 'default' })).toBe(
      true,
    );
    expect(
      await ssar('ci', { verb: 'list', resource: 'roles', group: 'rbac.authorization.k8s.io', namespace: 'default' }),
    ).toBe(false);
  });

  it('SelfSubjectRulesReview lists RBAC rules but not access-policy permissions, and says it is incomplete', async () => {
    const res = await kube(sandbox, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', {
      token: tokenFor(sandbox, 'developer'),
      body: { spec: { namespace: 'payments' } },
    });
    const status = res.json().status as { resourceRules: { resources: string[] }[]; incomplete: boolean };
    expect(status.incomplete).toBe(true);
    expect(status.resourceRules.flatMap((r) => r.resources)).not.toContain('configmaps');
    expect(status.resourceRules.flatMap((r) => r.resources)).toContain('selfsubjectreviews');
  });

  it('lists ConfigMaps and RBAC objects, as a Table when kubectl asks', async () => {
    const token = tokenFor(sandbox, 'admin');
    const list = (
      await kube(sandbox, 'GET', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', { token })
    ).json() as { kind: string; items: { metadata: { name: string } }[] };
    expect(list.kind).toBe('ClusterRoleBindingList');
    expect(list.items.map((i) => i.metadata.name)).toContain('deployers-edit');
    expect(list.items.map((i) => i.metadata.name)).toContain('eks:node-manager');
    const roles = await kube(sandbox, 'GET', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', {
      token,
    });
    expect(roles.json()).toMatchObject({ kind: 'RoleBindingList', items: [] });
    const table = (
      await kube(sandbox, 'GET', '/api/v1/namespaces/kube-system/configmaps', {
        token,
        accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
      })
    ).json() as { kind: string; rows: { cells: unknown[] }[] };
    expect(table.kind).toBe('Table');
    expect(table.rows[0]?.cells).toEqual(['aws-auth', 2, '30d']);
  });

  it('a node (instance-id session) gets a private DNS name username and the node groups', async () => {
    const res = await whoami(sandbox, 'nodes');
    expect(res.status).toBe(201);
    const userInfo = (res.json().status as { userInfo: { username: string; groups: string[] } }).userInfo;
    expect(userInfo.username).toMatch(/^system:node:ip-10-0-\d+-\d+\.ec2\.internal$/);
    expect(userInfo.groups).toEqual(['system:bootstrappers', 'system:nodes', 'system:authenticated']);
  });
});

describe('two clusters in one scenario', () => {
  it('each has its own API server and CA, and a token is good only for the cluster it names', async () => {
    const text = [
      'name: two-clusters',
      'accounts: [{ id: "111122223333" }]',
      'principals: [{ id: owner, type: user, name: owner }]',
      'clusters:',
      '  - { name: blue, creator: { principal: owner } }',
      '  - { name: green, region: eu-west-1, creator: { principal: owner } }',
    ].join('\n');
    const sandbox = await startSandbox({ scenario: parseScenario(text, 'inline') });
    try {
      expect(sandbox.endpoints.clusters.blue).not.toBe(sandbox.endpoints.clusters.green);
      expect(sandbox.caPemOf('blue')).not.toBe(sandbox.caPemOf('green'));
      const forBlue = tokenFor(sandbox, 'owner', 'blue');
      expect((await kube(sandbox, 'GET', '/api', { token: forBlue, cluster: 'blue' })).status).toBe(200);
      expect((await kube(sandbox, 'GET', '/api', { token: forBlue, cluster: 'green' })).status).toBe(401);
    } finally {
      await sandbox.close();
    }
  });
});
