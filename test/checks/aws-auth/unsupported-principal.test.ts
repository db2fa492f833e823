import { describe, expect, test } from 'vitest';
import check from '../../../checks/aws-auth/unsupported-principal.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, awsAuthFromText, contextFor, principal } from '../../helpers/evidence.js';
import { LINE_OF, configMapText, row } from './_configmap.js';
import { isHandEdit, patchOf } from './_patch.js';
import { renderHit } from '../../../src/core/run-checks.js';
import type { Hit } from '../../../src/core/types.js';

const run = (data: Record<string, string>, evidence: Partial<Evidence> = {}) =>
  check.run(contextFor({ awsAuth: awsAuthFromText(configMapText(data)), ...evidence }));

describe('aws-auth/unsupported-principal', () => {
  test.each([
    [
      'a role and a user',
      {
        mapRoles: row('rolearn', `arn:aws:iam::${ACCOUNT}:role/Admin`),
        mapUsers: row('userarn', `arn:aws:iam::${ACCOUNT}:user/alice`),
      },
    ],
    ['a name that merely contains "root"', { mapRoles: row('rolearn', `arn:aws:iam::${ACCOUNT}:role/rootless`) }],
    ['mapAccounts (the supported account-wide form)', { mapAccounts: `- "${ACCOUNT}"\n` }],
  ])('passes: %s', (_, data) => {
    expect(run(data)).toEqual([]);
  });

  test('an IAM group never matches', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:group/Devs`;
    expect(run({ mapUsers: row('userarn', arn) })).toMatchObject([
      {
        messageId: 'iamGroup',
        subject: { name: 'mapUsers[0]' },
        location: { line: LINE_OF(1) },
        affectsPrincipal: false,
        data: { arn, name: 'Devs', key: 'userarn' },
      },
    ]);
    // Membership is unknown offline: a refused IAM user of that account is the row's likely target.
    expect(
      run({ mapUsers: row('userarn', arn) }, { principal: principal(`arn:aws:iam::${ACCOUNT}:user/dev1`) }),
    ).toMatchObject([{ affectsPrincipal: true }]);
    expect(
      run({ mapUsers: row('userarn', arn) }, { principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Dev/s`) }),
    ).toMatchObject([{ affectsPrincipal: false }]);
    expect(
      run({ mapUsers: row('userarn', arn) }, { principal: principal('arn:aws:iam::444455556666:user/dev1') }),
    ).toMatchObject([{ affectsPrincipal: false }]);
  });

  test.each([
    [`arn:aws:iam::${ACCOUNT}:role/*`, `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s`, true],
    [`arn:aws:iam::${ACCOUNT}:role/eks-*`, `arn:aws:sts::${ACCOUNT}:assumed-role/EKS-admin/s`, true],
    [`arn:aws:iam::${ACCOUNT}:role/eks-?`, `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s`, false],
    ['"*"', `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s`, true],
  ])('a wildcard %s never matches; it concerns %s: %s', (arn, caller, affects) => {
    expect(run({ mapRoles: row('rolearn', arn) }, { principal: principal(caller) })).toMatchObject([
      { messageId: 'wildcard', affectsPrincipal: affects },
    ]);
  });

  test('the account root matches only the root user: a warning', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:root`;
    expect(run({ mapRoles: row('rolearn', arn) })).toMatchObject([
      { messageId: 'accountRoot', affectsPrincipal: false, data: { account: ACCOUNT, arn } },
    ]);
    expect(
      run({ mapRoles: row('rolearn', arn) }, { principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Dev/s`) }),
    ).toMatchObject([{ affectsPrincipal: true }]);
    expect(
      run({ mapRoles: row('rolearn', arn) }, { principal: principal(`arn:aws:sts::444455556666:assumed-role/Dev/s`) }),
    ).toMatchObject([{ affectsPrincipal: false }]);
  });

  // Exponential backtracking here would run for minutes: the test's own timeout is the guard.
  test('many wildcards are matched without exponential backtracking (check and simulation)', () => {
    const arn = `"arn:aws:iam::${ACCOUNT}:role/${'*a'.repeat(12)}*c"`;
    const hits = run(
      { mapRoles: row('rolearn', arn) },
      { principal: principal(`arn:aws:iam::${ACCOUNT}:role/${'a'.repeat(64)}`) },
    );
    expect(hits).toMatchObject([{ messageId: 'wildcard', affectsPrincipal: false }]);
  });
});

