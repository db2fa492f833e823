import { fixText } from '../../helpers/check-table.js';
import { describe, expect, test } from 'vitest';
import check from '../../../checks/identity/unexpected-credential-source.js';
import type { CallerIdentity, Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, awsAuthFrom, contextFor, principal } from '../../helpers/evidence.js';
import { CLUSTER, expectRendered, kubeconfig } from '../_live.js';

const instanceRole: CallerIdentity = {
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/tfc-agent-instance-role/i-0abc`,
  account: ACCOUNT,
  userId: 'AROAINSTANCE:i-0abc',
  credentialSource: 'EC2 instance metadata',
};
const fromEnv: CallerIdentity = {
  ...instanceRole,
  arn: `arn:aws:iam::${ACCOUNT}:user/old-ci`,
  credentialSource: 'environment variables',
};
const sso: CallerIdentity = {
  ...instanceRole,
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/dev/alice`,
  credentialSource: 'SSO (profile dev)',
};
const configMap = { ...CLUSTER, authenticationMode: 'CONFIG_MAP' as const };
const otherRow = awsAuthFrom({
  mapRoles: `- rolearn: arn:aws:iam::${ACCOUNT}:role/tfc-agent\n  username: agent\n  groups: [system:masters]\n`,
});
const instancePrincipal = principal(instanceRole.arn);

describe('identity/unexpected-credential-source', () => {
  test.each<[string, Evidence]>([
    [
      'the profile asked for gave the credentials',
      { caller: sso, credentialEnv: { profile: 'dev', profileFrom: 'AWS_PROFILE', staticKeys: false } },
    ],
    ['static keys and nothing else asked for', { caller: fromEnv, credentialEnv: { staticKeys: true } }],
    [
      '--profile wins over keys: the chain used the profile',
      { caller: sso, credentialEnv: { profile: 'dev', profileFrom: '--profile', staticKeys: true } },
    ],
    ['an instance role nobody is diagnosing', { caller: instanceRole }],
    [
      'an instance role that is mapped',
      {
        caller: instanceRole,
        principal: instancePrincipal,
        cluster: configMap,
        awsAuth: awsAuthFrom({
          mapRoles: `- rolearn: arn:aws:iam::${ACCOUNT}:role/tfc-agent-instance-role\n  username: agent\n  groups: [system:masters]\n`,
        }),
      },
    ],
    [
      'the exec entry passes --profile, so stray keys do not matter',
      {
        caller: sso,
        credentialEnv: { staticKeys: true },
        kubeconfig: kubeconfig({}, { args: ['eks', 'get-token', '--profile', 'dev'], env: { AWS_PROFILE: 'dev' } }),
      },
    ],
  ])('passes: %s', (_, evidence) => {
    expect(check.run(contextFor(evidence))).toEqual([]);
  });

  test('fails: a selected profile fell through to the instance role, and that is who is refused', () => {
    const hits = check.run(
      contextFor({
        caller: instanceRole,
        credentialEnv: { profile: 'deploy', profileFrom: 'AWS_PROFILE', staticKeys: false },
        principal: instancePrincipal,
        cluster: configMap,
        awsAuth: otherRow,
      }),
    );
    expect(hits).toMatchObject([
      {
        messageId: 'instanceRoleFallback',
        affectsPrincipal: true,
        data: {
          profile: 'deploy',
          profileFrom: 'AWS_PROFILE',
          source: 'EC2 instance metadata',
          callerArn: instanceRole.arn,
        },
      },
    ]);
    expect((hits[0]?.data.kubeconfigArgs as string[]).join(' ')).toContain('--profile deploy');
    expectRendered(check, hits);
  });

  test('warns: static keys in the environment beat AWS_PROFILE', () => {
    const hits = check.run(
      contextFor({ caller: fromEnv, credentialEnv: { profile: 'dev', profileFrom: 'AWS_PROFILE', staticKeys: true } }),
    );
    expect(hits).toMatchObject([
      {
        messageId: 'staticKeysOverrideProfile',
        affectsPrincipal: false,
        data: { profile: 'dev', source: 'environment variables' },
      },
    ]);
    expect(String(fixText(hits[0]?.data.awsFix))).toContain('unset AWS_ACCESS_KEY_ID');
    expectRendered(check, hits);
  });

  test("warns: kubectl's aws exec will use the stray keys instead of its AWS_PROFILE", () => {
    const hits = check.run(
      contextFor({
        caller: fromEnv,
        credentialEnv: { staticKeys: true },
        kubeconfig: kubeconfig({}, { env: { AWS_PROFILE: 'dev' } }),
      }),
    );
    expect(hits).toMatchObject([
      { messageId: 'execKeysOverrideProfile', affectsPrincipal: false, data: { profile: 'dev', context: 'platform' } },
    ]);
    expectRendered(check, hits);
  });

  test('informs: the refused identity is the machine role nobody chose', () => {
    const hits = check.run(
      contextFor({ caller: instanceRole, principal: instancePrincipal, cluster: configMap, awsAuth: otherRow }),
    );
    expect(hits).toMatchObject([
      { messageId: 'instanceRoleInUse', affectsPrincipal: true, data: { source: 'EC2 instance metadata' } },
    ]);
    expect((hits[0]?.data.kubeconfigArgs as string[]).join(' ')).toContain('--role-arn ROLE_ARN');
    expectRendered(check, hits);
  });
});
