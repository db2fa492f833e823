import { describe, expect, test } from 'vitest';
import {
  blockFixStep,
  closestKnown,
  correctArn,
  correctTemplate,
  correctedBlockText,
  correctedRows,
} from '../../../checks/aws-auth/_fix-rows.js';
import { commandsOf, renderScript } from '../../../src/core/command.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, awsAuthFromText } from '../../helpers/evidence.js';
import { configMapText } from './_configmap.js';

const evidenceOf = (data: Record<string, string>, extra: Partial<Evidence> = {}): Evidence => ({
  awsAuth: awsAuthFromText(configMapText(data)),
  ...extra,
});

describe('closestKnown: the template variable the author meant', () => {
  test.each([
    ['the same letters in another case', 'sessionname', 'SessionName'],
    ['spaces inside', ' Session Name ', 'SessionName'],
    ['the longer of two names sharing a start, in any case', 'SESSIONNAMERAW', 'SessionNameRaw'],
    ['a start of two names: the shorter', 'Session', 'SessionName'],
    ['a start of three letters', 'EC2', 'EC2PrivateDNSName'],
    ['a start of AccountID and AccessKeyID: the shorter', 'Acc', 'AccountID'],
    ['a start of AccessKeyID only', 'AccessK', 'AccessKeyID'],
    ['a longer name sharing a start of 7 letters with two: the shorter', 'SessionID', 'SessionName'],
    ['sharing "account"', 'AccountNumber', 'AccountID'],
    ['sharing exactly five letters', 'Sessixyzw', 'SessionName'],
    ['one letter missing', 'AcountID', 'AccountID'],
    ['three letters replaced', 'AxxxuntID', 'AccountID'],
    ['a typo in a long name', 'EC2PrivateDnsNaem', 'EC2PrivateDNSName'],
  ])('%s: %s → %s', (_, name, known) => {
    expect(closestKnown(name)).toBe(known);
  });

  test.each([
    ['two letters are too short to be a start', 'Ac'],
    ['two letters of a start', 'se'],
    ['four shared letters and far off', 'Sessxyzw'],
    ['four letters replaced', 'AxxxxntID'],
    ['an unrelated name', 'Email'],
    ['empty', ''],
  ])('none: %s (%s)', (_, name) => {
    expect(closestKnown(name)).toBeUndefined();
  });
});

describe('correctTemplate', () => {
  test('every unknown variable with a likely meaning is replaced, each occurrence', () => {
    expect(correctTemplate('{{Session}}-{{sessionname}}-{{Session}}')).toBe(
      '{{SessionName}}-{{SessionName}}-{{SessionName}}',
    );
    expect(correctTemplate('system:node:{{EC2PrivateDnsName}}')).toBe('system:node:{{EC2PrivateDNSName}}');
  });

  test('known and meaningless variables stay as written', () => {
    expect(correctTemplate('{{AccountID}}:{{Email}}:{{AcountID}}')).toBe('{{AccountID}}:{{Email}}:{{AccountID}}');
    expect(correctTemplate('plain')).toBe('plain');
  });
});