describe('aws-auth/unsupported-principal: the exact patch', () => {
  const GROUP = `arn:aws:iam::${ACCOUNT}:group/developers`;
  const DEV = `arn:aws:iam::${ACCOUNT}:user/dev-user`;
  const evidenceOf = (data: Record<string, string>, arn?: string): Evidence => ({
    awsAuth: awsAuthFromText(configMapText(data)),
    ...(arn ? { principal: principal(arn) } : {}),
  });

  test('the scenario: the group row becomes a row for the refused user, with a membership caveat', () => {
    const evidence = evidenceOf({ mapUsers: row('userarn', GROUP, 'developers') }, DEV);
    const [hit] = check.run(contextFor(evidence));
    expect(patchOf(check, hit, evidence)?.data).toEqual({ mapUsers: row('userarn', DEV, 'developers') });
    expect(renderHit(check, hit as Hit, evidence).fix?.steps[0]?.kubectl?.text).toContain(
      'apply this only if `aws iam get-group --group-name developers` lists dev-user',
    );
  });

  test('a wildcard role row matching the refused role: the row is replaced in mapRoles', () => {
    const evidence = evidenceOf(
      { mapRoles: row('rolearn', `arn:aws:iam::${ACCOUNT}:role/dev-*`, 'dev:{{SessionName}}') },
      `arn:aws:sts::${ACCOUNT}:assumed-role/dev-team/s`,
    );
    const [hit] = check.run(contextFor(evidence));
    expect(patchOf(check, hit, evidence)?.data.mapRoles).toBe(
      row('rolearn', `arn:aws:iam::${ACCOUNT}:role/dev-team`, 'dev:{{SessionName}}'),
    );
  });

  test('without a principal the fix stays the hand edit with a placeholder', () => {
    const evidence = evidenceOf({ mapUsers: row('userarn', GROUP, 'developers') });
    const [hit] = check.run(contextFor(evidence));
    expect(isHandEdit(check, hit, evidence)).toBe(true);
  });
});

