import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  ListClustersCommand,
} from '@aws-sdk/client-eks';
import { GetRoleCommand, GetUserCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { clientsFor, kube, sandboxFor, tokenFor } from './helpers.js';

/** What each scenario lets a collector see on the AWS side: the evidence doctor needs to name the cause. */
async function within(name: string, body: (sandbox: Sandbox) => Promise<void>): Promise<void> {
  const sandbox = await sandboxFor(name);
  try {
    await body(sandbox);
  } finally {
    await sandbox.close();
  }
}

describe('the AWS-side evidence of the shipped scenarios', () => {
  it('identity--assume-role-denied: AssumeRole answers AccessDenied (trust policy)', () =>
    within('identity--assume-role-denied', async (sandbox) => {
      const { principal = '', assumes } = sandbox.scenario.expect;
      const role = sandbox.scenario.principals.find((p) => p.id === assumes);
      expect(role?.arn).toBe('arn:aws:iam::111122223333:role/deployer');
      await expect(
        clientsFor(sandbox, principal).sts.send(
          new AssumeRoleCommand({ RoleArn: role?.arn, RoleSessionName: 'deploy' }),
        ),
      ).rejects.toMatchObject({ name: 'AccessDenied' });
      // The role it may assume (jenkins) can.
      const jenkins = await clientsFor(sandbox, 'jenkins').sts.send(
        new AssumeRoleCommand({ RoleArn: role?.arn, RoleSessionName: 'deploy' }),
      );
      expect(jenkins.AssumedRoleUser?.Arn).toBe('arn:aws:sts::111122223333:assumed-role/deployer/deploy');
      const described = await clientsFor(sandbox, 'ci').iam.send(new GetRoleCommand({ RoleName: 'deployer' }));
      expect(decodeURIComponent(described.Role?.AssumeRolePolicyDocument ?? '')).toContain(
        'arn:aws:iam::111122223333:role/jenkins',
      );
    }));

  it('identity--creator-recreated: the CreateCluster event names another unique id than IAM has now', () =>
    within('identity--creator-recreated', async (sandbox) => {
      const c = clientsFor(sandbox, 'creator');
      const user = await c.iam.send(new GetUserCommand({}));
      const events = await c.cloudtrail.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateCluster' }] }),
      );
      const record = JSON.parse(events.Events?.[0]?.CloudTrailEvent ?? '{}') as {
        userIdentity: { arn: string; principalId: string };
      };
      expect(record.userIdentity.arn).toBe(user.User?.Arn);
      expect(record.userIdentity.principalId).toBe('AIDAOLDOLDOLDOLDOLDOL');
      expect(user.User?.UserId).not.toBe(record.userIdentity.principalId);
      expect((user.User?.CreateDate?.getTime() ?? 0) > (events.Events?.[0]?.EventTime?.getTime() ?? 0)).toBe(true);
    }));

  it('access-entry--stale-principal: the role was created after its entry', () =>
    within('access-entry--stale-principal', async (sandbox) => {
      const c = clientsFor(sandbox, 'admin');
      const role = await c.iam.send(new GetRoleCommand({ RoleName: 'deployer' }));
      const entry = await c.eks.send(
        new DescribeAccessEntryCommand({
          clusterName: 'orders',
          principalArn: 'arn:aws:iam::111122223333:role/deployer',
        }),
      );
      expect((role.Role?.CreateDate?.getTime() ?? 0) > (entry.accessEntry?.createdAt?.getTime() ?? 0)).toBe(true);
    }));

  it('token--clock-skew: AWS answers with its own Date, the SDK corrects to it, tokens minted here arrive stale', () =>
    within('token--clock-skew', async (sandbox) => {
      const sts = clientsFor(sandbox, 'admin').sts; // one attempt: the correction is visible
      await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toThrow(/Signature expired/);
      // From that answer's Date header the SDK keeps AWS's time minus ours: the scenario's 20 minutes.
      expect(Math.abs(sts.config.systemClockOffset - 20 * 60_000)).toBeLessThan(2_000);
      await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({
        Arn: 'arn:aws:sts::111122223333:assumed-role/platform-admin/alice',
      });
      const stale = await kube(sandbox, 'GET', '/version', { token: tokenFor(sandbox, 'admin') });
      expect(stale.status).toBe(401);
      const fresh = await kube(sandbox, 'GET', '/version', {
        token: tokenFor(sandbox, 'admin', undefined, new Date(Date.now() + 20 * 60_000)),
      });
      expect(fresh.status).toBe(200);
    }));

  it('cluster--not-found: absent in the configured region, present in us-west-2', () =>
    within('cluster--not-found', async (sandbox) => {
      expect(sandbox.region).toBe('us-east-1');
      await expect(
        clientsFor(sandbox, 'owner').eks.send(new DescribeClusterCommand({ name: 'orders' })),
      ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
      expect((await clientsFor(sandbox, 'owner', 'us-west-2').eks.send(new ListClustersCommand({}))).clusters).toEqual([
        'orders',
      ]);
    }));

  it('cluster--not-active: CREATING, with no endpoint or CA yet', () =>
    within('cluster--not-active', async (sandbox) => {
      const { cluster } = await clientsFor(sandbox, 'owner').eks.send(new DescribeClusterCommand({ name: 'orders' }));
      expect(cluster?.status).toBe('CREATING');
      expect(cluster?.endpoint).toBeUndefined();
      expect(cluster?.certificateAuthority).toBeUndefined();
    }));

  it('network--endpoint-unreachable: DescribeCluster shows a private-only endpoint', () =>
    within('network--endpoint-unreachable', async (sandbox) => {
      const { cluster } = await clientsFor(sandbox, 'owner').eks.send(new DescribeClusterCommand({ name: 'orders' }));
      expect(cluster?.resourcesVpcConfig).toMatchObject({ endpointPublicAccess: false, endpointPrivateAccess: true });
    }));

  it('seed-aws-auth-configmap-invalid and rbac--eks-system-bindings: node groups report AccessDenied', async () => {
    await within('seed-aws-auth-configmap-invalid', async (sandbox) => {
      const { nodegroup } = await clientsFor(sandbox, 'lisenet').eks.send(
        new DescribeNodegroupCommand({ clusterName: 'eks-A', nodegroupName: 'ng-eks-A' }),
      );
      expect(nodegroup?.health?.issues).toEqual([
        { code: 'AccessDenied', message: 'The aws-auth ConfigMap in your cluster is invalid.', resourceIds: [] },
      ]);
    });
    await within('rbac--eks-system-bindings', async (sandbox) => {
      const res = await kube(sandbox, 'GET', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
        token: tokenFor(sandbox, 'owner'),
      });
      expect((res.json().items as { metadata: { name: string } }[]).map((i) => i.metadata.name)).not.toContain(
        'eks:node-manager',
      );
    });
  });

  it('the API server keeps ConfigMap semantics: create, merge patch, invalid data, delete', () =>
    within('healthy', async (sandbox) => {
      const token = tokenFor(sandbox, 'admin');
      const base = '/api/v1/namespaces/default/configmaps';
      expect(
        (
          await kube(sandbox, 'POST', base, {
            token,
            body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '1' } },
          })
        ).status,
      ).toBe(201);
      expect(
        (
          await kube(sandbox, 'POST', base, {
            token,
            body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } },
          })
        ).json(),
      ).toMatchObject({ reason: 'AlreadyExists', code: 409 });
      const patched = await kube(sandbox, 'PATCH', `${base}/x`, {
        token,
        body: { data: { b: '2', a: null } },
        contentType: 'application/merge-patch+json',
      });
      expect(patched.json().data).toEqual({ b: '2' });
      const invalid = await kube(sandbox, 'PUT', `${base}/x`, {
        token,
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { n: 1 } },
      });
      expect(invalid.json()).toMatchObject({ reason: 'Invalid', code: 422 });
      expect((await kube(sandbox, 'DELETE', `${base}/x`, { token })).status).toBe(200);
      expect((await kube(sandbox, 'GET', `${base}/x`, { token })).json()).toMatchObject({
        reason: 'NotFound',
        message: 'configmaps "x" not found',
        code: 404,
      });
      expect(sandbox.requestLog.writes().map((e) => e.action)).toEqual([
        'create configmaps',
        'create configmaps',
        'patch configmaps',
        'update configmaps',
        'delete configmaps',
      ]);
    }));
});
