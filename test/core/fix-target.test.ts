import { describe, expect, test } from 'vitest';
import { comment, script, sh, withStdin } from '../../src/core/command.js';
import { appendedRows, editedBlocks, targetSteps, withTarget, type FixTarget } from '../../src/core/fix-target.js';
import type { FixStep } from '../../src/core/types.js';
import { runChecks } from '../../src/core/run-checks.js';
import check from '../../checks/rbac/forbidden.js';
import type { Evidence } from '../../src/model/evidence.js';
import { ACCOUNT, awsAuthFrom, contextFor, entry, principal } from '../helpers/evidence.js';
import { CLUSTER } from '../checks/_live.js';

const T: FixTarget = { cluster: 'orders', region: 'eu-west-1', profile: 'ops' };

describe('fix commands carry the cluster region and the run profile (one place: targetSteps)', () => {
  test.each<[string, string[], string[]]>([
    [
      'aws eks without either flag',
      ['aws', 'eks', 'list-nodegroups', '--cluster-name', 'orders'],
      ['aws', 'eks', 'list-nodegroups', '--cluster-name', 'orders', '--region', 'eu-west-1', '--profile', 'ops'],
    ],
    [
      'a region already named (another region on purpose) is kept',
      ['aws', 'sts', 'get-caller-identity', '--region', 'us-east-1'],
      ['aws', 'sts', 'get-caller-identity', '--region', 'us-east-1', '--profile', 'ops'],
    ],
    [
      'a profile already named is kept',
      ['eksctl', 'get', 'cluster', '--region=eu-west-1', '--profile', 'admin'],
      ['eksctl', 'get', 'cluster', '--region=eu-west-1', '--profile', 'admin'],
    ],
    ['aws --version takes no flags', ['aws', '--version'], ['aws', '--version']],
    [
      'aws configure and aws sso set up credentials: the profile, no region',
      ['aws', 'configure', 'list'],
      ['aws', 'configure', 'list', '--profile', 'ops'],
    ],
    ['aws sso login: the profile', ['aws', 'sso', 'login'], ['aws', 'sso', 'login', '--profile', 'ops']],
    [
      'eksctl with a config file: the file names the region (eksctl refuses both)',
      ['eksctl', 'create', 'accessentry', '-f', '-'],
      ['eksctl', 'create', 'accessentry', '-f', '-'],
    ],
    ['kubectl is not an AWS client', ['kubectl', 'get', 'pods'], ['kubectl', 'get', 'pods']],
  ])('%s', (_, argv, expected) => {
    expect(withTarget({ argv }, T, { profile: true }).argv).toEqual(expected);
  });

  test('no profile was used: only the region', () => {
    const { profile: _, ...noProfile } = T;
    expect(withTarget(sh`aws eks describe-cluster --name orders`, noProfile, { profile: true }).argv).toEqual([
      'aws',
      'eks',
      'describe-cluster',
      '--name',
      'orders',
      '--region',
      'eu-west-1',
    ]);
  });

  test('a step that needs another identity gets the region, not the run profile', () => {
    const steps = targetSteps(
      [
        { title: 'mine', aws: script(sh`aws eks list-access-entries --cluster-name orders`) },
        {
          title: 'theirs',
          identity: 'the cluster creator',
          eksctl: script(comment('note'), sh`eksctl create iamidentitymapping --cluster orders --arn A`),
          kubectl: script(withStdin(sh`kubectl apply -f -`, { format: 'json', value: {} })),
        },
      ],
      {
        cluster: { ...CLUSTER, name: 'orders', region: 'eu-west-1' },
        credentialEnv: { profile: 'ops', staticKeys: false },
      },
    );
    const line = (lines: unknown) =>
      (lines as { kind: string; chain?: { argv: string[] }[][] }[]).flatMap((l) => l.chain?.flat() ?? []);
    expect(line(steps[0]?.aws)[0]?.argv.slice(-4)).toEqual(['--region', 'eu-west-1', '--profile', 'ops']);
    expect(line(steps[1]?.eksctl)[0]?.argv.slice(-2)).toEqual(['--region', 'eu-west-1']);
    expect(line(steps[1]?.eksctl)[0]?.argv).not.toContain('--profile');
    expect(line(steps[1]?.kubectl)[0]?.argv).toEqual(['kubectl', 'apply', '-f', '-']);
  });

  test('through the engine: a check whose commands name no profile prints the one the run used', () => {
    const developer = principal(`arn:aws:iam::${ACCOUNT}:role/developer`);
    const evidence: Evidence = {
      principal: developer,
      cluster: { ...CLUSTER, authenticationMode: 'API', region: 'ap-south-2' },
      accessEntries: [entry(developer.iamArn, { kubernetesGroups: ['developers'] })],
      credentialEnv: { profile: 'dev-admin', staticKeys: false },
      probe: {
        status: 200,
        error: null,
        selfSubjectReview: { username: 'dev', groups: ['developers'] },
        accessReviews: [{ verb: 'get', resource: 'pods', namespace: 'default', allowed: false, requested: true }],
      },
    };
    const [finding] = runChecks([check], contextFor(evidence)).findings;
    const commands = (finding?.fix?.steps ?? []).flatMap((s) => [
      ...(s.aws?.commands ?? []),
      ...(s.eksctl?.commands ?? []),
    ]);
    expect(commands.length).toBeGreaterThan(0);
    for (const c of commands) expect(c.argv.join(' ')).toMatch(/--region ap-south-2\b/);
  });
});

