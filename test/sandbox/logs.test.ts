import {
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFaultFlag } from '../../src/sandbox/fault-flags.js';
import { loadScenario } from '../../src/sandbox/scenario/load.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { clientsFor, kube, sandboxFor, tokenFor, whoami } from './helpers.js';

/** The parts of an audit.k8s.io/v1 Event these tests read. */
interface AuditEventJson {
  user: { username?: string; extra?: Record<string, string[]> };
  requestObject?: { data?: Record<string, string> };
  requestReceivedTimestamp: string;
  responseStatus: { code: number };
}

const SEED = 'seed-aws-auth-configmap-invalid--logs';
const GROUP = '/aws/eks/eks-A/cluster';

async function allEvents(
  logs: CloudWatchLogsClient,
  input: Omit<ConstructorParameters<typeof FilterLogEventsCommand>[0], 'nextToken'>,
) {
  const events = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(new FilterLogEventsCommand({ ...input, ...(nextToken ? { nextToken } : {}) }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

describe('CloudWatch Logs, with the SDK client', () => {
  let sandbox: Sandbox;
  let logs: CloudWatchLogsClient;
  beforeAll(async () => {
    sandbox = await sandboxFor(SEED);
    logs = clientsFor(sandbox, 'lisenet').logs;
  });
  afterAll(() => sandbox.close());

  it('DescribeLogGroups lists the cluster group; DescribeCluster reports the types that are on', async () => {
    const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/eks/' }));
    expect(groups.logGroups?.map((g) => g.logGroupName)).toEqual([GROUP]);
    expect(groups.logGroups?.[0]?.logGroupArn).toBe(`arn:aws:logs:eu-west-2:000000000000:log-group:${GROUP}`);
    const eks = clientsFor(sandbox, 'lisenet').eks;
    const cluster = await eks.send(new DescribeClusterCommand({ name: 'eks-A' }));
    expect(cluster.cluster?.logging?.clusterLogging).toEqual([
      { types: ['audit', 'authenticator'], enabled: true },
      { types: ['api', 'controllerManager', 'scheduler'], enabled: false },
    ]);
  });

  it('FilterLogEvents: quoted phrases and terms, stream prefix, time window, pages', async () => {
    const denied = await allEvents(logs, {
      logGroupName: GROUP,
      logStreamNamePrefix: 'authenticator-',
      filterPattern: '"access denied" "arn:aws:iam::000000000000:role/node-group-role"',
      limit: 5,
    });
    expect(denied).toHaveLength(12);
    expect(denied.every((e) => e.logStreamName?.startsWith('authenticator-'))).toBe(true);
    expect(denied.map((e) => e.timestamp)).toEqual([...denied.map((e) => e.timestamp ?? 0)].sort((a, b) => a - b));
    const now = Date.now();
    const lastHalfHour = await allEvents(logs, {
      logGroupName: GROUP,
      filterPattern: '"access denied" "node-group-role"',
      startTime: now - 30 * 60_000,
      endTime: now,
    });
    expect(lastHalfHour.length).toBeGreaterThan(0);
    expect(lastHalfHour.length).toBeLessThan(12);
    const either = await allEvents(logs, { logGroupName: GROUP, filterPattern: '?ResponseStarted ?update -Terraform' });
    expect(either.length).toBeGreaterThan(0);
    expect(either.every((e) => (e.message ?? '').includes('ResponseStarted'))).toBe(true);
  });

  it("FilterLogEvents refuses what it does not emulate, and unknown groups, in the service's words", async () => {
    await expect(
      logs.send(
        new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: 'arn:aws:iam::000000000000:user/lisenet' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(
      logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '{ $.verb = "update" }' })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(
      logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/eks/other/cluster' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'The specified log group does not exist.' });
  });

  it('StartQuery / GetQueryResults: Running, then Complete with the fields asked for', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { queryId } = await logs.send(
      new StartQueryCommand({
        logGroupName: GROUP,
        startTime: now - 7200,
        endTime: now,
        queryString:
          'fields @timestamp, @message, @logStream | filter @logStream like /kube-apiserver-audit/ | filter @message like /"name":"aws-auth"/ | filter verb = "update" | sort @timestamp desc | limit 5',
      }),
    );
    const first = await logs.send(new GetQueryResultsCommand({ queryId }));
    expect(first.status).toBe('Running');
    const done = await logs.send(new GetQueryResultsCommand({ queryId }));
    expect(done.status).toBe('Complete');
    expect(done.results).toHaveLength(1);
    const row = Object.fromEntries((done.results?.[0] ?? []).map((f) => [f.field, f.value]));
    expect(Object.keys(row)).toEqual(['@timestamp', '@message', '@logStream', '@ptr']);
    expect(row['@timestamp']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
    const event = JSON.parse(row['@message'] ?? '{}') as AuditEventJson;
    expect(event).toMatchObject({
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: 'RequestResponse',
      verb: 'update',
      user: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] },
      userAgent: 'HashiCorp/1.0 Terraform/1.7.5',
      objectRef: { resource: 'configmaps', namespace: 'kube-system', name: 'aws-auth' },
      responseStatus: { code: 200 },
    });
    expect(event.user.extra?.arn).toEqual(['arn:aws:iam::000000000000:user/lisenet']);
    expect(event.requestObject?.data?.mapRoles).toContain('username: {{SessionName}}');
    expect(Date.now() - Date.parse(event.requestReceivedTimestamp)).toBeGreaterThan(61 * 60_000);
    await expect(
      logs.send(
        new StartQueryCommand({
          logGroupName: GROUP,
          startTime: now - 60,
          endTime: now,
          queryString: 'stats count(*) by bin(5m)',
        }),
      ),
    ).rejects.toMatchObject({ name: 'MalformedQueryException' });
    await expect(logs.send(new GetQueryResultsCommand({ queryId: 'no-such-query' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('each token the API server sees is logged: granted with username and groups, denied with the error', async () => {
    const before = Date.now() - 1000;
    expect((await whoami(sandbox, 'lisenet')).status).toBe(201);
    expect((await whoami(sandbox, 'sso-admin')).status).toBe(401);
    const expired = tokenFor(sandbox, 'lisenet', undefined, new Date(Date.now() - 20 * 60_000));
    expect((await kube(sandbox, 'GET', '/api', { token: expired })).status).toBe(401);
    const lines = (
      await allEvents(logs, { logGroupName: GROUP, logStreamNamePrefix: 'authenticator-', startTime: before })
    ).map((e) => e.message ?? '');
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^time="[^"]+Z" level=info msg="access granted" arn="arn:aws:iam::000000000000:user\/lisenet" client="127\.0\.0\.1:\d+" groups="\[system:masters\]" method=POST path=\/authenticate stsendpoint=sts\.eu-west-2\.amazonaws\.com uid="aws-iam-authenticator:000000000000:AIDA\w+" username=kubernetes-admin$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^time="[^"]+" level=warning msg="access denied" arn="arn:aws:iam::000000000000:role\/AWSReservedSSO_AdministratorAccess_3d0c6bf1a2e4b5c7" client="[^"]+" error="identity is not mapped" method=POST path=\/authenticate$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /level=warning msg="access denied" client="[^"]+" error="input token was not properly formatted: X-Amz-Date parameter is expired \(15 minute expiration\) \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC" method=POST/,
      ),
    );
    const audit = (
      await allEvents(logs, { logGroupName: GROUP, logStreamNamePrefix: 'kube-apiserver-audit-', startTime: before })
    ).map((e) => JSON.parse(e.message ?? '{}') as AuditEventJson);
    expect(audit.map((e) => e.responseStatus.code)).toEqual([401, 401]);
    expect(audit[0]).toMatchObject({ user: {}, stage: 'ResponseStarted', sourceIPs: ['127.0.0.1'] });
  });

  it('a write to aws-auth is audited with the writer and, at RequestResponse, the ConfigMap sent', async () => {
    const before = Date.now();
    const token = tokenFor(sandbox, 'lisenet');
    const current = await kube(sandbox, 'GET', '/api/v1/namespaces/kube-system/configmaps/aws-auth', { token });
    const object = current.json();
    const nodesOnly =
      '- rolearn: arn:aws:iam::000000000000:role/node-group-role\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n';
    const fixed = { ...object, data: { mapRoles: nodesOnly } };
    const put = await kube(sandbox, 'PUT', '/api/v1/namespaces/kube-system/configmaps/aws-auth', {
      token,
      body: fixed,
    });
    expect(put.status).toBe(200);
    const forbidden = await kube(sandbox, 'DELETE', '/api/v1/namespaces/kube-system/configmaps/aws-auth', {
      token: tokenFor(sandbox, 'node-group-role'),
    });
    expect(forbidden.status).toBe(403);
    const audit = (
      await allEvents(logs, { logGroupName: GROUP, logStreamNamePrefix: 'kube-apiserver-audit-', startTime: before })
    ).map((e) => JSON.parse(e.message ?? '{}') as AuditEventJson);
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({
      verb: 'update',
      level: 'RequestResponse',
      user: { username: 'kubernetes-admin' },
      objectRef: { resource: 'configmaps', namespace: 'kube-system', name: 'aws-auth', apiVersion: 'v1' },
      responseStatus: { code: 200 },
      requestObject: { data: { mapRoles: nodesOnly } },
    });
    expect(audit[1]).toMatchObject({
      verb: 'delete',
      level: 'RequestResponse',
      responseStatus: { code: 403, reason: 'Forbidden' },
      annotations: { 'authorization.k8s.io/decision': 'forbid' },
    });
    // node-group-role is mapped again now that mapRoles parses: the authenticator granted it.
    expect(audit[1]?.user.username).toMatch(/^system:node:ip-/);
  });
});

describe('logging off, faults and CloudTrail history', () => {
  it('logging off: no log group, every type disabled, nothing recorded', async () => {
    const sandbox = await sandboxFor('identity--principal-not-mapped--logging-off');
    try {
      const c = clientsFor(sandbox, 'admin');
      expect((await c.logs.send(new DescribeLogGroupsCommand({}))).logGroups).toEqual([]);
      await expect(
        c.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/eks/orders/cluster' })),
      ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
      const cluster = await c.eks.send(new DescribeClusterCommand({ name: 'orders' }));
      expect(cluster.cluster?.logging?.clusterLogging).toEqual([
        { types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: false },
      ]);
      const trail = await c.cloudtrail.send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DeleteAccessEntry' }],
        }),
      );
      expect(trail.Events).toHaveLength(1);
      const record = JSON.parse(trail.Events?.[0]?.CloudTrailEvent ?? '{}') as unknown;
      expect(record).toMatchObject({
        eventName: 'DeleteAccessEntry',
        eventSource: 'eks.amazonaws.com',
        requestParameters: { name: 'orders', principalArn: 'arn:aws:iam::111122223333:role/tfc-agent-role' },
        userIdentity: {
          type: 'AssumedRole',
          arn: 'arn:aws:sts::111122223333:assumed-role/terraform-role/terraform-run-7f3a',
        },
      });
      const all = await c.cloudtrail.send(new LookupEventsCommand({}));
      expect(all.Events?.map((e) => e.EventName)).toEqual([
        'DeleteAccessEntry',
        'AssociateAccessPolicy',
        'CreateAccessEntry',
        'CreateCluster',
      ]);
    } finally {
      await sandbox.close();
    }
  });

  it('AccessDeniedException names the logs: permission and the group; throttling is ThrottlingException', async () => {
    const denied = await sandboxFor('seed-aws-auth-configmap-invalid--no-log-permission');
    try {
      const logs = clientsFor(denied, 'lisenet').logs;
      await expect(logs.send(new FilterLogEventsCommand({ logGroupName: GROUP }))).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: `User: arn:aws:iam::000000000000:user/lisenet is not authorized to perform: logs:FilterLogEvents on resource: arn:aws:logs:eu-west-2:000000000000:log-group:${GROUP}:log-stream:`,
        $metadata: { httpStatusCode: 400 },
      });
      await expect(
        logs.send(
          new StartQueryCommand({ logGroupName: GROUP, startTime: 0, endTime: 1, queryString: 'fields @message' }),
        ),
      ).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('logs:StartQuery') });
    } finally {
      await denied.close();
    }
    const scenario = loadScenario(SEED);
    const throttled = await startSandbox({
      scenario,
      faults: [parseFaultFlag('logs:throttle,action=StartQuery', scenario)],
    });
    try {
      const logs = clientsFor(throttled, 'lisenet').logs;
      await expect(
        logs.send(
          new StartQueryCommand({ logGroupName: GROUP, startTime: 0, endTime: 1, queryString: 'fields @message' }),
        ),
      ).rejects.toMatchObject({ name: 'ThrottlingException', message: 'Rate exceeded' });
      expect((await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, limit: 1 }))).events).toHaveLength(1);
    } finally {
      await throttled.close();
    }
  });
});
