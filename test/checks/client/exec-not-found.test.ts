import { describe, expect, test } from 'vitest';
import check from '../../../checks/client/exec-not-found.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { contextFor } from '../../helpers/evidence.js';
import { CLUSTER, expectRendered, kubeconfig } from '../_live.js';

describe('client/exec-not-found', () => {
  test.each<[string, Evidence]>([
    ['the command is on PATH', { kubeconfig: kubeconfig() }],
    ['no exec entry', { kubeconfig: { path: '/k', context: 'c' } }],
  ])('passes: %s', (_, evidence) => {
    expect(check.run(contextFor(evidence))).toEqual([]);
  });

  test.each<[string, string, string]>([
    ['aws', 'aws', 'AWS CLI v2'],
    ['aws-iam-authenticator', '/usr/local/bin/aws-iam-authenticator', 'aws eks get-token'],
    ['something else', 'kubelogin', 'install kubelogin'],
  ])('fails: %s', (_, command, hint) => {
    const hits = check.run(
      contextFor({ cluster: CLUSTER, kubeconfig: kubeconfig({}, { command, commandFound: false }) }),
    );
    expect(hits).toMatchObject([
      { messageId: 'notFound', affectsPrincipal: true, data: { command, context: 'platform' } },
    ]);
    expect(String(hits[0]?.data.installHint)).toContain(hint);
    expectRendered(check, hits);
  });
});
