import { fixText } from '../../helpers/check-table.js';
import { describe, expect, test } from 'vitest';
import check from '../../../checks/identity/credentials-missing.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, contextFor } from '../../helpers/evidence.js';
import { CLUSTER, expectRendered, kubeconfig } from '../_live.js';

const noCredentials = {
  code: 'no-credentials' as const,
  action: 'sts:GetCallerIdentity',
  message: 'Could not load credentials from any providers',
};
const caller = {
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/dev/alice`,
  account: ACCOUNT,
  userId: 'AROAEXAMPLE:alice',
  credentialSource: 'SSO (profile dev)',
};

describe('identity/credentials-missing', () => {
  test.each<[string, Evidence]>([
    ['credentials found', { caller, cluster: CLUSTER }],
    ['the caller failed for another reason', { failures: { caller: { ...noCredentials, code: 'access-denied' } } }],
    [
      'the exec plugin failed for another reason',
      {
        caller,
        kubeconfig: kubeconfig({ execIdentity: { error: 'exit status 255: An error occurred (AccessDenied)' } }),
      },
    ],
    ['nothing known', {}],
  ])('passes: %s', (_, evidence) => {
    expect(check.run(contextFor(evidence))).toEqual([]);
  });

  test('fails: the chain is empty, with no profile selected', () => {
    const hits = check.run(
      contextFor({ cluster: CLUSTER, failures: { caller: noCredentials }, credentialEnv: { staticKeys: false } }),
    );
    expect(hits).toMatchObject([
      {
        messageId: 'noCredentials',
        affectsPrincipal: true,
        data: {
          action: 'sts:GetCallerIdentity',
          error: 'Could not load credentials from any providers',
          profileNote: ' (no profile selected and no AWS_ACCESS_KEY_ID in the environment)',
          cluster: 'platform',
          region: 'eu-west-1',
        },
      },
    ]);
    expectRendered(check, hits);
  });

  test('fails: the selected profile yields nothing, and the fix logs that profile in', () => {
    const hits = check.run(
      contextFor({
        cluster: CLUSTER,
        failures: { caller: noCredentials },
        credentialEnv: { profile: 'dev', profileFrom: 'AWS_PROFILE', staticKeys: false },
      }),
    );
    expect(hits).toMatchObject([
      {
        messageId: 'noCredentials',
        data: { profileNote: ' for profile dev (from AWS_PROFILE)', profileFlag: ['--profile', 'dev'] },
      },
    ]);
    expect(String(fixText(hits[0]?.data.login))).toContain('aws sso login --profile dev');
    expectRendered(check, hits);
  });

  test("fails: only kubectl's exec plugin finds no credentials", () => {
    const hits = check.run(
      contextFor({
        caller,
        cluster: CLUSTER,
        kubeconfig: kubeconfig({
          execIdentity: {
            error: 'Unable to locate credentials. You can configure credentials by running "aws configure".',
          },
        }),
      }),
    );
    expect(hits).toMatchObject([
      { messageId: 'execNoCredentials', affectsPrincipal: true, data: { context: 'platform', command: 'aws' } },
    ]);
    expect(String(hits[0]?.data.callerSource)).toContain('SSO (profile dev)');
    expectRendered(check, hits);
  });
});

describe('identity/credentials-missing: subjects, notes and exact login commands', () => {
  test('no profile and no environment facts: the default chain, and a profile to create', () => {
    const hits = check.run(contextFor({ failures: { caller: { ...noCredentials, message: 'No creds.' } } }));
    expect(hits).toMatchObject([
      {
        subject: { kind: 'credentials', name: 'default credential chain' },
        data: {
          error: 'No creds',
          profileNote: '',
          profileHint: '',
          profileName: 'PROFILE',
          profileFlag: [],
          loginShort: 'aws configure sso',
          cluster: 'CLUSTER_NAME',
          region: 'REGION',
        },
      },
    ]);
    expect(fixText(hits[0]?.data.login)).toBe(
      'aws configure sso --profile PROFILE   # or: export AWS_PROFILE=PROFILE for an existing profile',
    );
  });

  test('a profile from the configuration: named in the subject, the note and both login forms', () => {
    const hits = check.run(
      contextFor({ failures: { caller: noCredentials }, credentialEnv: { profile: 'dev', staticKeys: false } }),
    );
    expect(hits).toMatchObject([
      {
        subject: { kind: 'credentials', name: 'profile dev' },
        data: {
          profileNote: ' for profile dev (from the configuration)',
          profileHint: ' with profile dev',
          profileName: 'dev',
          loginShort: 'aws sso login --profile dev',
        },
      },
    ]);
    expect(fixText(hits[0]?.data.login)).toBe(
      'aws sso login --profile dev   # SSO profile; for access keys: aws configure --profile dev',
    );
  });

  test.each([
    'Unable to locate credentials',
    'NoCredentialProviders: no valid providers in chain',
    'failed to refresh cached credentials, no EC2 IMDS role found',
    'no valid credential sources for  found',
  ])('the exec plugin failing with %j finds no credentials', (error) => {
    const hits = check.run(contextFor({ kubeconfig: kubeconfig({ execIdentity: { error } }) }));
    expect(hits).toMatchObject([
      {
        messageId: 'execNoCredentials',
        subject: { kind: 'kubeconfig', name: 'platform' },
        data: { path: '/home/me/.kube/config', error, callerSource: 'not checked' },
      },
    ]);
    expect(hits[0]?.data.callerSource).toBe('not checked');
  });

  test('the caller failure is reported, not the exec one too', () => {
    const hits = check.run(
      contextFor({
        failures: { caller: noCredentials },
        kubeconfig: kubeconfig({ execIdentity: { error: 'Unable to locate credentials' } }),
      }),
    );
    expect(hits.map((h) => h.messageId)).toEqual(['noCredentials']);
  });

  test('an exec error without an exec entry says nothing', () => {
    const facts = kubeconfig({ execIdentity: { error: 'Unable to locate credentials' } });
    expect(check.run(contextFor({ kubeconfig: { ...facts, exec: undefined } }))).toEqual([]);
  });
});
