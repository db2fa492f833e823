import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  DescribeFargateProfileCommand,
  DescribeNodegroupCommand,
  EKSClient,
  InvalidRequestException,
  ListAccessEntriesCommand,
  ListAccessPoliciesCommand,
  ListAssociatedAccessPoliciesCommand,
  ListClustersCommand,
  ListFargateProfilesCommand,
  ListNodegroupsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eks';
import { GetRoleCommand, GetUserCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { clientsFor, sandboxFor } from './helpers.js';

describe('AWS SDK v3 clients against the sandbox (healthy)', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await sandboxFor('healthy');
  });
  afterAll(() => sandbox.close());

  it('STS GetCallerIdentity for a user and a role session', async () => {
    const user = await clientsFor(sandbox, 'alice').sts.send(new GetCallerIdentityCommand({}));
    expect(user).toMatchObject({ Arn: 'arn:aws:iam::111122223333:user/alice', Account: '111122223333' });
    expect(user.UserId).toMatch(/^AIDA/);
    const role = await clientsFor(sandbox, 'developer').sts.send(new GetCallerIdentityCommand({}));
    // STS reports the role name without its path.
    expect(role.Arn).toBe('arn:aws:sts::111122223333:assumed-role/developer/bob');
    expect(role.UserId).toMatch(/^AROA[A-Z2-7]{17}:bob$/);
  });

  it('STS AssumeRole honours the trust policy and issues working temporary credentials', async () => {
    const out = await clientsFor(sandbox, 'alice').sts.send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::111122223333:role/platform-admin',
        RoleSessionName: 'alice-session',
        DurationSeconds: 900,
      }),
    );
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(out.Credentials?.SessionToken).toBeTruthy();
    expect(out.Credentials?.Expiration).toBeInstanceOf(Date);
    expect(Math.round(((out.Credentials?.Expiration?.getTime() ?? 0) - Date.now()) / 60_000)).toBe(15);
    expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::111122223333:assumed-role/platform-admin/alice-session');
    const assumed = new STSClient({
      region: 'us-east-1',
      endpoint: sandbox.endpoints.sts,
      maxAttempts: 1,
      credentials: {
        accessKeyId: out.Credentials?.AccessKeyId ?? '',
        secretAccessKey: out.Credentials?.SecretAccessKey ?? '',
        sessionToken: out.Credentials?.SessionToken ?? '',
      },
    });
    expect((await assumed.send(new GetCallerIdentityCommand({}))).Arn).toBe(out.AssumedRoleUser?.Arn);
    // ci-deployer is not in platform-admin's trust policy.
    await expect(
      clientsFor(sandbox, 'ci').sts.send(
        new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111122223333:role/platform-admin', RoleSessionName: 'x1' }),
      ),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
      message:
        'User: arn:aws:iam::111122223333:user/ci-deployer is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role/platform-admin',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('rejects a wrong secret with SignatureDoesNotMatch and an unknown key with InvalidClientTokenId', async () => {
    const c = sandbox.credentialsFor('alice');
    const wrong = new STSClient({
      region: 'us-east-1',
      endpoint: sandbox.endpoints.sts,
      maxAttempts: 1,
      credentials: { accessKeyId: c.accessKeyId, secretAccessKey: `${c.secretAccessKey}x` },
    });
    await expect(wrong.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
      $metadata: { httpStatusCode: 403 },
    });
    const unknown = new EKSClient({
      region: 'us-east-1',
      endpoint: sandbox.endpoints.eks,
      maxAttempts: 1,
      credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' },
    });
    await expect(unknown.send(new ListClustersCommand({}))).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
      $metadata: { httpStatusCode: 403 },
    });
    const log = sandbox.requestLog.entries.filter((e) => e.error === 'SignatureDoesNotMatch');
    expect(log.length).toBeGreaterThan(0);
    expect(log.every((e) => !e.allowed && e.caller === undefined)).toBe(true);
  });

  it('EKS DescribeCluster, with epoch-second timestamps parsed into Dates', async () => {
    const { cluster } = await clientsFor(sandbox, 'alice').eks.send(new DescribeClusterCommand({ name: 'demo' }));
    expect(cluster?.createdAt).toBeInstanceOf(Date);
    expect(cluster?.accessConfig).toEqual({
      authenticationMode: 'API_AND_CONFIG_MAP',
      bootstrapClusterCreatorAdminPermissions: true,
    });
    expect(cluster?.endpoint).toBe(sandbox.endpoints.clusters.demo);
    expect(Buffer.from(cluster?.certificateAuthority?.data ?? '', 'base64').toString()).toBe(sandbox.caPem);
    expect(cluster?.resourcesVpcConfig?.endpointPublicAccess).toBe(true);
    await expect(
      clientsFor(sandbox, 'alice').eks.send(new DescribeClusterCommand({ name: 'nope' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    // The cluster is in us-east-1 only.
    await expect(
      clientsFor(sandbox, 'alice', 'eu-west-1').eks.send(new DescribeClusterCommand({ name: 'demo' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'No cluster found for name: demo.' });
  });

  it('EKS access entries: list, describe by percent-encoded ARN with a path, policies', async () => {
    const { eks } = clientsFor(sandbox, 'alice');
    const list = await eks.send(new ListAccessEntriesCommand({ clusterName: 'demo' }));
    expect(list.accessEntries).toEqual([
      'arn:aws:iam::111122223333:role/platform-admin',
      'arn:aws:iam::111122223333:role/teams/payments/developer',
    ]);
    const entry = await eks.send(
      new DescribeAccessEntryCommand({
        clusterName: 'demo',
        principalArn: 'arn:aws:iam::111122223333:role/teams/payments/developer',
      }),
    );
    expect(entry.accessEntry).toMatchObject({
      type: 'STANDARD',
      kubernetesGroups: [],
      username: 'arn:aws:sts::111122223333:assumed-role/developer/{{SessionName}}',
    });
    expect(entry.accessEntry?.createdAt).toBeInstanceOf(Date);
    expect(entry.accessEntry?.accessEntryArn).toMatch(
      /^arn:aws:eks:us-east-1:111122223333:access-entry\/demo\/role\/111122223333\/developer\/[0-9a-f-]{36}$/,
    );
    const policies = await eks.send(
      new ListAssociatedAccessPoliciesCommand({
        clusterName: 'demo',
        principalArn: 'arn:aws:iam::111122223333:role/teams/payments/developer',
      }),
    );
    expect(policies.associatedAccessPolicies?.[0]).toMatchObject({
      policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy',
      accessScope: { type: 'namespace', namespaces: ['payments'] },
    });
    expect(policies.associatedAccessPolicies?.[0]?.associatedAt).toBeInstanceOf(Date);
  });

  it('EKS paginates with maxResults and nextToken', async () => {
    const { eks } = clientsFor(sandbox, 'alice');
    const first = await eks.send(new ListAccessEntriesCommand({ clusterName: 'demo', maxResults: 1 }));
    expect(first.accessEntries).toHaveLength(1);
    expect(first.nextToken).toBeTruthy();
    const second = await eks.send(
      new ListAccessEntriesCommand({ clusterName: 'demo', maxResults: 1, nextToken: first.nextToken }),
    );
    expect(second.accessEntries).toEqual(['arn:aws:iam::111122223333:role/teams/payments/developer']);
    expect(second.nextToken).toBeUndefined();
    await expect(
      eks.send(new ListAccessEntriesCommand({ clusterName: 'demo', nextToken: 'bm90LWEtdG9rZW4=' })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('EKS node groups and Fargate profiles', async () => {
    const { eks } = clientsFor(sandbox, 'alice');
    expect((await eks.send(new ListClustersCommand({}))).clusters).toEqual(['demo']);
    expect((await eks.send(new ListNodegroupsCommand({ clusterName: 'demo' }))).nodegroups).toEqual(['default']);
    const { nodegroup } = await eks.send(
      new DescribeNodegroupCommand({ clusterName: 'demo', nodegroupName: 'default' }),
    );
    expect(nodegroup).toMatchObject({
      nodeRole: 'arn:aws:iam::111122223333:role/eks-node-role',
      status: 'ACTIVE',
      health: { issues: [] },
    });
    expect(nodegroup?.createdAt).toBeInstanceOf(Date);
    expect((await eks.send(new ListFargateProfilesCommand({ clusterName: 'demo' }))).fargateProfileNames).toEqual([]);
    await expect(
      eks.send(new DescribeFargateProfileCommand({ clusterName: 'demo', fargateProfileName: 'x' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('IAM GetRole (path, unique id, create date, trust) and GetUser', async () => {
    const { iam } = clientsFor(sandbox, 'alice');
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'developer' }));
    expect(Role).toMatchObject({
      Path: '/teams/payments/',
      RoleName: 'developer',
      Arn: 'arn:aws:iam::111122223333:role/teams/payments/developer',
      MaxSessionDuration: 3600,
    });
    expect(Role?.RoleId).toMatch(/^AROA/);
    expect(Role?.CreateDate).toBeInstanceOf(Date);
    expect(JSON.parse(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? ''))).toMatchObject({
      Statement: [{ Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole' }],
    });
    const { User } = await iam.send(new GetUserCommand({}));
    expect(User).toMatchObject({ UserName: 'alice', Path: '/', Arn: 'arn:aws:iam::111122223333:user/alice' });
    await expect(iam.send(new GetRoleCommand({ RoleName: 'nope' }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('CloudTrail LookupEvents for CreateCluster, the event as a JSON string', async () => {
    const { cloudtrail } = clientsFor(sandbox, 'alice');
    const out = await cloudtrail.send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateCluster' }] }),
    );
    expect(out.Events).toHaveLength(1);
    const event = out.Events?.[0];
    expect(event?.EventTime).toBeInstanceOf(Date);
    const record = JSON.parse(event?.CloudTrailEvent ?? '{}') as {
      userIdentity: { type: string; sessionContext: { sessionIssuer: { arn: string } } };
      requestParameters: { name: string };
    };
    expect(record.userIdentity.type).toBe('AssumedRole');
    expect(record.userIdentity.sessionContext.sessionIssuer.arn).toBe('arn:aws:iam::111122223333:role/platform-admin');
    expect(record.requestParameters.name).toBe('demo');
  });

  it('logs every call with its caller, and marks none of these as writes', () => {
    const entries = sandbox.requestLog.entries;
    expect(
      entries.some(
        (e) =>
          e.service === 'eks' &&
          e.action === 'DescribeCluster' &&
          e.caller === 'arn:aws:iam::111122223333:user/alice' &&
          e.allowed,
      ),
    ).toBe(true);
    expect(entries.some((e) => e.service === 'cloudtrail' && e.action === 'LookupEvents')).toBe(true);
    expect(sandbox.requestLog.writes()).toEqual([]);
  });
});

describe('EKS access-entry calls on a CONFIG_MAP cluster', () => {
  it('answer InvalidRequestException', async () => {
    const sandbox = await sandboxFor('seed-debug-eks-unauthenticated');
    try {
      const { eks } = clientsFor(sandbox, 'xing');
      for (const command of [
        new ListAccessEntriesCommand({ clusterName: 'my-cluster' }),
        new DescribeAccessEntryCommand({
          clusterName: 'my-cluster',
          principalArn: 'arn:aws:iam::111122223333:role/tfc-agent-role',
        }),
      ]) {
        const error = await eks.send(command as ListAccessEntriesCommand).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidRequestException);
        expect((error as Error).message).toBe(
          "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.",
        );
      }
    } finally {
      await sandbox.close();
    }
  });
});

describe('the remaining EKS shapes', () => {
  it('ListAccessPolicies, ListFargateProfiles and DescribeFargateProfile', async () => {
    const sandbox = await sandboxFor('nodes--fargate-role-unmapped');
    try {
      const { eks } = clientsFor(sandbox, 'owner');
      const policies = await eks.send(new ListAccessPoliciesCommand({}));
      expect(policies.accessPolicies).toContainEqual({
        name: 'AmazonEKSViewPolicy',
        arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
      });
      expect((await eks.send(new ListFargateProfilesCommand({ clusterName: 'orders' }))).fargateProfileNames).toEqual([
        'default',
      ]);
      const { fargateProfile } = await eks.send(
        new DescribeFargateProfileCommand({ clusterName: 'orders', fargateProfileName: 'default' }),
      );
      expect(fargateProfile).toMatchObject({
        podExecutionRoleArn: 'arn:aws:iam::111122223333:role/eks-fargate-pod-execution',
        status: 'ACTIVE',
        selectors: [{ namespace: 'default' }, { namespace: 'kube-system' }],
      });
      expect(fargateProfile?.createdAt).toBeInstanceOf(Date);
    } finally {
      await sandbox.close();
    }
  });
});
