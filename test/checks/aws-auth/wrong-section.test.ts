import { describe, expect, test } from 'vitest';
import check from '../../../checks/aws-auth/wrong-section.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, awsAuthFromText, contextFor, principal } from '../../helpers/evidence.js';
import { LINE_OF, configMapText, row } from './_configmap.js';
import { patchOf } from './_patch.js';
import { renderHit } from '../../../src/core/run-checks.js';
import type { Hit } from '../../../src/core/types.js';

const USER = `arn:aws:iam::${ACCOUNT}:user/bob`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/Deployer`;
const run = (data: Record<string, string>, evidence: Partial<Evidence> = {}) =>
  check.run(contextFor({ awsAuth: awsAuthFromText(configMapText(data)), ...evidence }));

describe('aws-auth/wrong-section', () => {
  test.each([
    ['roles in mapRoles, users in mapUsers', { mapRoles: row('rolearn', ROLE), mapUsers: row('userarn', USER) }],
    [
      'D3: open-source key casing (roleARN, userARN)',
      { mapRoles: row('roleARN', ROLE), mapUsers: row('userARN', USER) },
    ],
    [
      'a session ARN (aws-auth/assumed-role-arn reports it)',
      { mapUsers: row('userarn', `arn:aws:sts::${ACCOUNT}:assumed-role/Deployer/s`) },
    ],
  ])('passes: %s', (_, data) => {
    expect(run(data)).toEqual([]);
  });

  test('a user under mapRoles still matches: a warning that concerns nobody', () => {
    const hits = run({ mapRoles: row('rolearn', USER, 'bob') }, { principal: principal(USER) });
    expect(hits).toMatchObject([
      {
        messageId: 'userInMapRoles',
        location: { line: LINE_OF(1), column: 7 },
        affectsPrincipal: false,
        data: { arn: USER },
      },
    ]);
  });

  test('a role under mapUsers', () => {
    expect(run({ mapUsers: row('userarn', ROLE) })).toMatchObject([
      {
        messageId: 'roleInMapUsers',
        subject: { name: 'mapUsers[0]' },
        data: { arn: ROLE },
      },
    ]);
  });

  test('a userarn key in a mapRoles row drops the row', () => {
    const mapRoles = `- userarn: ${USER}\n  username: bob\n`;
    expect(run({ mapRoles })).toMatchObject([
      {
        messageId: 'userarnInMapRoles',
        location: { line: LINE_OF(1), column: 7 },
        affectsPrincipal: false,
        data: { arn: USER },
      },
    ]);
    expect(run({ mapRoles }, { principal: principal(USER) })).toMatchObject([{ affectsPrincipal: true }]);
  });

  test('a userarn key holding a role ARN: rename the key', () => {
    const hits = run(
      { mapRoles: `- userarn: ${ROLE}\n  username: d\n` },
      { principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Deployer/ci`) },
    );
    expect(hits).toMatchObject([
      {
        messageId: 'userarnInMapRoles',
        affectsPrincipal: true,
        data: { remedy: expect.stringContaining('Rename the key userarn to rolearn') },
      },
    ]);
  });

  test('a rolearn key in a mapUsers row drops the row', () => {
    expect(run({ mapUsers: `- rolearn: ${ROLE}\n  username: d\n` })).toMatchObject([
      { messageId: 'rolearnInMapUsers', data: { arn: ROLE, remedy: expect.stringContaining('Move mapUsers[0]') } },
    ]);
  });

  test('a userarn key next to a rolearn is harmless here (the rolearn is used)', () => {
    expect(run({ mapRoles: `- rolearn: ${ROLE}\n  userarn: ${USER}\n  username: d\n` })).toEqual([]);
  });
});

