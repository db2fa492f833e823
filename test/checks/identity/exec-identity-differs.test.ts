import { fixText } from '../../helpers/check-table.js';
import { renderHit } from '../../../src/core/run-checks.js';
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

  test("an exec entry assuming another role: the fix assumes the target, never the entry's own role, and checks the new entry", () => {
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
        execArgs: ['--role-arn', deployer.iamArn],
      },
    });
    const data = hits[0]?.data ?? {};
    // The entry's own --role-arn resolved the intern: the regenerated entry assumes the diagnosed role.
    expect(fixText(data.updateKubeconfig)).toBe(
      `aws eks update-kubeconfig --name platform --region eu-west-1 --role-arn ${deployer.iamArn}`,
    );
    expect(fixText(data.writeKubeconfig)).toBe(
      `eksctl utils write-kubeconfig --cluster platform --region eu-west-1 --authenticator-role-arn ${deployer.iamArn}`,
    );
    expect(fixText(data.unsetKeys)).toBe('# no static keys in the environment');
    expect(fixText(data.execCheck)).toBe(
      `aws --region eu-west-1 eks get-token --cluster-name platform --role-arn ${deployer.iamArn} | eksauth decode-token -`,
    );
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
    // The entry meant profile dev (stray keys overrode it): the target role is assumed from it.
    expect(fixText(hits[0]?.data.execCheck)).toBe(
      `env 'AWS_PROFILE=dev' aws --region eu-west-1 eks get-token --cluster-name platform --role-arn ${deployer.iamArn} | eksauth decode-token -`,
    );
  });

  test('with neither a caller nor a target there is nothing to compare', () => {
    expect(check.run(contextFor({ cluster: CLUSTER, kubeconfig: kubeconfig({ execIdentity: asIntern }) }))).toEqual([]);
  });
});

/**
 * The regenerated exec entry must resolve the identity the diagnosis says is right: never again the
 * entry's own `--role-arn`, nor (used without a role) the profile that resolved the wrong identity.
 * Checked on the commands as doctor prints them (renderHit completes --region and --profile).
 */
describe('identity/exec-identity-differs: the fix never regenerates the identity that was wrong', () => {
  const INTERN = `arn:aws:iam::${ACCOUNT}:role/intern`;
  const bob = principal(`arn:aws:iam::${ACCOUNT}:user/bob`);
  const ops = {
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ops/carol`,
    account: ACCOUNT,
    userId: 'AROAOPS:carol',
    credentialSource: 'SSO (profile ops)',
  };
  const execWith = (args: string[]) =>
    kubeconfig({ execIdentity: asIntern }, { args: ['eks', 'get-token', '--cluster-name', 'platform', ...args] });
  const printed = (evidence: Evidence) => {
    const hits = check.run(contextFor({ cluster: CLUSTER, ...evidence }));
    expect(hits).toHaveLength(1);
    const steps = hits.flatMap((h) => renderHit(check, h, { cluster: CLUSTER, ...evidence }).fix?.steps ?? []);
    const update = steps.flatMap((s) => s.aws?.commands ?? []).find((c) => c.argv[2] === 'update-kubeconfig');
    return { argv: update?.argv ?? [], aws: steps[0]?.aws?.text ?? '', eksctl: steps[0]?.eksctl?.text ?? '' };
  };
  const flag = (argv: string[], name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);

  test.each<[string, Evidence, { profile?: string; roleArn?: string; choose?: string }]>([
    [
      'the entry’s --profile resolved the intern and the target is a role: assume the target from that profile',
      { principal: deployer, caller: ops, kubeconfig: execWith(['--profile', 'dev']) },
      { profile: 'dev', roleArn: deployer.iamArn },
    ],
    [
      'the entry assumes the intern from profile dev: the target replaces the intern, dev stays the source',
      { principal: deployer, caller: ops, kubeconfig: execWith(['--profile', 'dev', '--role-arn', INTERN]) },
      { profile: 'dev', roleArn: deployer.iamArn },
    ],
    [
      'the shell (profile ops) is the expected identity: the shell’s profile, not the entry’s',
      {
        caller: ops,
        credentialEnv: { profile: 'ops', staticKeys: false },
        kubeconfig: execWith(['--profile', 'dev']),
      },
      { profile: 'ops' },
    ],
    [
      'the target is a user whose profile doctor cannot know: a placeholder, never the entry’s dev',
      { principal: bob, kubeconfig: execWith(['--profile', 'dev']) },
      { profile: 'PROFILE', choose: `PROFILE: choose the profile whose credentials are ${bob.canonicalArn} (not dev` },
    ],
    [
      'the shell is the expected identity through static keys, which no profile names: a placeholder',
      { caller: ops, credentialEnv: { staticKeys: true }, kubeconfig: execWith(['--profile', 'dev']) },
      { profile: 'PROFILE', choose: 'PROFILE: choose the profile whose credentials are' },
    ],
    [
      'an entry assuming the intern, the shell is expected with no profile: no --role-arn, and a placeholder',
      { caller: ops, kubeconfig: execWith(['--role-arn', INTERN]) },
      { profile: 'PROFILE', choose: `whose credentials are arn:aws:iam::${ACCOUNT}:role/ops;` },
    ],
  ])('%s', (_, evidence, want) => {
    const { argv, aws, eksctl } = printed(evidence);
    expect(flag(argv, '--profile')).toBe(want.profile);
    expect(flag(argv, '--role-arn')).toBe(want.roleArn);
    expect(flag(argv, '--role-arn')).not.toBe(INTERN);
    if (want.profile === 'dev') expect(want.roleArn).toBeDefined();
    if (want.choose) {
      expect(aws).toContain(want.choose);
      expect(eksctl).toContain(want.choose);
    } else expect(aws).not.toContain('PROFILE:');
    expect(eksctl.includes('--authenticator-role-arn')).toBe(want.roleArn !== undefined);
  });
});
