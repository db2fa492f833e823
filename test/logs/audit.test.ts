import { describe, expect, test } from 'vitest';
import { awsAuthChanges, unauthorizedRequests } from '../../src/logs/audit.js';
import type { LogEvent } from '../../src/logs/authenticator.js';

const NODES = 'arn:aws:iam::111122223333:role/nodes';
const TFC = 'arn:aws:iam::111122223333:role/tfc-agent-role';
const mapRoles = (...arns: string[]): string =>
  arns.map((arn) => `- rolearn: ${arn}\n  username: x\n  groups: [system:masters]\n`).join('');

/** An audit.k8s.io/v1 Event as the API server writes it to kube-apiserver-audit-* streams. */
function audit(time: string, fields: Record<string, unknown>): LogEvent {
  return {
    timestamp: Date.parse(time),
    message: JSON.stringify({
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: 'RequestResponse',
      stage: 'ResponseComplete',
      requestReceivedTimestamp: time,
      ...fields,
    }),
  };
}

const write = (time: string, verb: string, user: string, data?: Record<string, string>, code = 200) =>
  audit(time, {
    auditID: `id-${time}`,
    verb,
    user: { username: user, groups: ['system:authenticated'] },
    sourceIPs: ['10.0.3.7'],
    objectRef: { resource: 'configmaps', namespace: 'kube-system', name: 'aws-auth', apiVersion: 'v1' },
    responseStatus: { code },
    ...(data ? { requestObject: { kind: 'ConfigMap', apiVersion: 'v1', data } } : {}),
  });

describe('awsAuthChanges', () => {
  test('verb, user, time, source IP, the keys that changed and the rows that went', () => {
    const changes = awsAuthChanges([
      write('2026-12-03T12:03:00Z', 'update', 'arn:aws:sts::111122223333:assumed-role/terraform-role/tf', {
        mapRoles: mapRoles(TFC),
        mapUsers: '',
      }),
      write('2026-12-03T11:00:00Z', 'update', 'kubernetes-admin', { mapRoles: mapRoles(NODES, TFC), mapUsers: '' }),
      audit('2026-12-03T11:30:00Z', {
        verb: 'get',
        objectRef: { resource: 'configmaps', namespace: 'kube-system', name: 'aws-auth' },
      }),
      write('2026-12-03T12:10:00Z', 'patch', 'ops', undefined, 403),
    ]);
    expect(changes).toEqual([
      {
        time: '2026-12-03T11:00:00.000Z',
        verb: 'update',
        user: 'kubernetes-admin',
        sourceIps: ['10.0.3.7'],
        status: 200,
        changedKeys: ['mapRoles', 'mapUsers'],
      },
      {
        time: '2026-12-03T12:03:00.000Z',
        verb: 'update',
        user: 'arn:aws:sts::111122223333:assumed-role/terraform-role/tf',
        sourceIps: ['10.0.3.7'],
        status: 200,
        changedKeys: ['mapRoles'],
        rowsAdded: [],
        rowsRemoved: [NODES],
      },
      { time: '2026-12-03T12:10:00.000Z', verb: 'patch', user: 'ops', sourceIps: ['10.0.3.7'], status: 403 },
    ]);
  });

  test('a patch names the keys it sends; one request logged at two stages counts once', () => {
    const patch = write('2026-12-03T12:00:00Z', 'patch', 'ops', { mapUsers: '[]' });
    const received = { ...patch, message: patch.message.replace('ResponseComplete', 'RequestReceived') };
    const changes = awsAuthChanges([received, patch]);
    expect(changes).toHaveLength(1);
    expect(changes[0]?.changedKeys).toEqual(['mapUsers']);
  });

  test('other configmaps, other namespaces and broken lines are ignored', () => {
    expect(
      awsAuthChanges([
        audit('2026-12-03T12:00:00Z', {
          verb: 'update',
          objectRef: { resource: 'configmaps', namespace: 'default', name: 'aws-auth' },
        }),
        audit('2026-12-03T12:00:00Z', {
          verb: 'update',
          objectRef: { resource: 'configmaps', namespace: 'kube-system', name: 'coredns' },
        }),
        { timestamp: 0, message: '{not json' },
      ]),
    ).toEqual([]);
  });
});

describe('unauthorizedRequests', () => {
  test('401s, oldest first', () => {
    expect(
      unauthorizedRequests([
        audit('2026-12-03T12:05:00Z', {
          auditID: 'b',
          verb: 'list',
          requestURI: '/api/v1/pods',
          sourceIPs: ['10.0.9.9'],
          responseStatus: { code: 401 },
        }),
        audit('2026-12-03T12:04:00Z', {
          auditID: 'a',
          verb: 'get',
          requestURI: '/version',
          sourceIPs: ['10.0.9.8'],
          responseStatus: { code: 401 },
        }),
        audit('2026-12-03T12:04:30Z', { auditID: 'c', verb: 'get', responseStatus: { code: 200 } }),
      ]),
    ).toEqual([
      { time: '2026-12-03T12:04:00.000Z', sourceIps: ['10.0.9.8'], uri: '/version' },
      { time: '2026-12-03T12:05:00.000Z', sourceIps: ['10.0.9.9'], uri: '/api/v1/pods' },
    ]);
  });
});