describe('aws-auth/wrong-section: the exact patch', () => {
  const evidenceOf = (data: Record<string, string>, arn: string): Evidence => ({
    awsAuth: awsAuthFromText(configMapText(data)),
    principal: principal(arn),
  });

  test('the scenario: userarn holding a role ARN in mapRoles is renamed to rolearn in place, comments kept', () => {
    const mapRoles = `# CI\n- userarn: ${ROLE} # the deployer\n  username: d\n  groups:\n    - system:masters\n`;
    const evidence = evidenceOf({ mapRoles }, `arn:aws:sts::${ACCOUNT}:assumed-role/Deployer/ci`);
    const [hit] = check.run(contextFor(evidence));
    expect(patchOf(check, hit, evidence)?.data).toEqual({
      mapRoles: `# CI\n- rolearn: ${ROLE} # the deployer\n  username: d\n  groups:\n    - system:masters\n`,
    });
  });

  test('a user ARN under userarn in mapRoles moves to the end of mapUsers', () => {
    const other = row('rolearn', ROLE, 'd');
    const mapRoles = `${other}- userarn: ${USER}\n  username: bob\n  groups:\n    - dev\n`;
    const mapUsers = row('userarn', `arn:aws:iam::${ACCOUNT}:user/alice`, 'alice');
    const evidence = evidenceOf({ mapRoles, mapUsers }, USER);
    const [hit] = check.run(contextFor(evidence));
    expect(patchOf(check, hit, evidence)?.data).toEqual({
      mapRoles: other,
      mapUsers: `${mapUsers}- userarn: ${USER}\n  username: bob\n  groups:\n    - dev\n`,
    });
  });

  test('a hostile ARN stays data in the JSON body', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:role/x'$(touch /tmp/p)\``;
    const evidence = evidenceOf({ mapRoles: `- userarn: "${arn}"\n  username: x\n` }, ROLE);
    const [hit] = check.run(contextFor(evidence));
    const mapRoles = patchOf(check, hit, evidence)?.data.mapRoles ?? '';
    expect(mapRoles).toContain('rolearn:');
    expect(mapRoles).toContain('$(touch /tmp/p)`');
  });
});