describe('aws-auth/unsupported-principal: the diagnosis, exactly', () => {
  const message = (hit: Hit | undefined) => renderHit(check, hit as Hit);

  test('an IAM group: the message names the row, key and group', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:group/team/Devs`;
    const hits = run({ mapRoles: `${row('rolearn', `arn:aws:iam::${ACCOUNT}:role/A`)}${row('rolearn', arn)}` });
    expect(hits).toMatchObject([
      {
        messageId: 'iamGroup',
        subject: { kind: 'aws-auth', name: 'mapRoles[1]' },
        location: { key: 'mapRoles[1].rolearn', line: LINE_OF(5), column: 7 },
        data: { where: `mapRoles[1] (line ${LINE_OF(5)})`, key: 'rolearn', arn, name: 'Devs', account: ACCOUNT },
      },
    ]);
    expect(message(hits[0]).message).toBe(
      `mapRoles[1] (line ${LINE_OF(5)}) rolearn ${arn} is an IAM group: groups are not principals (nobody ever calls STS as a group), so this row never matches; members arrive as their own user ARNs.`,
    );
    expect(message(hits[0]).remediation).toBe(
      'Map a role that the members of Devs may assume, or map each user on its own row.',
    );
    expect(message(hits[0]).severity).toBe('error');
  });

  test('a wildcard: not an ARN at all, the account is unknown', () => {
    const hits = run({ mapUsers: row('userarn', '"*"') });
    expect(hits).toMatchObject([
      { messageId: 'wildcard', data: { key: 'userarn', arn: '*', name: '*', account: 'ACCOUNT_ID' } },
    ]);
    expect(message(hits[0]).message).toBe(
      `mapUsers[0] (line ${LINE_OF(1)}) userarn * contains a wildcard: aws-auth compares ARNs literally, so this row matches nobody.`,
    );
  });

  test('a wildcard ending in a slash is named by the whole ARN', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:role/team-?/`;
    expect(run({ mapRoles: row('rolearn', arn) })).toMatchObject([{ messageId: 'wildcard', data: { name: arn } }]);
  });

  test('the account root: a warning naming the account', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:root`;
    const hits = run({ mapUsers: row('userarn', arn) });
    expect(hits).toMatchObject([{ messageId: 'accountRoot', data: { key: 'userarn', name: 'root' } }]);
    expect(message(hits[0]).message).toBe(
      `mapUsers[0] (line ${LINE_OF(1)}) userarn ${arn} is the account root: it matches only the root user of ${ACCOUNT} signing in with root credentials, not every principal of the account.`,
    );
    expect(message(hits[0]).severity).toBe('warning');
    expect(message(hits[0]).remediation).toBe(
      `Map the roles and users themselves; only if you mean every principal of ${ACCOUNT}, list the account under mapAccounts.`,
    );
  });

  test.each([
    ['an STS root-looking resource', `arn:aws:sts::${ACCOUNT}:root`],
    ['a group path under another service', `arn:aws:s3:::group/x`],
    ['an empty ARN', '""'],
  ])('passes: %s', (_, arn) => {
    expect(run({ mapRoles: row('rolearn', arn) })).toEqual([]);
  });

  test('the root user itself is not concerned by the account-root row', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:root`;
    expect(run({ mapRoles: row('rolearn', arn) }, { principal: principal(arn) })).toMatchObject([
      { messageId: 'accountRoot', affectsPrincipal: false },
    ]);
  });

  test('a group row does not concern a user that another row maps', () => {
    const data = {
      mapUsers: `${row('userarn', `arn:aws:iam::${ACCOUNT}:group/Devs`)}${row('userarn', `arn:aws:iam::${ACCOUNT}:user/dev1`)}`,
    };
    expect(run(data, { principal: principal(`arn:aws:iam::${ACCOUNT}:user/dev1`) })).toMatchObject([
      { messageId: 'iamGroup', affectsPrincipal: false },
    ]);
  });

  test('a wildcard row of a block that does not parse never concerns the principal', () => {
    const mapRoles = `${row('rolearn', `arn:aws:iam::${ACCOUNT}:role/*`)}- rolearn: x\n  username: {{SessionName}}\n`;
    expect(run({ mapRoles }, { principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s`) })).toMatchObject([
      { messageId: 'wildcard', affectsPrincipal: false },
    ]);
  });
});

describe('aws-auth/unsupported-principal: edges of the diagnosis', () => {
  test('passes without aws-auth', () => {
    expect(check.run(contextFor({}))).toEqual([]);
  });

  test('a quoted group ARN with spaces is judged trimmed', () => {
    expect(run({ mapUsers: row('userarn', `" arn:aws:iam::${ACCOUNT}:group/Devs "`) })).toMatchObject([
      { messageId: 'iamGroup', data: { name: 'Devs' } },
    ]);
  });
});

describe('aws-auth/unsupported-principal: the fix in every dialect', () => {
  const DEV = `arn:aws:iam::${ACCOUNT}:user/dev-user`;
  const GROUP = `arn:aws:iam::${ACCOUNT}:group/developers`;
  const EKSCTL = 'eksctl --cluster CLUSTER_NAME --region REGION'.split(' ');
  const eksctl = (verb: string, ...args: string[]) =>
    [EKSCTL[0], verb, 'iamidentitymapping', ...EKSCTL.slice(1), ...args].join(' ');
  const TF_HEAD = '# terraform-aws-modules/eks v19 (module "eks"), or v20+ with its aws-auth submodule';
  const NO_AWS = '# aws-auth is a Kubernetes object: the aws CLI cannot edit it (use kubectl, eksctl or Terraform)';
  const patchLine = (data: Record<string, string>) =>
    `kubectl patch configmap aws-auth -n kube-system --type merge -p '${JSON.stringify({ data })}'`;

  const fixOf = (data: Record<string, string>, arn?: string) => {
    const evidence: Evidence = {
      awsAuth: awsAuthFromText(configMapText(data)),
      ...(arn ? { principal: principal(arn) } : {}),
    };
    const hits = check.run(contextFor(evidence));
    expect(hits).toHaveLength(1);
    const steps = renderHit(check, hits[0] as Hit, evidence).fix?.steps ?? [];
    expect(steps).toHaveLength(1);
    const [step] = steps;
    return {
      hit: hits[0] as Hit,
      title: step?.title,
      kubectl: step?.kubectl?.text,
      eksctl: step?.eksctl?.text,
      aws: step?.aws?.text,
      terraform: step?.terraform?.text,
    };
  };

  test('a group row for a refused user: replaced in place, with the membership caveat in every dialect', () => {
    const fix = fixOf({ mapUsers: row('userarn', GROUP, 'developers') }, DEV);
    const caveat =
      'only if dev-user is a member of the IAM group developers: doctor cannot see group membership, it assumed it because dev-user is refused and the group row matches nobody';
    expect(fix.title).toBe(`Replace ${GROUP} with a row for ${DEV} (${caveat})`);
    expect(fix.kubectl).toBe(
      [
        `# replaces mapUsers[0] (line ${LINE_OF(1)}) (${GROUP}, which matches nobody) with a row for ${DEV}, the principal this run diagnosed, with the username and groups of mapUsers[0] (line ${LINE_OF(1)}); doctor cannot see group membership: apply this only if \`aws iam get-group --group-name developers\` lists dev-user, and give every other member a row of its own`,
        patchLine({ mapUsers: row('userarn', DEV, 'developers') }),
      ].join('\n'),
    );
    expect(fix.eksctl).toBe(
      [
        `# ${caveat}`,
        eksctl('delete', '--arn', GROUP, '--all'),
        eksctl('create', '--arn', DEV, '--username', 'developers', '--group', 'system:masters'),
      ].join('\n'),
    );
    expect(fix.aws).toBe(
      [
        `# ${caveat}; check it first (the row is wrong for anyone the group does not list):`,
        "aws iam get-group --group-name developers --query 'Users[].Arn' --region REGION",
        NO_AWS,
      ].join('\n'),
    );
    expect(fix.terraform).toBe(
      [
        `# ${caveat}`,
        TF_HEAD,
        `aws_auth_users = [{ userarn = "${DEV}", username = "developers", groups = ["system:masters"] }]`,
      ].join('\n'),
    );
  });

  // IAM group names have no spaces: `--group-name 'developers '` would fail validation.
  test('a group ARN written with spaces: the group is named trimmed, for get-group and in the caveat', () => {
    const fix = fixOf({ mapUsers: row('userarn', `" ${GROUP} "`, 'developers') }, DEV);
    expect(fix.aws?.split('\n')[1]).toBe(
      "aws iam get-group --group-name developers --query 'Users[].Arn' --region REGION",
    );
    expect(fix.kubectl).toContain('apply this only if `aws iam get-group --group-name developers` lists dev-user');
    expect(fix.title).toContain('(only if dev-user is a member of the IAM group developers: doctor');
  });

  test('a group row under mapRoles: the user gets a mapUsers row, the group row is removed', () => {
    const fix = fixOf({ mapRoles: row('rolearn', GROUP, 'developers') }, DEV);
    expect(fix.hit.affectsPrincipal).toBe(true);
    expect(fix.kubectl?.split('\n')[1]).toBe(
      patchLine({ mapRoles: '[]\n', mapUsers: row('userarn', DEV, 'developers') }),
    );
    expect(fix.eksctl?.split('\n').slice(1)).toEqual([
      eksctl('delete', '--arn', GROUP, '--all'),
      eksctl('create', '--arn', DEV, '--username', 'developers', '--group', 'system:masters'),
    ]);
    expect(fix.terraform?.split('\n').at(-1)).toBe(
      `aws_auth_users = [{ userarn = "${DEV}", username = "developers", groups = ["system:masters"] }]`,
    );
  });

  test('an account-root row for a refused role: a row is added, the root row stays', () => {
    const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
    const DEV_ROLE = `arn:aws:iam::${ACCOUNT}:role/Dev`;
    const fix = fixOf(
      { mapRoles: row('rolearn', ROOT, 'admin:{{SessionName}}') },
      `arn:aws:sts::${ACCOUNT}:assumed-role/Dev/s`,
    );
    expect(fix.title).toBe(`Add a row for ${DEV_ROLE}`);
    expect(fix.kubectl).toBe(
      [
        `# adds a row for ${DEV_ROLE}, the principal this run diagnosed, with the username and groups of mapRoles[0] (line ${LINE_OF(1)}); ${ROOT} stays: it maps the root user only`,
        patchLine({
          mapRoles: `${row('rolearn', ROOT, 'admin:{{SessionName}}')}${row('rolearn', DEV_ROLE, 'admin:{{SessionName}}')}`,
        }),
      ].join('\n'),
    );
    expect(fix.eksctl).toBe(
      eksctl('create', '--arn', DEV_ROLE, '--username', "'admin:{{SessionName}}'", '--group', 'system:masters'),
    );
    expect(fix.aws).toBe(NO_AWS);
    expect(fix.terraform).toBe(
      [
        TF_HEAD,
        `aws_auth_roles = [{ rolearn = "${DEV_ROLE}", username = "admin:{{SessionName}}", groups = ["system:masters"] }]`,
      ].join('\n'),
    );
  });

  test('a wildcard role under mapUsers without a username: a mapRoles row without one replaces it', () => {
    const WILD = `arn:aws:iam::${ACCOUNT}:role/dev-*`;
    const TEAM = `arn:aws:iam::${ACCOUNT}:role/dev-team`;
    const fix = fixOf({ mapUsers: row('userarn', WILD, '') }, `arn:aws:sts::${ACCOUNT}:assumed-role/dev-team/s`);
    expect(fix.title).toBe(`Replace ${WILD} with a row for ${TEAM}`);
    expect(fix.kubectl).toBe(
      [
        `# replaces mapUsers[0] (line ${LINE_OF(1)}) (${WILD}, which matches nobody) with a row for ${TEAM}, the principal this run diagnosed, with the username and groups of mapUsers[0] (line ${LINE_OF(1)}); every other role or user ${WILD} was meant to match needs a row of its own`,
        patchLine({ mapUsers: '[]\n', mapRoles: `- rolearn: ${TEAM}\n  groups:\n    - system:masters\n` }),
      ].join('\n'),
    );
    expect(fix.eksctl).toBe(
      [
        eksctl('delete', '--arn', `'${WILD}'`, '--all'),
        eksctl('create', '--arn', TEAM, '--group', 'system:masters'),
      ].join('\n'),
    );
    expect(fix.aws).toBe(NO_AWS);
    // A missing username and an empty one decode alike (encoding/json leaves the field "").
    expect(fix.terraform).toBe(
      [TF_HEAD, `aws_auth_roles = [{ rolearn = "${TEAM}", username = "", groups = ["system:masters"] }]`].join('\n'),
    );
  });

  test('without a principal: a hand edit to one row per role, keeping the username', () => {
    const fix = fixOf({ mapUsers: row('userarn', '"*"', 'ops', ['ops']) });
    expect(fix.title).toBe('Replace * with one row per role or user');
    expect(fix.kubectl).toBe(
      [
        'kubectl get configmap aws-auth -n kube-system -o yaml > aws-auth.yaml',
        `# edit aws-auth.yaml: mapUsers[0] (line ${LINE_OF(1)}): replace * with one row per role or user`,
        'eksauth lint aws-auth.yaml',
        'kubectl replace -f aws-auth.yaml',
      ].join('\n'),
    );
    expect(fix.eksctl).toBe(
      [
        eksctl('delete', '--arn', "'*'", '--all'),
        eksctl('create', '--arn', 'arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME', '--username', 'ops', '--group', 'ops'),
      ].join('\n'),
    );
    expect(fix.aws).toBe(NO_AWS);
    expect(fix.terraform).toBe(
      [
        TF_HEAD,
        'aws_auth_roles = [{ rolearn = "arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME", username = "ops", groups = ["ops"] }]',
      ].join('\n'),
    );
  });

  test.each([
    ['the partition of the row', `arn:aws-cn:iam::${ACCOUNT}:role/dev-*`, `arn:aws-cn:iam::${ACCOUNT}:role/ROLE_NAME`],
    ['aws for an empty partition', `arn::iam::${ACCOUNT}:group/devs`, `arn:aws:iam::${ACCOUNT}:role/ROLE_NAME`],
  ])('without a principal the placeholder role keeps %s; no username gives a per-session one', (_, arn, role) => {
    const fix = fixOf({ mapRoles: row('rolearn', arn, '') });
    expect(fix.terraform?.split('\n').at(-1)).toBe(
      `aws_auth_roles = [{ rolearn = "${role}", username = "ROLE_NAME:{{SessionName}}", groups = ["system:masters"] }]`,
    );
  });

  test('a wildcard row of a block that does not parse: a hand edit, not a patch for the principal', () => {
    const mapRoles = `${row('rolearn', `arn:aws:iam::${ACCOUNT}:role/*`)}- rolearn: x\n  username: {{SessionName}}\n`;
    const fix = fixOf({ mapRoles }, `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s`);
    expect(fix.title).toBe(`Replace arn:aws:iam::${ACCOUNT}:role/* with one row per role or user`);
    expect(fix.kubectl?.split('\n')[0]).toBe('kubectl get configmap aws-auth -n kube-system -o yaml > aws-auth.yaml');
  });

  test('a wildcard row that does not match the principal: the placeholder fix, not one for the principal', () => {
    const fix = fixOf({ mapRoles: row('rolearn', `arn:aws:iam::${ACCOUNT}:role/ci-*`) }, DEV);
    expect(fix.hit.affectsPrincipal).toBe(false);
    expect(fix.title).toBe(`Replace arn:aws:iam::${ACCOUNT}:role/ci-* with one row per role or user`);
  });
});

describe('aws-auth/unsupported-principal: whom a row concerns', () => {
  test('a wildcard written with spaces is matched trimmed', () => {
    expect(
      run(
        { mapRoles: row('rolearn', `" arn:aws:iam::${ACCOUNT}:role/dev-* "`) },
        { principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/dev-team/s`) },
      ),
    ).toMatchObject([{ messageId: 'wildcard', affectsPrincipal: true }]);
  });

  // The root row maps the root user, who is refused here for its template, not for want of a row.
  test('the root user refused by its own row is not concerned by it', () => {
    const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
    const evidence = { principal: principal(ROOT) };
    const data = { mapRoles: row('rolearn', ROOT, 'system:node:{{EC2PrivateDNSName}}') };
    expect(
      contextFor({ awsAuth: awsAuthFromText(configMapText(data)), ...evidence }).simulation?.decision,
    ).toMatchObject({ authenticated: false });
    expect(run(data, evidence)).toMatchObject([{ messageId: 'accountRoot', affectsPrincipal: false }]);
  });
});
