import { fixText } from '../../helpers/check-table.js';
import { describe, expect, test } from 'vitest';
import check from '../../../checks/identity/exec-identity-differs.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, contextFor, principal } from '../../helpers/evidence.js';
import { CLUSTER, expectRendered, kubeconfig } from '../_live.js';

const caller = {
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/dev/alice`,
  account: ACCOUNT,
  userId: 'AROAEXAMPLE:alice',
  credentialSource: 'SSO (profile dev)',
};
const deployer = principal(`arn:aws:iam::${ACCOUNT}:role/deployer`);
const asDeployer = { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/botocore-session-1` };
const asIntern = { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/intern/laptop` };

describe('identity/exec-identity-differs', () => {
  test.each<[string, Evidence]>([
    [
      'the exec plugin resolves the target (any session of its role)',
      { principal: deployer, cluster: CLUSTER, kubeconfig: kubeconfig({ execIdentity: asDeployer }) },
    ],
    [
      'the exec plugin resolves the shell identity',
      { caller, kubeconfig: kubeconfig({ execIdentity: { arn: caller.arn } }) },
    ],
    [
      'the exec plugin failed (other checks say why)',
      { principal: deployer, kubeconfig: kubeconfig({ execIdentity: { error: 'exit status 255' } }) },
    ],
    ['the exec plugin was not run (--no-exec)', { principal: deployer, kubeconfig: kubeconfig() }],
    ['nothing to compare with', { kubeconfig: kubeconfig({ execIdentity: asIntern }) }],
  ])('passes: %s', (_, evidence) => {
    expect(check.run(contextFor(evidence))).toEqual([]);
  });

  test('fails: kubectl is someone else than the principal under diagnosis, via --role-arn', () => {
    const hits = check.run(
      contextFor({
        principal: deployer,
        cluster: CLUSTER,
        kubeconfig: kubeconfig(
          { execIdentity: asIntern },
          {
            args: [
              'eks',
              'get-token',
              '--cluster-name',
              'platform',
              '--role-arn',
              `arn:aws:iam::${ACCOUNT}:role/intern`,
            ],
          },
        ),
      }),
    );
    expect(hits).toMatchObject([
      {
        messageId: 'differsFromTarget',
        affectsPrincipal: true,
        data: { execArn: asIntern.arn, expectedArn: deployer.canonicalArn, context: 'platform', command: 'aws' },
      },
    ]);
    expect(String(hits[0]?.data.cause)).toContain(`--role-arn`);
    expectRendered(check, hits);
  });

  test('fails: AWS_PROFILE in the exec env loses to static keys in the environment', () => {
    const hits = check.run(
      contextFor({
        caller,
        credentialEnv: { staticKeys: true },
        kubeconfig: kubeconfig(
          { execIdentity: asIntern },
          { env: { AWS_PROFILE: 'dev', AWS_SECRET_ACCESS_KEY: 'do-not-print' } },
        ),
      }),
    );
    expect(hits).toMatchObject([
      {
        messageId: 'differsFromShell',
        data: { expectedArn: `arn:aws:iam::${ACCOUNT}:role/dev`, callerSource: 'SSO (profile dev)' },
      },
    ]);
    expect(String(hits[0]?.data.cause)).toContain('AWS_ACCESS_KEY_ID');
    expect(String(fixText(hits[0]?.data.unsetKeys))).toContain('unset AWS_ACCESS_KEY_ID');
    expect(String(fixText(hits[0]?.data.execCheck))).toContain('AWS_PROFILE=dev');
    expect(String(fixText(hits[0]?.data.execCheck))).not.toContain('do-not-print');
    expectRendered(check, hits);
  });

  test('explains an exec entry that names no profile, and suggests assuming the target role', () => {
    const hits = check.run(contextFor({ principal: deployer, kubeconfig: kubeconfig({ execIdentity: asIntern }) }));
    expect(String(hits[0]?.data.cause)).toContain('names no profile');
    expect(String(fixText(hits[0]?.data.updateKubeconfig))).toContain(`--role-arn ${deployer.iamArn}`);
  });

  test('suggests a profile, not a self-assume, when the shell already is the target', () => {
    const hits = check.run(
      contextFor({ principal: principal(caller.arn), caller, kubeconfig: kubeconfig({ execIdentity: asIntern }) }),
    );
    expect(String(fixText(hits[0]?.data.updateKubeconfig))).toContain('--profile PROFILE');
    expect(String(fixText(hits[0]?.data.updateKubeconfig))).not.toContain('--role-arn');
  });
});

describe('identity/exec-identity-differs: the cause named and the exact commands', () => {
  const INTERN = `arn:aws:iam::${ACCOUNT}:role/intern`;
  const run = (evidence: Evidence) => check.run(contextFor({ principal: deployer, cluster: CLUSTER, ...evidence }));

  test('an exec entry assuming another role: the fix assumes the target, and the check command is the entry itself', () => {
    const hits = run({
      kubeconfig: kubeconfig({ execIdentity: asIntern }, { args: ['eks', 'get-token', `--role-arn=${INTERN}`] }),
    });
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({
      subject: { kind: 'kubeconfig', name: 'platform' },
      data: {
        cause: `; the exec entry assumes ${INTERN} (--role-arn)`,
        callerSource: 'unknown source',
        cluster: 'platform',
        region: 'eu-west-1',
        profileFlag: [],
        execArgs: ['--role-arn', INTERN],
      },
    });
    const data = hits[0]?.data ?? {};
    // The entry's own --role-arn is what kubeconfig asks for; the fix keeps naming a role, never a profile placeholder.
    expect(fixText(data.updateKubeconfig)).toBe(
      `aws eks update-kubeconfig --name platform --region eu-west-1 --role-arn ${INTERN}`,
    );
    expect(fixText(data.unsetKeys)).toBe('# no static keys in the environment');
    expect(fixText(data.execCheck)).toBe(`aws eks get-token '--role-arn=${INTERN}' | eksauth decode-token -`);
  });

  test('a role doctor assumed wins over the entry and the target', () => {
    const hits = run({
      assumeRole: {
        roleArn: deployer.iamArn,
        sessionName: 's',
        outcome: 'refused',
        code: 'AccessDenied',
        message: 'no',
      },
      kubeconfig: kubeconfig({ execIdentity: asIntern }, { args: ['eks', 'get-token', '--role-arn', INTERN] }),
    });
    expect(hits[0]?.data.execArgs).toEqual(['--role-arn', deployer.iamArn]);
  });

  test.each<[string, Evidence, string]>([
    [
      'the entry and the shell name different profiles',
      {
        credentialEnv: { profile: 'ops', staticKeys: false },
        kubeconfig: kubeconfig({ execIdentity: asIntern }, { args: ['eks', 'get-token', '--profile', 'dev'] }),
      },
      '; the exec entry uses profile dev, this shell profile ops',
    ],
    [
      'the same profile in both',
      {
        credentialEnv: { profile: 'dev', staticKeys: false },
        kubeconfig: kubeconfig({ execIdentity: asIntern }, { env: { AWS_PROFILE: 'dev' } }),
      },
      '',
    ],
    [
      'a --profile in the args beats stray keys',
      {
        credentialEnv: { staticKeys: true },
        kubeconfig: kubeconfig(
          { execIdentity: asIntern },
          { args: ['eks', 'get-token', '--profile', 'dev'], env: { AWS_PROFILE: 'dev' } },
        ),
      },
      '',
    ],
  ])('cause when %s', (_, evidence, cause) => {
    expect(run(evidence)[0]?.data.cause).toBe(cause);
  });

  test('stray keys: the unset step says why', () => {
    const hits = run({
      credentialEnv: { staticKeys: true },
      kubeconfig: kubeconfig({ execIdentity: asIntern }, { env: { AWS_PROFILE: 'dev' } }),
    });
    expect(fixText(hits[0]?.data.unsetKeys)).toBe(
      'unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN   # stray keys win over AWS_PROFILE',
    );
    expect(fixText(hits[0]?.data.execCheck)).toBe(
      "env 'AWS_PROFILE=dev' aws --region eu-west-1 eks get-token --cluster-name platform | eksauth decode-token -",
    );
  });

  test('with neither a caller nor a target there is nothing to compare', () => {
    expect(check.run(contextFor({ cluster: CLUSTER, kubeconfig: kubeconfig({ execIdentity: asIntern }) }))).toEqual([]);
  });
});