describe('aws-auth/wrong-section: the diagnosis, exactly', () => {
  const message = (hit: Hit | undefined) => renderHit(check, hit as Hit);

  test('a user under mapRoles: a warning naming the row and the ARN', () => {
    const hits = run({ mapRoles: `${row('rolearn', ROLE)}${row('rolearn', USER, 'bob')}` });
    expect(hits).toEqual([
      expect.objectContaining({
        messageId: 'userInMapRoles',
        subject: { kind: 'aws-auth', name: 'mapRoles[1]' },
        affectsPrincipal: false,
        data: { arn: USER, where: `mapRoles[1] (line ${LINE_OF(5)})` },
      }),
    ]);
    expect(message(hits[0]).message).toBe(
      `mapRoles[1] (line ${LINE_OF(5)}) rolearn ${USER} is an IAM user under mapRoles: the current authenticator looks ARNs up in both maps, so it matches today, but eksctl, Terraform modules and older authenticators treat mapRoles as roles only.`,
    );
    expect(message(hits[0]).severity).toBe('warning');
    expect(message(hits[0]).remediation).toBe(`Move the row to mapUsers as userarn ${USER}.`);
  });

  test('a role under mapUsers: a warning', () => {
    const hits = run({ mapUsers: row('userarn', ROLE) });
    expect(message(hits[0]).message).toBe(
      `mapUsers[0] (line ${LINE_OF(1)}) userarn ${ROLE} is an IAM role under mapUsers: the current authenticator looks ARNs up in both maps, so it matches today, but eksctl, Terraform modules and older authenticators treat mapUsers as users only.`,
    );
    expect(message(hits[0]).severity).toBe('warning');
  });

  test.each([
    ['a session ARN', `arn:aws:sts::${ACCOUNT}:assumed-role/Deployer/s`],
    ['the account root', `arn:aws:iam::${ACCOUNT}:root`],
    ['not an ARN', 'bob'],
  ])('%s is in neither section: no finding', (_, arn) => {
    expect(run({ mapRoles: row('rolearn', arn), mapUsers: row('userarn', arn) })).toEqual([]);
  });

  test.each<[string, string, string, string, string]>([
    [
      'a user ARN under userarn in mapRoles: move it',
      'mapRoles',
      `- userarn: ${USER}\n  username: bob\n`,
      'userarnInMapRoles',
      `Move mapRoles[0] (line ${LINE_OF(1)}) to mapUsers, keeping the key userarn`,
    ],
    [
      'a role ARN under userarn in mapRoles: rename the key',
      'mapRoles',
      `- userarn: ${ROLE}\n  username: d\n`,
      'userarnInMapRoles',
      `Rename the key userarn to rolearn in mapRoles[0] (line ${LINE_OF(1)})`,
    ],
    [
      'something else under userarn in mapRoles: rename the key',
      'mapRoles',
      `- UserArn: arn:aws:sts::${ACCOUNT}:federated-user/bob\n  username: d\n`,
      'userarnInMapRoles',
      `Rename the key userarn to rolearn in mapRoles[0] (line ${LINE_OF(1)})`,
    ],
    [
      'a role ARN under rolearn in mapUsers: move it',
      'mapUsers',
      `- rolearn: ${ROLE}\n  username: d\n`,
      'rolearnInMapUsers',
      `Move mapUsers[0] (line ${LINE_OF(1)}) to mapRoles, keeping the key rolearn`,
    ],
    [
      'a user ARN under rolearn in mapUsers: rename the key',
      'mapUsers',
      `- rolearn: ${USER}\n  username: bob\n`,
      'rolearnInMapUsers',
      `Rename the key rolearn to userarn in mapUsers[0] (line ${LINE_OF(1)})`,
    ],
  ])('%s', (_, block, text, messageId, remedy) => {
    const hits = run({ [block]: text });
    expect(hits).toMatchObject([{ messageId, subject: { name: `${block}[0]` }, data: { remedy } }]);
    expect(message(hits[0]).remediation).toBe(`${remedy}.`);
    expect(message(hits[0]).severity).toBe('error');
  });

  test('the exact messages of a misplaced key', () => {
    const [inRoles] = run({ mapRoles: `- userarn: ${USER}\n  username: bob\n` });
    expect(message(inRoles).message).toBe(
      `mapRoles[0] (line ${LINE_OF(1)}) has userarn ${USER} instead of rolearn: mapRoles rows are read by rolearn only, so EKS drops the row ("one of rolearn or SSO must be supplied") and ${USER} is not mapped by it.`,
    );
    const [inUsers] = run({ mapUsers: `- rolearn: ${ROLE}\n  username: d\n` });
    expect(message(inUsers).message).toBe(
      `mapUsers[0] (line ${LINE_OF(1)}) has rolearn ${ROLE} instead of userarn: mapUsers rows are read by userarn only, so EKS drops the row ("value for userarn must be supplied") and ${ROLE} is not mapped by it.`,
    );
  });

  test('an empty misplaced key names no ARN and concerns nobody', () => {
    expect(run({ mapRoles: '- userarn: ""\n  username: bob\n' }, { principal: principal(USER) })).toMatchObject([
      { messageId: 'userarnInMapRoles', affectsPrincipal: false, data: { arn: 'ARN' } },
    ]);
  });

  test('an sso row with a stray userarn is not a dropped row', () => {
    const mapRoles = `- sso:\n    permissionSetName: Admin\n    accountID: "${ACCOUNT}"\n  userarn: ${USER}\n  username: a\n`;
    expect(run({ mapRoles })).toEqual([]);
  });

  test.each([
    ['its role with a path in the row', `- userarn: arn:aws:iam::${ACCOUNT}:role/ci/Deployer\n  username: d\n`, true],
    ['another role', `- userarn: arn:aws:iam::${ACCOUNT}:role/Other\n  username: d\n`, false],
  ])('a misplaced key concerns the refused principal when it names %s', (_, mapRoles, affects) => {
    expect(
      run({ mapRoles }, { principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Deployer/ci`) }),
    ).toMatchObject([{ messageId: 'userarnInMapRoles', affectsPrincipal: affects }]);
  });

  test('a misplaced key does not concern a principal another row maps', () => {
    const mapRoles = `- userarn: ${ROLE}\n  username: d\n${row('rolearn', ROLE)}`;
    expect(
      run({ mapRoles }, { principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Deployer/ci`) }),
    ).toMatchObject([{ messageId: 'userarnInMapRoles', affectsPrincipal: false }]);
  });

  test('a user row of a block that does not parse is still judged', () => {
    const mapRoles = `${row('rolearn', USER, 'bob')}- rolearn: ${ROLE}\n  username: {{SessionName}}\n`;
    expect(run({ mapRoles })).toMatchObject([
      { messageId: 'userInMapRoles', subject: { name: 'mapRoles[0]' }, affectsPrincipal: false },
    ]);
  });
});

