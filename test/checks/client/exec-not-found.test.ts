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

  test.each<[string, string]>([
    ['aws', 'install the AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html)'],
    [
      '/opt/bin/aws',
      'install the AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html)',
    ],
    [
      'aws-iam-authenticator',
      'install aws-iam-authenticator, or regenerate the entry to use `aws eks get-token` instead',
    ],
    ['eksauth', 'install eksauth (`npm install -g eksauth`)'],
    ['/home/me/bin/kubelogin', 'install kubelogin, or write its absolute path into the exec entry'],
  ])('the install hint for %s', (command, installHint) => {
    const hits = check.run(contextFor({ kubeconfig: kubeconfig({}, { command, commandFound: false }) }));
    expect(hits[0]?.data.installHint).toBe(installHint);
  });

  test('the whole finding: the sed edit to an absolute path, cluster, region and profile', () => {
    const hits = check.run(
      contextFor({
        cluster: CLUSTER,
        credentialEnv: { profile: 'dev', staticKeys: false },
        kubeconfig: kubeconfig({}, { command: 'aws-iam-authenticator', commandFound: false }),
      }),
    );
    expect(hits).toEqual([
      {
        messageId: 'notFound',
        subject: { kind: 'kubeconfig', name: 'platform' },
        affectsPrincipal: true,
        data: {
          context: 'platform',
          path: '/home/me/.kube/config',
          command: 'aws-iam-authenticator',
          absolutePathEdit: 's#command: aws-iam-authenticator$#command: /usr/local/bin/aws-iam-authenticator#',
          installHint: 'install aws-iam-authenticator, or regenerate the entry to use `aws eks get-token` instead',
          cluster: 'platform',
          region: 'eu-west-1',
          profileFlag: ['--profile', 'dev'],
        },
      },
    ]);
  });

  test('a command given with a directory is edited to /usr/local/bin and its own name', () => {
    const hits = check.run(contextFor({ kubeconfig: kubeconfig({}, { command: './bin/aws', commandFound: false }) }));
    expect(hits[0]?.data.absolutePathEdit).toBe('s#command: ./bin/aws$#command: /usr/local/bin/aws#');
  });

  test('passes: no kubeconfig', () => {
    expect(check.run(contextFor({ cluster: CLUSTER }))).toEqual([]);
  });
});
