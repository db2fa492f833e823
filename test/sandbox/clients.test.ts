import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sandbox/scenario/load.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { hasTool, kube, run, sandboxFor, whoami } from './helpers.js';

/**
 * The real clients on this machine against the sandbox: the aws CLI (botocore) and kubectl.
 * They skip only when the tool is not installed; CI's .ci/run fails earlier in that case.
 */
const AWS = hasTool('aws');
const KUBECTL = hasTool('kubectl', ['version', '--client']);

let home: string;
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'eksauth-clients-'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

const aws = (sandbox: Sandbox, principal: string, args: string[], extra: Record<string, string> = {}) =>
  run('aws', [...args, '--output', 'json'], { ...sandbox.envFor(principal), HOME: home, ...extra });

/** Runs kubectl with a kubeconfig from the sandbox; HOME is a temp dir so the discovery cache stays out of the user's. */
function kubectl(sandbox: Sandbox, kubeconfig: string, args: string[]) {
  const file = join(home, `kubeconfig-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, kubeconfig);
  return run('kubectl', ['--kubeconfig', file, ...args], { HOME: home });
}

/** `aws eks get-token` as the principal, with only its credentials set (as a pipeline would). */
async function getToken(
  sandbox: Sandbox,
  principal: string,
  cluster: string,
  extra: string[] = [],
  env: Record<string, string> = {},
): Promise<string> {
  const c = sandbox.credentialsFor(principal);
  const res = await run(
    'aws',
    ['eks', 'get-token', '--cluster-name', cluster, '--region', sandbox.region, '--output', 'json', ...extra],
    {
      HOME: home,
      AWS_ACCESS_KEY_ID: c.accessKeyId,
      AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
      ...(c.sessionToken ? { AWS_SESSION_TOKEN: c.sessionToken } : {}),
      AWS_CONFIG_FILE: join(home, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
      AWS_EC2_METADATA_DISABLED: 'true',
      ...env,
    },
  );
  expect(res.code, res.stderr).toBe(0);
  const credential = JSON.parse(res.stdout) as { kind: string; status: { token: string } };
  expect(credential.kind).toBe('ExecCredential');
  return credential.status.token;
}

describe.skipIf(!AWS)(
  `the aws CLI against the sandbox (healthy)${AWS ? '' : ': skipped, the aws CLI is not installed'}`,
  // Real clients start slowly (python, kubectl retries); two CI cores run files in parallel.
  { timeout: 120_000 },
  () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await sandboxFor('healthy');
    });
    afterAll(() => sandbox.close());

    it('sts get-caller-identity', async () => {
      const res = await aws(sandbox, 'admin', ['sts', 'get-caller-identity']);
      expect(res.code, res.stderr).toBe(0);
      expect(JSON.parse(res.stdout)).toMatchObject({
        Account: '111122223333',
        Arn: 'arn:aws:sts::111122223333:assumed-role/platform-admin/alice',
      });
    });

    it('eks describe-cluster, with createdAt as the epoch number the API sends', async () => {
      const res = await aws(sandbox, 'alice', ['eks', 'describe-cluster', '--name', 'demo']);
      expect(res.code, res.stderr).toBe(0);
      const { cluster } = JSON.parse(res.stdout) as {
        cluster: { createdAt: unknown; accessConfig: unknown; endpoint: string; status: string };
      };
      expect(typeof cluster.createdAt).toBe('number');
      expect(cluster.accessConfig).toEqual({
        authenticationMode: 'API_AND_CONFIG_MAP',
        bootstrapClusterCreatorAdminPermissions: true,
      });
      expect(cluster.endpoint).toBe(sandbox.endpoints.clusters.demo);
    });

    it('eks list-access-entries and the CLI error text for an unknown cluster', async () => {
      const res = await aws(sandbox, 'alice', ['eks', 'list-access-entries', '--cluster-name', 'demo']);
      expect(res.code, res.stderr).toBe(0);
      expect(JSON.parse(res.stdout)).toEqual({
        accessEntries: [
          'arn:aws:iam::111122223333:role/platform-admin',
          'arn:aws:iam::111122223333:role/teams/payments/developer',
        ],
      });
      const missing = await aws(sandbox, 'alice', ['eks', 'describe-cluster', '--name', 'nope']);
      expect(missing.code).not.toBe(0);
      expect(missing.stderr.trim()).toBe(
        'An error occurred (ResourceNotFoundException) when calling the DescribeCluster operation: No cluster found for name: nope.',
      );
    });

    it('eks describe-access-entry with a role path (botocore encodes the ARN in the path), iam get-role, cloudtrail lookup-events', async () => {
      const entry = await aws(sandbox, 'alice', [
        'eks',
        'describe-access-entry',
        '--cluster-name',
        'demo',
        '--principal-arn',
        'arn:aws:iam::111122223333:role/teams/payments/developer',
      ]);
      expect(entry.code, entry.stderr).toBe(0);
      expect(JSON.parse(entry.stdout)).toMatchObject({
        accessEntry: { principalArn: 'arn:aws:iam::111122223333:role/teams/payments/developer', type: 'STANDARD' },
      });
      const role = await aws(sandbox, 'alice', ['iam', 'get-role', '--role-name', 'developer']);
      expect(role.code, role.stderr).toBe(0);
      expect(JSON.parse(role.stdout)).toMatchObject({
        Role: { Path: '/teams/payments/', AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole' }] } },
      });
      // botocore sends the long X-Amz-Target prefix (com.amazonaws.cloudtrail.v20131101.…).
      const events = await aws(sandbox, 'alice', [
        'cloudtrail',
        'lookup-events',
        '--lookup-attributes',
        'AttributeKey=EventName,AttributeValue=CreateCluster',
      ]);
      expect(events.code, events.stderr).toBe(0);
      const [event] = (
        JSON.parse(events.stdout) as { Events: { EventName: string; EventTime: unknown; CloudTrailEvent: string }[] }
      ).Events;
      expect(event?.EventName).toBe('CreateCluster');
      expect(typeof event?.EventTime).toBe('number');
      expect(JSON.parse(event?.CloudTrailEvent ?? '{}')).toMatchObject({
        eventSource: 'eks.amazonaws.com',
        requestParameters: { name: 'demo' },
      });
    });

    it('eks get-token: the API server accepts the token, which names the real STS host', async () => {
      const token = await getToken(sandbox, 'admin', 'demo');
      const url = Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString();
      expect(new URL(url).host).toBe('sts.us-east-1.amazonaws.com');
      const res = await kube(sandbox, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { token, body: {} });
      expect(res.status).toBe(201);
      expect((res.json().status as { userInfo: { username: string } }).userInfo.username).toBe(
        'arn:aws:sts::111122223333:assumed-role/platform-admin/alice',
      );
      const replay = sandbox.requestLog.entries.findLast((e) => e.service === 'sts');
      expect(replay).toMatchObject({
        action: 'GetCallerIdentity',
        status: 200,
        principal: 'admin',
        via: 'eks-authenticator',
      });
      expect(sandbox.requestLog.clientCalls()).not.toContainEqual(replay);
    });

    it('eks get-token --role-arn assumes the role through the sandbox STS; that token is accepted too', async () => {
      const token = await getToken(
        sandbox,
        'alice',
        'demo',
        ['--role-arn', 'arn:aws:iam::111122223333:role/platform-admin'],
        { AWS_ENDPOINT_URL_STS: sandbox.endpoints.sts },
      );
      const res = await kube(sandbox, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { token, body: {} });
      expect(res.status).toBe(201);
      expect(
        sandbox.requestLog.entries.some(
          (e) => e.service === 'sts' && e.action === 'AssumeRole' && e.principal === 'alice' && e.allowed,
        ),
      ).toBe(true);
    });

    it('a token minted for another cluster name is refused (SignatureDoesNotMatch on replay)', async () => {
      const token = await getToken(sandbox, 'admin', 'other-cluster');
      expect((await kube(sandbox, 'GET', '/api', { token })).status).toBe(401);
      expect(sandbox.requestLog.entries.findLast((e) => e.service === 'sts')?.error).toBe('SignatureDoesNotMatch');
    });
  },
);

describe.skipIf(!AWS)(
  `the aws CLI on a CONFIG_MAP cluster (seed 2)${AWS ? '' : ': skipped, the aws CLI is not installed'}`,
  // Real clients start slowly (python, kubectl retries); two CI cores run files in parallel.
  { timeout: 120_000 },
  () => {
    it('list-access-entries fails with InvalidRequestException, as on EKS', async () => {
      const sandbox = await sandboxFor('seed-debug-eks-unauthenticated');
      try {
        const res = await aws(sandbox, 'xing', ['eks', 'list-access-entries', '--cluster-name', 'my-cluster']);
        expect(res.code).not.toBe(0);
        expect(res.stderr.trim()).toBe(
          "An error occurred (InvalidRequestException) when calling the ListAccessEntries operation: The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.",
        );
      } finally {
        await sandbox.close();
      }
    });
  },
);

describe.skipIf(!AWS || !KUBECTL)(
  `kubectl with a sandbox kubeconfig${AWS && KUBECTL ? '' : ': skipped, kubectl or the aws CLI is not installed'}`,
  // Real clients start slowly (python, kubectl retries); two CI cores run files in parallel.
  { timeout: 120_000 },
  () => {
    it('seed 2: the agent role gets the EKS 401 texts; the creator role gets in', async () => {
      const sandbox = await sandboxFor('seed-debug-eks-unauthenticated');
      try {
        const agent = sandbox.kubeconfig({
          principal: 'tfc-agent',
          auth: { kind: 'token', token: await getToken(sandbox, 'tfc-agent', 'my-cluster') },
        });
        const whoami = await kubectl(sandbox, agent, ['auth', 'whoami']);
        expect(whoami.code).toBe(1);
        expect(whoami.stderr.trim()).toBe('error: You must be logged in to the server (Unauthorized)');
        const get = await kubectl(sandbox, agent, ['get', 'configmap', 'aws-auth', '-n', 'kube-system']);
        expect(get.code).toBe(1);
        expect(get.stderr).toContain(
          "couldn't get current server API group list: the server has asked for the client to provide credentials",
        );
        expect(get.stderr.trim().split('\n').pop()).toBe(
          'error: You must be logged in to the server (the server has asked for the client to provide credentials)',
        );

        // The exec plugin entry (aws eks get-token), as `eksauth sandbox` writes it.
        const local = sandbox.kubeconfig({ principal: 'local' });
        const me = await kubectl(sandbox, local, ['auth', 'whoami']);
        expect(me.code, me.stderr).toBe(0);
        expect(me.stdout).toMatch(/^Username\s+kubernetes-admin$/m);
        expect(me.stdout).toMatch(/^Groups\s+\[system:masters system:authenticated\]$/m);
        const cm = await kubectl(sandbox, local, ['get', 'configmap', 'aws-auth', '-n', 'kube-system']);
        expect(cm.code, cm.stderr).toBe(0);
        expect(
          cm.stdout
            .trim()
            .split('\n')
            .map((l) => l.split(/\s+/)),
        ).toEqual([
          ['NAME', 'DATA', 'AGE'],
          ['aws-auth', '1', '30d'],
        ]);
      } finally {
        await sandbox.close();
      }
    });

    it('seed 1: the SSO admin gets 401, the creator reads aws-auth back verbatim', async () => {
      const sandbox = await sandboxFor('seed-aws-auth-configmap-invalid');
      try {
        const sso = sandbox.kubeconfig({
          principal: 'sso-admin',
          auth: { kind: 'token', token: await getToken(sandbox, 'sso-admin', 'eks-A') },
        });
        expect((await kubectl(sandbox, sso, ['auth', 'whoami'])).stderr.trim()).toBe(
          'error: You must be logged in to the server (Unauthorized)',
        );
        const creator = sandbox.kubeconfig({ principal: 'lisenet' });
        const res = await kubectl(sandbox, creator, [
          'get',
          'configmap',
          'aws-auth',
          '-n',
          'kube-system',
          '-o',
          'jsonpath={.data.mapRoles}',
        ]);
        expect(res.code, res.stderr).toBe(0);
        expect(res.stdout).toBe(sandbox.scenario.clusters[0]?.awsAuthData?.mapRoles);
      } finally {
        await sandbox.close();
      }
    });

    it('seed 1: fixing aws-auth with kubectl edit brings the node roles back', async () => {
      const sandbox = await sandboxFor('seed-aws-auth-configmap-invalid');
      try {
        expect((await whoami(sandbox, 'node-group-role')).status).toBe(401);
        const editor = join(home, 'quote-session-name.sh');
        writeFileSync(editor, `#!/bin/sh\nsed -i 's/username: {{SessionName}}/username: "{{SessionName}}"/' "$1"\n`, {
          mode: 0o755,
        });
        const file = join(home, 'seed1.kubeconfig');
        writeFileSync(file, sandbox.kubeconfig({ principal: 'lisenet' }));
        const edit = await run(
          'kubectl',
          ['--kubeconfig', file, 'edit', 'configmap', 'aws-auth', '-n', 'kube-system'],
          {
            HOME: home,
            KUBE_EDITOR: editor,
          },
        );
        expect(edit.code, edit.stderr).toBe(0);
        expect(edit.stdout.trim()).toBe('configmap/aws-auth edited');
        expect((await whoami(sandbox, 'node-group-role')).status).toBe(201);
        // The SSO row still carries an IAM path, so that role stays out.
        expect((await whoami(sandbox, 'sso-admin')).status).toBe(401);
      } finally {
        await sandbox.close();
      }
    });

    it('healthy: whoami for an access-entry principal, and the 403 text for a forbidden read', async () => {
      const sandbox = await sandboxFor('healthy');
      try {
        const admin = await kubectl(sandbox, sandbox.kubeconfig({ principal: 'admin' }), ['auth', 'whoami']);
        expect(admin.code, admin.stderr).toBe(0);
        expect(admin.stdout).toMatch(/^Username\s+arn:aws:sts::111122223333:assumed-role\/platform-admin\/alice$/m);
        const cm = await kubectl(sandbox, sandbox.kubeconfig({ principal: 'admin' }), [
          'get',
          'configmap',
          'aws-auth',
          '-n',
          'kube-system',
        ]);
        expect(cm.stdout).toMatch(/^aws-auth\s+2\s+30d$/m);
        const dev = await kubectl(sandbox, sandbox.kubeconfig({ principal: 'developer' }), [
          'get',
          'configmap',
          'aws-auth',
          '-n',
          'kube-system',
        ]);
        expect(dev.code).toBe(1);
        expect(dev.stderr.trim()).toBe(
          'Error from server (Forbidden): configmaps "aws-auth" is forbidden: User "arn:aws:sts::111122223333:assumed-role/developer/bob" cannot get resource "configmaps" in API group "" in the namespace "kube-system"',
        );
      } finally {
        await sandbox.close();
      }
    });

    it('the kubeconfig can run `eksauth token` as its exec plugin instead', async () => {
      const sandbox = await sandboxFor('healthy');
      try {
        const auth = {
          kind: 'eksauth' as const,
          command: join(process.cwd(), 'node_modules', '.bin', 'tsx'),
          args: [join(process.cwd(), 'test', 'sandbox', 'fixtures', 'cli.ts')],
        };
        const res = await kubectl(sandbox, sandbox.kubeconfig({ principal: 'admin', auth }), ['auth', 'whoami']);
        expect(res.code, res.stderr).toBe(0);
        expect(res.stdout).toMatch(/^Username\s+arn:aws:sts::111122223333:assumed-role\/platform-admin\/alice$/m);
      } finally {
        await sandbox.close();
      }
    });

    it('whoami when SelfSubjectReview is forbidden prints kubectl\'s "not enabled" text', async () => {
      const text = [
        'name: no-basic-user',
        'accounts: [{ id: "111122223333" }]',
        'principals: [{ id: owner, type: user, name: owner }, { id: dev, type: user, name: dev }]',
        'clusters:',
        '  - name: c',
        '    creator: { principal: owner }',
        '    withoutDefaultObjects: ["system:basic-user"]',
        '    awsAuth: { mapUsers: "- userarn: arn:aws:iam::111122223333:user/dev\\n  username: dev\\n" }',
      ].join('\n');
      const sandbox = await startSandbox({ scenario: parseScenario(text, 'inline') });
      try {
        const res = await kubectl(sandbox, sandbox.kubeconfig({ principal: 'dev' }), ['auth', 'whoami']);
        expect(res.code).toBe(1);
        expect(res.stderr.trim()).toBe(
          'error: the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it',
        );
      } finally {
        await sandbox.close();
      }
    });

    it('a private-only endpoint times out, a stopped one is refused, as kubectl reports them', async () => {
      const sandbox = await sandboxFor('network--endpoint-unreachable');
      try {
        const res = await kubectl(
          sandbox,
          sandbox.kubeconfig({ principal: 'owner', auth: { kind: 'token', token: 'k8s-aws-v1.x' } }),
          ['get', 'configmaps', '--request-timeout=2s'],
        );
        expect(res.code).toBe(1);
        expect(res.stderr).toContain('Unable to connect to the server');
        // kubectl words a timeout by where it struck: awaiting headers, or still dialling under load.
        expect(res.stderr).toMatch(/Client\.Timeout exceeded while awaiting headers|context deadline exceeded/);
        expect(res.stderr).not.toContain('connection refused');
      } finally {
        await sandbox.close();
      }
      const creating = await sandboxFor('cluster--not-active');
      try {
        const res = await kubectl(
          creating,
          creating.kubeconfig({ principal: 'owner', auth: { kind: 'token', token: 'k8s-aws-v1.x' } }),
          ['get', 'configmaps'],
        );
        expect(res.stderr).toMatch(
          /The connection to the server 127\.0\.0\.1:\d+ was refused - did you specify the right host or port\?/,
        );
      } finally {
        await creating.close();
      }
    });
  },
);
