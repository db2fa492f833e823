import { describe, expect, test } from 'vitest';
import check from '../../../checks/client/exec-api-version.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { contextFor } from '../../helpers/evidence.js';
import { CLUSTER, expectRendered, kubeconfig } from '../_live.js';

describe('client/exec-api-version', () => {
  test.each<[string, Evidence]>([
    ['v1beta1', { kubeconfig: kubeconfig() }],
    ['v1', { kubeconfig: kubeconfig({}, { apiVersion: 'client.authentication.k8s.io/v1' }) }],
    ['no exec entry (static token)', { kubeconfig: { path: '/k', context: 'c' } }],
    [
      'an exec failure about something else',
      { kubeconfig: kubeconfig({ execIdentity: { error: 'exit status 255' } }) },
    ],
  ])('passes: %s', (_, evidence) => {
    expect(check.run(contextFor(evidence))).toEqual([]);
  });

  test.each<[string, string, string]>([
    ['v1alpha1, removed in kubectl 1.24', 'client.authentication.k8s.io/v1alpha1', 'removedVersion'],
    ['a version kubectl never had', 'client.authentication.k8s.io/v2', 'unknownVersion'],
  ])('fails: %s', (_, apiVersion, messageId) => {
    const hits = check.run(contextFor({ cluster: CLUSTER, kubeconfig: kubeconfig({}, { apiVersion }) }));
    expect(hits).toMatchObject([
      {
        messageId,
        affectsPrincipal: true,
        subject: { kind: 'kubeconfig', name: 'platform' },
        data: { apiVersion, path: '/home/me/.kube/config', cluster: 'platform', region: 'eu-west-1' },
      },
    ]);
    expectRendered(check, hits);
  });

  test('fails: the plugin answers in v1alpha1 although kubeconfig asks for v1beta1', () => {
    const error =
      'exec plugin is configured to use API version client.authentication.k8s.io/v1beta1, plugin returned version client.authentication.k8s.io/v1alpha1';
    const hits = check.run(contextFor({ kubeconfig: kubeconfig({ execIdentity: { error } }) }));
    expect(hits).toMatchObject([{ messageId: 'pluginOutdated', data: { error, command: 'aws' } }]);
    expectRendered(check, hits);
  });

  test('the whole finding: context, file, versions, command and the profile the exec entry names', () => {
    const hits = check.run(
      contextFor({
        cluster: CLUSTER,
        kubeconfig: kubeconfig(
          {},
          {
            apiVersion: 'client.authentication.k8s.io/v1alpha1',
            args: ['eks', 'get-token', '--cluster-name', 'platform', '--profile', 'ops'],
          },
        ),
      }),
    );
    expect(hits).toEqual([
      {
        messageId: 'removedVersion',
        subject: { kind: 'kubeconfig', name: 'platform' },
        affectsPrincipal: true,
        data: {
          context: 'platform',
          path: '/home/me/.kube/config',
          apiVersion: 'client.authentication.k8s.io/v1alpha1',
          command: 'aws',
          cluster: 'platform',
          region: 'eu-west-1',
          profileFlag: ['--profile', 'ops'],
        },
      },
    ]);
  });

  test.each([
    ['exec plugin: invalid apiVersion "client.authentication.k8s.io/v1alpha1"'],
    ['v1alpha1 is not a supported apiVersion'],
    ['Plugin Returned Version client.authentication.k8s.io/v1alpha1'],
  ])('fails: the plugin is too old (%s)', (error) => {
    const hits = check.run(contextFor({ kubeconfig: kubeconfig({ execIdentity: { error } }) }));
    expect(hits).toMatchObject([{ messageId: 'pluginOutdated', affectsPrincipal: true, data: { error } }]);
  });

  test.each([['v1alpha1'], ['apiVersion'], ['exit status 255']])(
    'passes: an exec error that is no version problem (%s)',
    (error) => {
      expect(check.run(contextFor({ kubeconfig: kubeconfig({ execIdentity: { error } }) }))).toEqual([]);
    },
  );

  test('passes: the plugin ran and returned a token', () => {
    expect(
      check.run(contextFor({ kubeconfig: kubeconfig({ execIdentity: { arn: `arn:aws:iam::111122223333:user/a` } }) })),
    ).toEqual([]);
  });

  test('passes: no kubeconfig', () => {
    expect(check.run(contextFor({ cluster: CLUSTER }))).toEqual([]);
  });
});
