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

describe('identity/unexpected-credential-source: sources, conditions and exact fix data', () => {
  const ROLE = `arn:aws:iam::${ACCOUNT}:role/deployer`;
  const run = (evidence: Evidence) => check.run(contextFor({ cluster: CLUSTER, ...evidence }));

  test.each(['ECS container credentials', 'EKS Pod Identity', 'IMDS', 'instance profile'])(
    'a profile that fell through to %s: the fix names the profile and the role kubeconfig asks for',
    (credentialSource) => {
      const hits = run({
        caller: { ...instanceRole, credentialSource },
        credentialEnv: { profile: 'deploy', staticKeys: false },
        kubeconfig: kubeconfig({}, { args: ['eks', 'get-token', '--role-arn', ROLE] }),
      });
      expect(hits).toEqual([
        {
          messageId: 'instanceRoleFallback',
          subject: { kind: 'credentials', name: credentialSource },
          affectsPrincipal: false,
          data: {
            callerArn: instanceRole.arn,
            source: credentialSource,
            cluster: 'platform',
            region: 'eu-west-1',
            kubeconfigArgs: ['--profile', 'deploy', '--role-arn', ROLE],
            eksctlArgs: ['--profile', 'deploy'],
            execArgs: ['--profile', 'deploy', '--role-arn', ROLE],
            awsFix: expect.anything(),
            profile: 'deploy',
            profileFrom: 'configuration',
          },
        },
      ]);
      expect(fixText(hits[0]?.data.awsFix).split('\n')).toEqual([
        'aws configure list --profile deploy   # which link of the profile is empty',
        'aws sts get-caller-identity --profile deploy',
      ]);
    },
  );

  test.each<[string, Evidence]>([
    [
      'profile from --profile',
      { caller: fromEnv, credentialEnv: { profile: 'dev', profileFrom: '--profile', staticKeys: true } },
    ],
    [
      'no static keys',
      { caller: fromEnv, credentialEnv: { profile: 'dev', profileFrom: 'AWS_PROFILE', staticKeys: false } },
    ],
    [
      'credentials from a file, not the environment',
      {
        caller: { ...fromEnv, credentialSource: 'shared credentials file' },
        credentialEnv: { profile: 'dev', profileFrom: 'AWS_PROFILE', staticKeys: true },
      },
    ],
  ])('static keys do not override the profile: %s', (_, evidence) => {
    expect(run(evidence)).toEqual([]);
  });

  test('the refused machine role: the fix asks for the role to use and checks it can be assumed', () => {
    const hits = run({ caller: instanceRole, principal: instancePrincipal, cluster: configMap, awsAuth: otherRow });
    expect(hits[0]?.data).toMatchObject({
      kubeconfigArgs: ['--role-arn', 'ROLE_ARN'],
      eksctlArgs: [],
      execArgs: ['--role-arn', 'ROLE_ARN'],
    });
    expect(fixText(hits[0]?.data.awsFix).split('\n')).toEqual([
      'aws sts get-caller-identity   # who the default chain is',
      'aws sts assume-role --role-arn ROLE_ARN --role-session-name check   # can this machine become the intended role?',
    ]);
  });

  test.each<[string, Evidence]>([
    ['kubeconfig names a role', { kubeconfig: kubeconfig({}, { args: ['eks', 'get-token', `--role-arn=${ROLE}`] }) }],
    [
      'a role was assumed',
      { assumeRole: { roleArn: ROLE, sessionName: 's', outcome: 'assumed', sessionArn: instanceRole.arn } },
    ],
    [
      'the machine role is authenticated',
      {
        awsAuth: awsAuthFrom({
          mapRoles: `- rolearn: arn:aws:iam::${ACCOUNT}:role/tfc-agent-instance-role\n  username: agent\n  groups: [system:masters]\n`,
        }),
      },
    ],
  ])('the machine role nobody chose is not reported when %s', (_, extra) => {
    const hits = run({
      caller: instanceRole,
      principal: instancePrincipal,
      cluster: configMap,
      awsAuth: otherRow,
      ...extra,
    });
    expect(hits.map((h) => h.messageId)).not.toContain('instanceRoleInUse');
  });

  test('stray keys and an exec entry that selects its profile by AWS_PROFILE only: exact fix', () => {
    const hits = run({
      caller: fromEnv,
      credentialEnv: { staticKeys: true },
      kubeconfig: kubeconfig({}, { command: '/usr/local/bin/aws', env: { AWS_PROFILE: 'dev' } }),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'execKeysOverrideProfile',
        subject: { kind: 'kubeconfig', name: 'platform' },
        data: {
          kubeconfigArgs: ['--profile', 'dev'],
          eksctlArgs: ['--profile', 'dev'],
          execArgs: ['--profile', 'dev'],
        },
      },
    ]);
    expect(fixText(hits[0]?.data.awsFix).split('\n')).toEqual([
      'unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN',
      'aws sts get-caller-identity --profile dev',
    ]);
  });

  test.each<
    [string, Partial<NonNullable<Evidence['kubeconfig']>['exec']>, Partial<NonNullable<Evidence['kubeconfig']>>]
  >([
    ['--profile=dev in the args', { args: ['eks', 'get-token', '--profile=dev'], env: { AWS_PROFILE: 'dev' } }, {}],
    ['another exec command', { command: 'aws-iam-authenticator', env: { AWS_PROFILE: 'dev' } }, {}],
    ['a command merely ending in aws', { command: '/opt/myaws', env: { AWS_PROFILE: 'dev' } }, {}],
    ['no AWS_PROFILE in its env', { env: {} }, {}],
    [
      'the exec plugin ran and resolved an identity',
      { env: { AWS_PROFILE: 'dev' } },
      { execIdentity: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/dev/alice` } },
    ],
  ])('the exec entry is not reported: %s', (_, exec, fields) => {
    expect(run({ caller: fromEnv, credentialEnv: { staticKeys: true }, kubeconfig: kubeconfig(fields, exec) })).toEqual(
      [],
    );
  });

  test('with static keys overriding AWS_PROFILE already reported, the exec entry is not reported again', () => {
    const hits = run({
      caller: fromEnv,
      credentialEnv: { profile: 'dev', profileFrom: 'AWS_PROFILE', staticKeys: true },
      kubeconfig: kubeconfig({}, { env: { AWS_PROFILE: 'dev' } }),
    });
    expect(hits.map((h) => h.messageId)).toEqual(['staticKeysOverrideProfile']);
  });
});