describe('correctArn: the ARN EKS can match', () => {
  test.each([
    [
      'an STS session: its role',
      `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice`,
      `arn:aws:iam::${ACCOUNT}:role/Admin`,
    ],
    [
      'an STS session in another partition, with spaces around',
      `  arn:aws-cn:sts::${ACCOUNT}:assumed-role/Admin/alice `,
      `arn:aws-cn:iam::${ACCOUNT}:role/Admin`,
    ],
    ['a role path', `arn:aws:iam::${ACCOUNT}:role/team/ops/Admin`, `arn:aws:iam::${ACCOUNT}:role/Admin`],
    ['no path', `arn:aws:iam::${ACCOUNT}:role/Admin`, `arn:aws:iam::${ACCOUNT}:role/Admin`],
    ['no path, spaces around', ` arn:aws:iam::${ACCOUNT}:role/Admin  `, `arn:aws:iam::${ACCOUNT}:role/Admin`],
    [
      'a path with no name stays (nothing to strip to)',
      `arn:aws:iam::${ACCOUNT}:role/aws-reserved/`,
      `arn:aws:iam::${ACCOUNT}:role/aws-reserved/`,
    ],
    [
      'a federated user stays',
      `arn:aws:sts::${ACCOUNT}:federated-user/bob`,
      `arn:aws:sts::${ACCOUNT}:federated-user/bob`,
    ],
    [
      'an STS session without a session name stays',
      `arn:aws:sts::${ACCOUNT}:assumed-role/Admin`,
      `arn:aws:sts::${ACCOUNT}:assumed-role/Admin`,
    ],
    [
      'an IAM assumed-role resource is no session',
      `arn:aws:iam::${ACCOUNT}:assumed-role/Admin/s`,
      `arn:aws:iam::${ACCOUNT}:assumed-role/Admin/s`,
    ],
    ['not an ARN', 'Admin', 'Admin'],
  ])('%s', (_, arn, corrected) => {
    expect(correctArn(arn)).toBe(corrected);
  });
});