describe('aws-auth/wrong-section: edges of the diagnosis', () => {
  test('passes without aws-auth', () => {
    expect(check.run(contextFor({}))).toEqual([]);
  });

  test('a quoted user ARN with spaces under mapRoles is judged trimmed', () => {
    expect(run({ mapRoles: row('rolearn', `" ${USER} "`) })).toMatchObject([{ messageId: 'userInMapRoles' }]);
  });

  test('a dropped row with some other unknown key is not a misplaced ARN key', () => {
    expect(run({ mapRoles: `- arn: ${ROLE}\n  username: d\n` })).toEqual([]);
  });

  test("another service's user resource is not an IAM user", () => {
    expect(run({ mapRoles: row('rolearn', `arn:aws:quicksight:us-east-1:${ACCOUNT}:user/default/bob`) })).toEqual([]);
  });
});

describe('aws-auth/wrong-section: the fix in every dialect', () => {
  const EKSCTL = ['--cluster', 'CLUSTER_NAME', '--region', 'REGION'];
  const eksctl = (verb: string, ...args: string[]) =>
    ['eksctl', verb, 'iamidentitymapping', ...EKSCTL, ...args].join(' ');
  const TF_HEAD = '# terraform-aws-modules/eks v19 (module "eks"), or v20+ with its aws-auth submodule';
  const NO_AWS = '# aws-auth is a Kubernetes object: the aws CLI cannot edit it (use kubectl, eksctl or Terraform)';
  const patchLine = (data: Record<string, string>) =>
    `kubectl patch configmap aws-auth -n kube-system --type merge -p '${JSON.stringify({ data })}'`;
  const NO_EKSCTL = (block: string, own: string, key: string) =>
    `# ${block} rows are read by eksctl by their ${own} only, so eksctl cannot see this row's ${key}: \`eksctl delete iamidentitymapping\` would not find it, and eksctl's rewrite of aws-auth would drop the ${key} key and leave a row with no ARN; use the kubectl or Terraform form`;
  const HAND_EDIT = (instruction: string) =>
    [
      'kubectl get configmap aws-auth -n kube-system -o yaml > aws-auth.yaml',
      `# edit aws-auth.yaml: ${instruction}`,
      'eksauth lint aws-auth.yaml',
      'kubectl replace -f aws-auth.yaml',
    ].join('\n');

  const fixOf = (data: Record<string, string>) => {
    const evidence: Evidence = { awsAuth: awsAuthFromText(configMapText(data)) };
    const hits = check.run(contextFor(evidence));
    expect(hits).toHaveLength(1);
    const steps = renderHit(check, hits[0] as Hit, evidence).fix?.steps ?? [];
    expect(steps).toHaveLength(1);
    const [step] = steps;
    return {
      title: step?.title,
      kubectl: step?.kubectl?.text,
      eksctl: step?.eksctl?.text,
      aws: step?.aws?.text,
      terraform: step?.terraform?.text,
    };
  };

  test('a user under mapRoles: moved to mapUsers by kubectl, eksctl and Terraform', () => {
    expect(fixOf({ mapRoles: row('rolearn', USER, 'bob') })).toEqual({
      title: `Move mapRoles[0] (line ${LINE_OF(1)}) to mapUsers, with the key userarn`,
      kubectl: patchLine({ mapRoles: '[]\n', mapUsers: row('userarn', USER, 'bob') }),
      eksctl: [
        eksctl('delete', '--arn', USER),
        eksctl('create', '--arn', USER, '--username', 'bob', '--group', 'system:masters'),
      ].join('\n'),
      aws: NO_AWS,
      terraform: [
        TF_HEAD,
        `aws_auth_users = [{ userarn = "${USER}", username = "bob", groups = ["system:masters"] }]`,
      ].join('\n'),
    });
  });

  test('a role under mapUsers without a username: moved to mapRoles, still without one', () => {
    expect(fixOf({ mapUsers: row('userarn', ROLE, '') })).toEqual({
      title: `Move mapUsers[0] (line ${LINE_OF(1)}) to mapRoles, with the key rolearn`,
      kubectl: patchLine({ mapUsers: '[]\n', mapRoles: `- rolearn: ${ROLE}\n  groups:\n    - system:masters\n` }),
      eksctl: [eksctl('delete', '--arn', ROLE), eksctl('create', '--arn', ROLE, '--group', 'system:masters')].join(
        '\n',
      ),
      aws: NO_AWS,
      // A missing username and an empty one decode alike (encoding/json leaves the field "").
      terraform: [
        TF_HEAD,
        `aws_auth_roles = [{ rolearn = "${ROLE}", username = "", groups = ["system:masters"] }]`,
      ].join('\n'),
    });
  });

  test('a role ARN under userarn in mapRoles: the key renamed in place; eksctl cannot see the row', () => {
    expect(fixOf({ mapRoles: `- userarn: ${ROLE}\n  username: d\n` })).toEqual({
      title: `Rename the key userarn to rolearn in mapRoles[0] (line ${LINE_OF(1)})`,
      kubectl: patchLine({ mapRoles: `- rolearn: ${ROLE}\n  username: d\n` }),
      eksctl: NO_EKSCTL('mapRoles', 'rolearn', 'userarn'),
      aws: NO_AWS,
      terraform: [TF_HEAD, `aws_auth_roles = [{ rolearn = "${ROLE}", username = "d", groups = [] }]`].join('\n'),
    });
  });

  test('a user ARN under userarn in mapRoles without a username: moved to mapUsers', () => {
    expect(fixOf({ mapRoles: `- userarn: ${USER}\n  groups:\n    - dev\n` })).toEqual({
      title: `Move mapRoles[0] (line ${LINE_OF(1)}) to mapUsers, keeping the key userarn`,
      kubectl: patchLine({ mapRoles: '[]\n', mapUsers: `- userarn: ${USER}\n  groups:\n    - dev\n` }),
      eksctl: NO_EKSCTL('mapRoles', 'rolearn', 'userarn'),
      aws: NO_AWS,
      terraform: [TF_HEAD, `aws_auth_users = [{ userarn = "${USER}", username = "", groups = ["dev"] }]`].join('\n'),
    });
  });

  test('a federated-user ARN under rolearn in mapUsers: renamed to userarn, kept in mapUsers', () => {
    const FED = `arn:aws:sts::${ACCOUNT}:federated-user/bob`;
    const fix = fixOf({ mapUsers: `- rolearn: ${FED}\n  username: d\n` });
    expect(fix.kubectl).toBe(patchLine({ mapUsers: `- userarn: ${FED}\n  username: d\n` }));
    expect(fix.eksctl).toBe(NO_EKSCTL('mapUsers', 'userarn', 'rolearn'));
    expect(fix.terraform).toBe(
      [TF_HEAD, `aws_auth_users = [{ userarn = "${FED}", username = "d", groups = [] }]`].join('\n'),
    );
  });

  test('an empty misplaced key: a hand edit with a placeholder ARN', () => {
    expect(fixOf({ mapRoles: '- userarn: ""\n  username: bob\n' })).toMatchObject({
      kubectl: HAND_EDIT(`Rename the key userarn to rolearn in mapRoles[0] (line ${LINE_OF(1)})`),
      terraform: [TF_HEAD, 'aws_auth_roles = [{ rolearn = "ARN", username = "bob", groups = [] }]'].join('\n'),
    });
  });

  test.each([
    ['an empty rolearn already there', `- rolearn: ""\n  userarn: ${ROLE}\n  username: d\n`],
    ['two spellings of userarn', `- userarn: ${ROLE}\n  UserArn: ${ROLE}\n  username: d\n`],
  ])('the rename is a hand edit with %s', (_, mapRoles) => {
    expect(fixOf({ mapRoles }).kubectl).toBe(
      HAND_EDIT(`Rename the key userarn to rolearn in mapRoles[0] (line ${LINE_OF(1)})`),
    );
  });
});
