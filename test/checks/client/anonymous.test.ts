import { describe, expect, test } from 'vitest';
import check from '../../../checks/client/anonymous.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { contextFor } from '../../helpers/evidence.js';
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
});