const ADMIN = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const DEV = `arn:aws:iam::${ACCOUNT}:role/Dev`;
const OPS = `arn:aws:iam::${ACCOUNT}:role/Ops`;
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/Ops/alice`;
/** Row 0: a path and a misspelt variable; row 1 clean; row 2: a session ARN under a miscased key, a misspelt group. */
const THREE_ROWS = [
  '# team roles',
  `- rolearn: arn:aws:iam::${ACCOUNT}:role/team/Admin`,
  '  username: admin:{{Sessionname}}',
  '  groups:',
  '    - system:masters',
  `- rolearn: ${DEV}`,
  '  username: dev # the developers',
  '  groups:',
  '    - devs',
  `- RoleArn: ${SESSION}`,
  '  username: ops',
  '  groups: ["ops-{{AccountId}}"]',
  '',
].join('\n');

/** How the model of the authenticator reads a block: rows and diagnostics. */
const decoded = (block: 'mapRoles' | 'mapUsers', text: string) => {
  const awsAuth = awsAuthFromText(configMapText({ [block]: text }));
  if (awsAuth?.state !== 'present') throw new Error('not present');
  const { configMap } = awsAuth;
  return {
    dropped: configMap.blocks[block].dropped,
    diagnostics: configMap.blocks[block].diagnostics,
    rows: [...configMap.roleRows, ...configMap.userRows].map((r) => ({
      arn: r.arn,
      username: r.username,
      groups: r.groups,
    })),
  };
};

describe('correctedRows', () => {
  test('every row of the block in order, the changed ones with the ARN as written', () => {
    expect(correctedRows(evidenceOf({ mapRoles: THREE_ROWS }), 'mapRoles')).toEqual([
      {
        block: 'mapRoles',
        index: 0,
        arn: ADMIN,
        username: 'admin:{{SessionName}}',
        groups: ['system:masters'],
        changedFrom: `arn:aws:iam::${ACCOUNT}:role/team/Admin`,
      },
      { block: 'mapRoles', index: 1, arn: DEV, username: 'dev', groups: ['devs'] },
      {
        block: 'mapRoles',
        index: 2,
        arn: OPS,
        username: 'ops',
        groups: ['ops-{{AccountID}}'],
        changedFrom: SESSION,
      },
    ]);
  });

  test('a row changed only in its username or only in a group is changed; mapUsers ARNs are only trimmed', () => {
    const mapUsers = [
      `- userarn: arn:aws:iam::${ACCOUNT}:user/team/alice`,
      '  username: "{{session}}"',
      `- userarn: arn:aws:iam::${ACCOUNT}:user/bob`,
      '  username: bob',
      '  groups:',
      '    - a',
      '    - "{{accountid}}"',
      `- userarn: arn:aws:iam::${ACCOUNT}:user/carol`,
      '  username: carol',
      '',
    ].join('\n');
    expect(correctedRows(evidenceOf({ mapUsers }), 'mapUsers')).toEqual([
      {
        block: 'mapUsers',
        index: 0,
        arn: `arn:aws:iam::${ACCOUNT}:user/team/alice`,
        username: '{{SessionName}}',
        groups: [],
        changedFrom: `arn:aws:iam::${ACCOUNT}:user/team/alice`,
      },
      {
        block: 'mapUsers',
        index: 1,
        arn: `arn:aws:iam::${ACCOUNT}:user/bob`,
        username: 'bob',
        groups: ['a', '{{AccountID}}'],
        changedFrom: `arn:aws:iam::${ACCOUNT}:user/bob`,
      },
      { block: 'mapUsers', index: 2, arn: `arn:aws:iam::${ACCOUNT}:user/carol`, username: 'carol', groups: [] },
    ]);
    expect(correctedRows(evidenceOf({ mapUsers }), 'mapRoles')).toEqual([]);
  });

  test('no aws-auth read: no rows, no text', () => {
    expect(correctedRows({ awsAuth: { state: 'absent' } }, 'mapRoles')).toEqual([]);
    expect(correctedRows({}, 'mapRoles')).toEqual([]);
    expect(correctedBlockText({ awsAuth: { state: 'absent' } }, 'mapRoles')).toBeUndefined();
  });
});

describe('correctedBlockText', () => {
  test('a block that parses keeps its comments, key spellings and untouched values; the corrected rows decode clean', () => {
    const text = correctedBlockText(evidenceOf({ mapRoles: THREE_ROWS }), 'mapRoles');
    expect(text).toBe(
      [
        '# team roles',
        `- rolearn: ${ADMIN}`,
        '  username: admin:{{SessionName}}',
        '  groups:',
        '    - system:masters',
        `- rolearn: ${DEV}`,
        '  username: dev # the developers',
        '  groups:',
        '    - devs',
        `- RoleArn: ${OPS}`,
        '  username: ops',
        '  groups:',
        '    - ops-{{AccountID}}',
        '',
      ].join('\n'),
    );
    expect(decoded('mapRoles', text ?? '')).toEqual({
      dropped: false,
      diagnostics: [],
      rows: [
        { arn: ADMIN, username: 'admin:{{SessionName}}', groups: ['system:masters'] },
        { arn: DEV, username: 'dev', groups: ['devs'] },
        { arn: OPS, username: 'ops', groups: ['ops-{{AccountID}}'] },
      ],
    });
  });

  test('strings YAML 1.1 reads as something else stay quoted in a corrected row, and untouched rows keep their text', () => {
    // go-yaml v2 reads plain yes, on and 1_000 as a bool and a number: EKS would keep the row with
    // an empty username and no such groups (aws-auth/entry-shape), so the fix must not unquote them.
    const mapRoles = [
      `- rolearn: arn:aws:iam::${ACCOUNT}:role/team/Admin`,
      '  username: "yes"',
      '  groups:',
      '    - "on"',
      '    - "1_000"',
      '    - "{{sessionname}}"',
      `- rolearn: ${DEV}`,
      '  username: 0777',
      '',
    ].join('\n');
    const text = correctedBlockText(evidenceOf({ mapRoles }), 'mapRoles');
    expect(text).toBe(
      [
        `- rolearn: ${ADMIN}`,
        '  username: "yes"',
        '  groups:',
        '    - "on"',
        '    - "1_000"',
        '    - "{{SessionName}}"',
        `- rolearn: ${DEV}`,
        '  username: 0777',
        '',
      ].join('\n'),
    );
    expect(decoded('mapRoles', text ?? '').rows[0]).toEqual({
      arn: ADMIN,
      username: 'yes',
      groups: ['on', '1_000', '{{SessionName}}'],
    });
  });

  test('a block that does not parse is written afresh from its rows, as data that decodes', () => {
    const mapRoles = [
      `- rolearn: arn:aws:iam::${ACCOUNT}:role/team/Admin`,
      '  username: "no"',
      '  groups:',
      '    - a',
      '    - "off"',
      `- rolearn: ${DEV}`,
      '  username: {{SessionName}}',
      '',
    ].join('\n');
    const evidence = evidenceOf({ mapRoles });
    expect(evidence.awsAuth?.state === 'present' && evidence.awsAuth.configMap.blocks.mapRoles.dropped).toBe(true);
    const text = correctedBlockText(evidence, 'mapRoles');
    expect(text).toBe(
      [
        `- rolearn: ${ADMIN}`,
        '  username: "no"',
        '  groups:',
        '    - a',
        '    - "off"',
        `- rolearn: ${DEV}`,
        '  username: "{{SessionName}}"',
        '  groups: []',
        '',
      ].join('\n'),
    );
    expect(decoded('mapRoles', text ?? '')).toEqual({
      dropped: false,
      diagnostics: [],
      rows: [
        { arn: ADMIN, username: 'no', groups: ['a', 'off'] },
        { arn: DEV, username: '{{SessionName}}', groups: [] },
      ],
    });
  });

  test('a dropped mapUsers row with no username is written without one, its group quoted', () => {
    const mapUsers = `- userarn: arn:aws:iam::${ACCOUNT}:user/bob\n  groups:\n    - {{x}}\n`;
    const text = correctedBlockText(evidenceOf({ mapUsers }), 'mapUsers');
    expect(text).toBe(`- userarn: arn:aws:iam::${ACCOUNT}:user/bob\n  groups:\n    - "{{x}}"\n`);
    expect(decoded('mapUsers', text ?? '').rows).toEqual([
      { arn: `arn:aws:iam::${ACCOUNT}:user/bob`, username: '', groups: ['{{x}}'] },
    ]);
  });

  test('a blank block stays an empty list', () => {
    expect(correctedBlockText(evidenceOf({ mapRoles: '' }), 'mapRoles')).toBe('[]\n');
  });
});

describe('blockFixStep: one step rewrites the block with every row corrected', () => {
  const cluster = { name: 'prod', region: 'eu-west-1' };
  const CORRECTED = [
    '# team roles',
    `- rolearn: ${ADMIN}`,
    '  username: admin:{{SessionName}}',
    '  groups:',
    '    - system:masters',
    `- rolearn: ${DEV}`,
    '  username: dev # the developers',
    '  groups:',
    '    - devs',
    `- RoleArn: ${OPS}`,
    '  username: ops',
    '  groups:',
    '    - ops-{{AccountID}}',
    '',
  ].join('\n');

  test('kubectl patches the corrected block; eksctl re-creates each changed row; Terraform lists every row', () => {
    const step = blockFixStep(evidenceOf({ mapRoles: THREE_ROWS }, { cluster }), 'mapRoles');
    expect(step.title).toBe('Rewrite aws-auth mapRoles with every row corrected (mapRoles[0], mapRoles[2])');
    expect(step.key).toBe('aws-auth:mapRoles');
    expect(commandsOf(step.kubectl ?? []).map((c) => c.argv)).toEqual([
      [
        'kubectl',
        'patch',
        'configmap',
        'aws-auth',
        '-n',
        'kube-system',
        '--type',
        'merge',
        '-p',
        JSON.stringify({ data: { mapRoles: CORRECTED } }),
      ],
    ]);
    const target = ['--cluster', 'prod', '--region', 'eu-west-1'];
    expect(commandsOf(step.eksctl ?? []).map((c) => c.argv)).toEqual([
      [
        'eksctl',
        'delete',
        'iamidentitymapping',
        ...target,
        '--arn',
        `arn:aws:iam::${ACCOUNT}:role/team/Admin`,
        '--all',
      ],
      [
        'eksctl',
        'create',
        'iamidentitymapping',
        ...target,
        '--arn',
        ADMIN,
        '--username',
        'admin:{{SessionName}}',
        '--group',
        'system:masters',
      ],
      ['eksctl', 'delete', 'iamidentitymapping', ...target, '--arn', SESSION, '--all'],
      [
        'eksctl',
        'create',
        'iamidentitymapping',
        ...target,
        '--arn',
        OPS,
        '--username',
        'ops',
        '--group',
        'ops-{{AccountID}}',
      ],
    ]);
    expect(commandsOf(step.aws ?? [])).toEqual([]);
    expect(renderScript(step.aws ?? [])).toContain('the aws CLI cannot edit it');
    expect(step.terraform).toEqual([
      {
        kind: 'comment',
        text: 'terraform-aws-modules/eks v19 (module "eks"), or v20+ with its aws-auth submodule: the whole list',
      },
      {
        kind: 'attribute',
        name: 'aws_auth_roles',
        value: [
          { rolearn: ADMIN, username: 'admin:{{SessionName}}', groups: ['system:masters'] },
          { rolearn: DEV, username: 'dev', groups: ['devs'] },
          { rolearn: OPS, username: 'ops', groups: ['ops-{{AccountID}}'] },
        ],
      },
    ]);
  });

  test('mapUsers: Terraform aws_auth_users by userarn; a row without username gets no --username', () => {
    const bob = `arn:aws:iam::${ACCOUNT}:user/bob`;
    const step = blockFixStep(
      evidenceOf({ mapUsers: `- userarn: ${bob}\n  groups:\n    - "{{accountid}}"\n` }, { cluster }),
      'mapUsers',
    );
    expect(step.title).toBe('Rewrite aws-auth mapUsers with every row corrected (mapUsers[0])');
    expect(step.key).toBe('aws-auth:mapUsers');
    expect(commandsOf(step.eksctl ?? []).map((c) => c.argv.slice(1, 3).concat(c.argv.slice(7)))).toEqual([
      ['delete', 'iamidentitymapping', '--arn', bob, '--all'],
      ['create', 'iamidentitymapping', '--arn', bob, '--group', '{{AccountID}}'],
    ]);
    expect(step.terraform?.[1]).toEqual({
      kind: 'attribute',
      name: 'aws_auth_users',
      value: [{ userarn: bob, username: '', groups: ['{{AccountID}}'] }],
    });
  });

  test('nothing to correct: no row listed, nothing for eksctl to re-create', () => {
    const step = blockFixStep(evidenceOf({ mapRoles: `- rolearn: ${DEV}\n  username: dev\n` }), 'mapRoles');
    expect(step.title).toBe('Rewrite aws-auth mapRoles with every row corrected');
    expect(commandsOf(step.eksctl ?? [])).toEqual([]);
    expect(renderScript(step.eksctl ?? [])).toBe('# no row to re-create');
  });

  test('a block that does not parse: eksctl cannot edit it, kubectl writes it whole', () => {
    const mapRoles = `- rolearn: arn:aws:iam::${ACCOUNT}:role/team/Admin\n  username: {{SessionName}}\n`;
    const step = blockFixStep(evidenceOf({ mapRoles }), 'mapRoles');
    expect(renderScript(step.eksctl ?? [])).toBe(
      '# a mapRoles block that does not parse cannot be edited with eksctl: rewrite it with kubectl or Terraform first',
    );
    expect(commandsOf(step.kubectl ?? [])[0]?.argv.at(-1)).toBe(
      JSON.stringify({ data: { mapRoles: `- rolearn: ${ADMIN}\n  username: "{{SessionName}}"\n  groups: []\n` } }),
    );
  });

  test('aws-auth not read: nothing to patch', () => {
    const step = blockFixStep({ awsAuth: { state: 'absent' } }, 'mapRoles');
    expect(renderScript(step.kubectl ?? [])).toBe('# aws-auth was not read: nothing to patch');
    expect(commandsOf(step.kubectl ?? [])).toEqual([]);
  });
});

test('correctedRows: a mapUsers ARN with quoted spaces around it is trimmed, and counts as changed', () => {
  const bob = `arn:aws:iam::${ACCOUNT}:user/bob`;
  expect(correctedRows(evidenceOf({ mapUsers: `- userarn: " ${bob} "\n  username: bob\n` }), 'mapUsers')).toEqual([
    { block: 'mapUsers', index: 0, arn: bob, username: 'bob', groups: [], changedFrom: ` ${bob} ` },
  ]);
});
