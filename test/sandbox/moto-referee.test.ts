import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import {
  CreateClusterCommand,
  CreateNodegroupCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListNodegroupsCommand,
} from '@aws-sdk/client-eks';
import { CreateRoleCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { clientsFor, hasTool, sandboxFor } from './helpers.js';

/**
 * moto's server as a referee: the same SDK calls go to moto and to the sandbox, and the SDK must
 * parse both answers into the same shape (keys and value types) for every field eksauth reads.
 * Values differ (ids, dates), shapes may not.
 */
const MOTO = hasTool('python3', ['-c', 'import moto.server']);

type Shape = string | Shape[] | { [key: string]: Shape };

/** The type skeleton of a parsed response: `Date`, `string`, `number`… in place of values. */
function shape(value: unknown): Shape {
  if (value instanceof Date) return 'Date';
  if (Array.isArray(value)) return value.length === 0 ? [] : [shape(value[0])];
  if (value !== null && typeof value === 'object') {
    const out: Record<string, Shape> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined && k !== '$metadata') out[k] = shape(v);
    return out;
  }
  return value === null ? 'null' : typeof value;
}

/** Picks dotted paths (`cluster.resourcesVpcConfig.endpointPublicAccess`) from a response. */
function pick(value: unknown, paths: string[]): Record<string, Shape | 'missing'> {
  const out: Record<string, Shape | 'missing'> = {};
  for (const path of paths) {
    let v: unknown = value;
    for (const key of path.split('.'))
      v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
    out[path] = v === undefined ? 'missing' : shape(v);
  }
  return out;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto did not start at ${url}`);
}

describe.skipIf(!MOTO)(
  `moto as a referee for response shapes${MOTO ? '' : ': skipped, python3 with moto is not installed'}`,
  // Real clients start slowly (python, kubectl retries); two CI cores run files in parallel.
  { timeout: 120_000 },
  () => {
    let moto: ChildProcess;
    let motoUrl: string;
    let sandbox: Sandbox;
    const motoCredentials = {
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    };

    beforeAll(async () => {
      const port = await freePort();
      motoUrl = `http://127.0.0.1:${port}`;
      moto = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
      sandbox = await sandboxFor('healthy');
      await waitFor(`${motoUrl}/moto-api/`, 20_000);
    });
    afterAll(async () => {
      moto.kill('SIGTERM');
      await sandbox.close();
    });

    const motoClients = () => {
      const common = { region: 'us-east-1', endpoint: motoUrl, credentials: motoCredentials, maxAttempts: 1 };
      return { sts: new STSClient(common), iam: new IAMClient(common), eks: new EKSClient(common) };
    };

    it('STS GetCallerIdentity and AssumeRole', async () => {
      const referee = motoClients();
      const ours = clientsFor(sandbox, 'alice');
      const fields = ['Arn', 'UserId', 'Account'];
      expect(pick(await ours.sts.send(new GetCallerIdentityCommand({})), fields)).toEqual(
        pick(await referee.sts.send(new GetCallerIdentityCommand({})), fields),
      );
      await referee.iam.send(
        new CreateRoleCommand({
          RoleName: 'platform-admin',
          Path: '/',
          AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}',
        }),
      );
      const input = {
        RoleArn: 'arn:aws:iam::123456789012:role/platform-admin',
        RoleSessionName: 's1',
        DurationSeconds: 900,
      };
      const assumeFields = [
        'Credentials.AccessKeyId',
        'Credentials.SecretAccessKey',
        'Credentials.SessionToken',
        'Credentials.Expiration',
        'AssumedRoleUser.Arn',
        'AssumedRoleUser.AssumedRoleId',
      ];
      const theirs = pick(await referee.sts.send(new AssumeRoleCommand(input)), assumeFields);
      const mine = pick(
        await ours.sts.send(
          new AssumeRoleCommand({ ...input, RoleArn: 'arn:aws:iam::111122223333:role/platform-admin' }),
        ),
        assumeFields,
      );
      expect(mine).toEqual(theirs);
      expect(mine['Credentials.Expiration']).toBe('Date');
    });

    it('IAM GetRole', async () => {
      const referee = motoClients();
      await referee.iam.send(
        new CreateRoleCommand({
          RoleName: 'developer',
          Path: '/teams/payments/',
          AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}',
        }),
      );
      const fields = [
        'Role.Path',
        'Role.RoleName',
        'Role.RoleId',
        'Role.Arn',
        'Role.CreateDate',
        'Role.AssumeRolePolicyDocument',
        'Role.MaxSessionDuration',
      ];
      const theirs = pick(await referee.iam.send(new GetRoleCommand({ RoleName: 'developer' })), fields);
      const mine = pick(
        await clientsFor(sandbox, 'alice').iam.send(new GetRoleCommand({ RoleName: 'developer' })),
        fields,
      );
      expect(mine).toEqual(theirs);
      expect(mine['Role.CreateDate']).toBe('Date');
    });

    it('EKS DescribeCluster, ListNodegroups and DescribeNodegroup (moto set up with CreateCluster)', async () => {
      const { eks } = motoClients();
      // moto echoes the endpoint-access fields only when CreateCluster sets them; EKS always returns them.
      await eks.send(
        new CreateClusterCommand({
          name: 'demo',
          roleArn: 'arn:aws:iam::123456789012:role/eksClusterRole',
          resourcesVpcConfig: {
            subnetIds: ['subnet-1', 'subnet-2'],
            endpointPublicAccess: true,
            endpointPrivateAccess: false,
            publicAccessCidrs: ['0.0.0.0/0'],
          },
          accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: true },
        }),
      );
      await eks.send(
        new CreateNodegroupCommand({
          clusterName: 'demo',
          nodegroupName: 'default',
          nodeRole: 'arn:aws:iam::123456789012:role/eks-node-role',
          subnets: ['subnet-1'],
        }),
      );
      const ours = clientsFor(sandbox, 'alice').eks;
      const clusterFields = [
        'cluster.name',
        'cluster.arn',
        'cluster.createdAt',
        'cluster.version',
        'cluster.endpoint',
        'cluster.roleArn',
        'cluster.status',
        'cluster.platformVersion',
        'cluster.certificateAuthority.data',
        'cluster.resourcesVpcConfig.subnetIds',
        'cluster.resourcesVpcConfig.endpointPublicAccess',
        'cluster.resourcesVpcConfig.endpointPrivateAccess',
        'cluster.resourcesVpcConfig.publicAccessCidrs',
        'cluster.identity.oidc.issuer',
        'cluster.tags',
        // accessConfig is not compared: moto 5.2 does not model it (sdk.test.ts checks its parsing).
      ];
      const theirs = pick(await eks.send(new DescribeClusterCommand({ name: 'demo' })), clusterFields);
      expect(pick(await ours.send(new DescribeClusterCommand({ name: 'demo' })), clusterFields)).toEqual(theirs);
      expect(theirs['cluster.createdAt']).toBe('Date');
      expect(pick(await ours.send(new ListNodegroupsCommand({ clusterName: 'demo' })), ['nodegroups'])).toEqual(
        pick(await eks.send(new ListNodegroupsCommand({ clusterName: 'demo' })), ['nodegroups']),
      );
      const ngFields = [
        'nodegroup.nodegroupName',
        'nodegroup.nodegroupArn',
        'nodegroup.clusterName',
        'nodegroup.nodeRole',
        'nodegroup.status',
        'nodegroup.createdAt',
        'nodegroup.amiType',
        'nodegroup.health',
        'nodegroup.scalingConfig',
        'nodegroup.instanceTypes',
        'nodegroup.capacityType',
      ];
      const input = { clusterName: 'demo', nodegroupName: 'default' };
      expect(pick(await ours.send(new DescribeNodegroupCommand(input)), ngFields)).toEqual(
        pick(await eks.send(new DescribeNodegroupCommand(input)), ngFields),
      );
    });
  },
);
