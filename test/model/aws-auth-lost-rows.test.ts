import { describe, expect, it } from 'vitest';
import { recoverLostRows } from '../../src/model/aws-auth/lost-rows.js';
import { awsAuthFrom } from '../helpers/evidence.js';

// A block go-yaml refuses loses every row: the rows are read back from the text as a person
// would read them. Expected values are what each test wrote; a row's offset is where its ARN key is.

describe('recoverLostRows', () => {
  it('reads quoted and commented values, quoted group items, and where each row starts', () => {
    const text =
      '- rolearn: "arn:aws:iam::1:role/A"  # admins\n' +
      "  username: 'ops'\n" +
      '  groups:\n' +
      '    - "system:masters"\n' +
      "    - 'viewers'\n" +
      '    - plain\n' +
      '    - key: value\n' +
      '  RoleARN :  arn:aws:iam::1:role/B\n' +
      '  UserName:   dev # x\n' +
      '\t- rolearn: [broken\n';
    expect(recoverLostRows('mapRoles', text)).toEqual([
      {
        block: 'mapRoles',
        index: 0,
        arn: 'arn:aws:iam::1:role/A',
        username: 'ops',
        groups: ['system:masters', 'viewers', 'plain'],
        at: text.indexOf('rolearn'),
      },
      {
        block: 'mapRoles',
        index: 1,
        arn: 'arn:aws:iam::1:role/B',
        username: 'dev',
        groups: [],
        at: text.indexOf('RoleARN'),
      },
      { block: 'mapRoles', index: 2, arn: '[broken', username: '', groups: [], at: text.indexOf('\t- rolearn') + 3 },
    ]);
  });

  it('reads userarn rows of mapUsers; lines before the first row belong to none', () => {
    const text = '  username: stray\n  - userarn: \'arn:aws:iam::1:user/a\'\n    username: ""\n';
    expect(recoverLostRows('mapUsers', text)).toEqual([
      {
        block: 'mapUsers',
        index: 0,
        arn: 'arn:aws:iam::1:user/a',
        username: '',
        groups: [],
        at: text.indexOf('userarn'),
      },
    ]);
  });

  it('mapAccounts has no rows', () => {
    expect(recoverLostRows('mapAccounts', '- rolearn: x\n')).toEqual([]);
  });
});

describe('lost-row indexes count every item, as the parsed rows do', () => {
  const block =
    '- username: no-arn\n' +
    '  groups:\n' +
    '    - g\n' +
    '- sso:\n' +
    '    permissionSetName: Admin\n' +
    '    accountID: "111122223333"\n' +
    '  username: sso\n' +
    '- rolearn: arn:aws:iam::111122223333:role/B\n' +
    '  username: b\n';

  it('a row after rows with no ARN keeps its place (mapRoles[2])', () => {
    expect(recoverLostRows('mapRoles', block).map((r) => [r.index, r.arn])).toEqual([
      [2, 'arn:aws:iam::111122223333:role/B'],
    ]);
  });

  it('an ARN before any item (no dash) is the first row', () => {
    expect(recoverLostRows('mapRoles', 'rolearn: arn:aws:iam::111122223333:role/A\nusername: a\n')).toMatchObject([
      { index: 0, arn: 'arn:aws:iam::111122223333:role/A', username: 'a' },
    ]);
  });

  it('the same index the parser gives the row when the block is intact', () => {
    const parsed = awsAuthFrom({ mapRoles: block });
    const configMap = parsed?.state === 'present' ? parsed.configMap : undefined;
    const intact = configMap?.roleRows.find((r) => r.arn.endsWith('role/B'));
    expect(intact?.index).toBe(2);
    const broken = awsAuthFrom({ mapRoles: `${block}- rolearn: x\n\tusername: y\n` });
    const lost = broken?.state === 'present' ? broken.configMap.lostRows : [];
    expect(lost.map((r) => [r.index, r.arn])).toEqual([
      [2, 'arn:aws:iam::111122223333:role/B'],
      [3, 'x'],
    ]);
  });
});