test('through the engine: commands written with --region only get the run profile too', async () => {
  const { default: systemBindings } = await import('../../checks/rbac/eks-system-bindings.js');
  const evidence: Evidence = {
    cluster: { ...CLUSTER, region: 'ap-south-2' },
    credentialEnv: { profile: 'dev-admin', staticKeys: false },
    rbac: [
      {
        kind: 'ClusterRoleBinding',
        name: 'cluster-admin',
        roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ kind: 'Group', name: 'system:masters' }],
      },
    ],
  };
  const [finding] = runChecks([systemBindings], contextFor(evidence)).findings;
  const commands = (finding?.fix?.steps ?? []).flatMap((s) => [
    ...(s.aws?.commands ?? []),
    ...(s.eksctl?.commands ?? []),
  ]);
  expect(commands.length).toBeGreaterThan(0);
  for (const c of commands) expect(c.argv.join(' ')).toMatch(/--region ap-south-2 .*--profile dev-admin$/);
});

describe('a step that rewrites aws-auth says who may run it', () => {
  const creatorArn = `arn:aws:iam::${ACCOUNT}:user/cluster-owner`;
  const rewrite = {
    title: 'Rewrite aws-auth mapRoles',
    key: 'aws-auth:mapRoles',
    eksctl: script(sh`eksctl create iamidentitymapping --cluster orders --arn A`),
  };
  const base: Evidence = {
    cluster: { ...CLUSTER, name: 'orders' },
    credentialEnv: { profile: 'dev', staticKeys: false },
    creator: { arn: creatorArn, source: 'cloudtrail', eventTime: '2024-03-01T10:00:00Z' },
  };
  const argvOf = (step: FixStep | undefined) =>
    (step?.eksctl ?? []).flatMap((l) => (l.kind === 'run' ? l.chain.flat() : []))[0]?.argv ?? [];

  test.each<[string, Evidence, RegExp, boolean]>([
    [
      "the creator from CloudTrail, and not the blocked principal's profile",
      base,
      /cluster creator .*cluster-owner \(CloudTrail CreateCluster, 2024-03-01T10:00:00Z\)/,
      false,
    ],
    [
      "the creator named only by the authenticator's kubernetes-admin grant, and when",
      {
        ...base,
        creator: { arn: creatorArn, source: 'authenticator-log', eventTime: '2026-12-03T05:50:00Z' },
      },
      /cluster creator .*cluster-owner \(the authenticator log's kubernetes-admin grant, 2026-12-03T05:50:00Z\)/,
      false,
    ],
    [
      'a creator given with --creator is "given"',
      { ...base, creator: { arn: creatorArn, source: 'flag' } },
      /cluster creator .*cluster-owner \(given\)/,
      false,
    ],
    ['no creator known: a system:masters member', { ...base, creator: undefined }, /system:masters member/, false],
    [
      'the run assumed another role (an admin diagnosing someone): its profile stays',
      { ...base, assumeRole: { roleArn: 'arn:aws:iam::111122223333:role/x' } as Evidence['assumeRole'] },
      /cluster creator/,
      true,
    ],
  ])('%s', (_, evidence, who, keepsProfile) => {
    const [step] = targetSteps([rewrite], evidence);
    expect(step?.identity).toMatch(who);
    expect(argvOf(step)).toContain('--region');
    expect(argvOf(step).includes('--profile')).toBe(keepsProfile);
  });

  test('a kubectl patch of aws-auth counts; a read does not', () => {
    const [patch, read] = targetSteps(
      [
        { title: 'p', kubectl: script(sh`kubectl patch configmap aws-auth -n kube-system --type merge -p {}`) },
        { title: 'r', kubectl: script(sh`kubectl get configmap aws-auth -n kube-system`) },
      ],
      base,
    );
    expect(patch?.identity).toMatch(/cluster creator/);
    expect(read?.identity).toBeUndefined();
  });
});

describe('rows are appended only to a block the authenticator reads (appendedRows)', () => {
  const row = { rolearn: `arn:aws:iam::${ACCOUNT}:role/added`, username: 'added', groups: ['team'] };

  test('a block go-yaml drops but the yaml library reads gets no patch: it would write the broken rows back', () => {
    const awsAuth = awsAuthFrom({
      mapRoles: `- rolearn: arn:aws:iam::${ACCOUNT}:role/ops\n  username: {{SessionName}}\n`,
    });
    if (awsAuth?.state !== 'present') throw new Error('fixture: aws-auth present');
    expect(awsAuth.configMap.blocks.mapRoles.dropped).toBe(true);
    expect(appendedRows({ awsAuth } as Evidence, 'mapRoles', [row])).toBeUndefined();
  });

  test('a block both read is appended to, the old rows kept as they were', () => {
    const awsAuth = awsAuthFrom({ mapRoles: `- rolearn: arn:aws:iam::${ACCOUNT}:role/ops\n  username: ops\n` });
    expect(appendedRows({ awsAuth } as Evidence, 'mapRoles', [row])).toEqual({
      mapRoles:
        `- rolearn: arn:aws:iam::${ACCOUNT}:role/ops\n  username: ops\n` +
        `- rolearn: arn:aws:iam::${ACCOUNT}:role/added\n  username: added\n  groups:\n    - team\n`,
    });
  });
});

describe('row edits are exact only when EKS reads the edited block (editedBlocks)', () => {
  test('an edit beside a row go-yaml refuses gives no patch: the block would stay dropped', () => {
    const awsAuth = awsAuthFrom({
      mapRoles:
        `- rolearn: arn:aws:iam::${ACCOUNT}:role/ops/team\n  username: ops\n` +
        `- rolearn: arn:aws:iam::${ACCOUNT}:role/ci\n  username: {{SessionName}}\n`,
    });
    const edit = { block: 'mapRoles' as const, index: 0, set: { rolearn: `arn:aws:iam::${ACCOUNT}:role/team` } };
    expect(editedBlocks({ awsAuth } as Evidence, [edit])).toBeUndefined();
  });

  test('an edit that repairs the row EKS refused is exact', () => {
    const awsAuth = awsAuthFrom({
      mapRoles: `- rolearn: arn:aws:iam::${ACCOUNT}:role/ci\n  username: {{SessionName}}\n`,
    });
    if (awsAuth?.state !== 'present') throw new Error('fixture: aws-auth present');
    expect(awsAuth.configMap.blocks.mapRoles.dropped).toBe(true);
    const edit = { block: 'mapRoles' as const, index: 0, set: { username: 'ci-{{SessionName}}' } };
    expect(editedBlocks({ awsAuth } as Evidence, [edit])).toEqual({
      mapRoles: `- rolearn: arn:aws:iam::${ACCOUNT}:role/ci\n  username: ci-{{SessionName}}\n`,
    });
  });
});
