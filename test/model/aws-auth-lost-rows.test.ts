import { describe, expect, it } from 'vitest';
import { recoverLostRows } from '../../src/model/aws-auth/lost-rows.js';

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
