import { describe, expect, test } from 'vitest';
import check from '../../../checks/client/anonymous.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { contextFor } from '../../helpers/evidence.js';
import { fixText } from '../../helpers/check-table.js';
import { CLUSTER, expectRendered, kubeconfig } from '../_live.js';

const FORBIDDEN_ANON =
  'namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope';

describe('client/anonymous', () => {
  test.each<[string, Evidence]>([
    ['401: a token was sent and refused', { probe: { status: 401, error: 'Unauthorized' } }],
    [
      '403 for a real user',
      { probe: { status: 403, error: 'pods is forbidden: User "alice" cannot list resource "pods"' } },
    ],
    [
      '200 as a mapped user',
      {
        probe: { status: 200, error: null, selfSubjectReview: { username: 'alice', groups: ['system:authenticated'] } },
      },
    ],
  ])('passes: %s', (_, evidence) => {
    expect(check.run(contextFor(evidence))).toEqual([]);
  });

  test('fails: the Forbidden body names system:anonymous, and the kubeconfig user has no exec entry', () => {
    const hits = check.run(
      contextFor({
        cluster: CLUSTER,
        probe: { status: 403, error: FORBIDDEN_ANON },
        kubeconfig: { path: '/k', context: 'old' },
      }),
    );
    expect(hits).toMatchObject([
      {
        messageId: 'anonymous',
        affectsPrincipal: true,
        data: { username: 'system:anonymous', statusNote: ` (HTTP 403: ${FORBIDDEN_ANON})` },
      },
    ]);
    expect(String(hits[0]?.data.kubeconfigNote)).toContain('context old');
    expectRendered(check, hits);
  });

  test('fails: SelfSubjectReview says system:anonymous', () => {
    const hits = check.run(
      contextFor({
        kubeconfig: kubeconfig(),
        probe: {
          status: 200,
          error: null,
          selfSubjectReview: { username: 'system:anonymous', groups: ['system:unauthenticated'] },
        },
      }),
    );
    expect(hits).toMatchObject([{ messageId: 'anonymous', data: { kubeconfigNote: '' } }]);
  });

  test.each<[string, string]>([
    [
      'the quoted username in a Forbidden body',
      'pods is forbidden: User "system:anonymous" cannot list resource "pods"',
    ],
    ['the unquoted form', 'forbidden: User system:anonymous cannot get path "/version"'],
  ])('fails: %s', (_, error) => {
    const hits = check.run(contextFor({ probe: { status: 403, error } }));
    expect(hits).toMatchObject([{ messageId: 'anonymous', data: { statusNote: ` (HTTP 403: ${error})` } }]);
  });

  test('passes: system:anonymous named without quotes or "User" (another text)', () => {
    expect(check.run(contextFor({ probe: { status: 403, error: 'system:anonymous' } }))).toEqual([]);
  });

  test('the whole finding without kubeconfig: the subject is the username, the fix names cluster, region and profile', () => {
    const hits = check.run(
      contextFor({
        cluster: CLUSTER,
        credentialEnv: { profile: 'dev', staticKeys: false },
        probe: { status: null, error: null, selfSubjectReview: { username: 'system:anonymous', groups: [] } },
      }),
    );
    expect(hits).toEqual([
      {
        messageId: 'anonymous',
        subject: { kind: 'kubeconfig', name: 'system:anonymous' },
        affectsPrincipal: true,
        data: {
          username: 'system:anonymous',
          statusNote: '',
          kubeconfigNote: '',
          cluster: 'platform',
          region: 'eu-west-1',
          profileFlag: ['--profile', 'dev'],
          updateKubeconfig: expect.anything(),
        },
      },
    ]);
    expect(fixText(hits[0]?.data.updateKubeconfig)).toBe(
      'aws eks update-kubeconfig --name platform --region eu-west-1 --profile dev',
    );
  });

  test('a status without an error body; the kubeconfig context without exec is named with its file', () => {
    const hits = check.run(
      contextFor({
        probe: { status: 401, error: null, selfSubjectReview: { username: 'system:anonymous', groups: [] } },
        kubeconfig: { path: '/home/me/.kube/config', context: 'old' },
      }),
    );
    expect(hits).toMatchObject([
      {
        subject: { kind: 'kubeconfig', name: 'old' },
        data: {
          statusNote: ' (HTTP 401)',
          kubeconfigNote: '; the user of kubeconfig context old (/home/me/.kube/config) has no exec entry',
        },
      },
    ]);
  });

  test('passes: no probe', () => {
    expect(check.run(contextFor({ kubeconfig: kubeconfig() }))).toEqual([]);
  });
});
