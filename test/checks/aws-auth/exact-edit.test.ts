import { describe, expect, test } from 'vitest';
import { parseDocument, isMap, type YAMLMap } from 'yaml';
import {
  blockDocument,
  cleanShape,
  dataNode,
  decodeAs,
  decodesAsPlanned,
  exactPatchLines,
  fieldPairs,
  renameKey,
  rowMap,
  rowsOf,
  rowsPlan,
  setField,
  shapeOf,
  textOf,
  type RowShape,
} from '../../../checks/aws-auth/_exact-edit.js';
import { commandsOf, renderScript } from '../../../src/core/command.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, awsAuthFromText } from '../../helpers/evidence.js';
import { configMapText, row } from './_configmap.js';

const A = `arn:aws:iam::${ACCOUNT}:role/A`;
const B = `arn:aws:iam::${ACCOUNT}:role/B`;
const evidenceOf = (data: Record<string, string>): Evidence => ({ awsAuth: awsAuthFromText(configMapText(data)) });
const configMapOf = (evidence: Evidence) => {
  if (evidence.awsAuth?.state !== 'present') throw new Error('not present');
  return evidence.awsAuth.configMap;
};
const shape = (arn: string, username: string, groups: string[], more: Partial<RowShape> = {}): RowShape => ({
  arn,
  username,
  groups,
  dropped: false,
  ...more,
});
/** The text a value is written as, inside a one-key mapping. */
const written = (value: unknown): string => {
  const doc = parseDocument('{}', { schema: 'failsafe' });
  doc.contents = dataNode(doc, { k: value }) as typeof doc.contents;
  return doc.toString({ lineWidth: 0 });
};

describe('dataNode: strings go-yaml v2 (YAML 1.1) would read otherwise are quoted', () => {
  test.each([
    ['an ARN', A],
    ['a node username', 'system:node:{{EC2PrivateDNSName}}'],
    ['a name with the IAM punctuation', 'a_b.c@d+e=f,g-h'],
    ['a leading slash', '/path/x'],
    ['a leading underscore', '_x'],
    ['a word merely starting like a YAML 1.1 word', 'yesterday'],
    ['one letter that is no YAML 1.1 word', 'x'],
  ])('plain: %s', (_, value) => {
    expect(written(value)).toBe(`k: ${value}\n`);
  });

  test.each([
    ['yes', 'yes'],
    ['Y', 'Y'],
    ['n', 'n'],
    ['NO', 'NO'],
    ['True', 'True'],
    ['false', 'false'],
    ['on', 'on'],
    ['Off', 'Off'],
    ['null', 'null'],
    ['a number', '0123'],
    ['a leading template', '{{SessionName}}'],
    ['a space', 'a b'],
    ['a colon and space', 'a:b: c'],
    ['a space and hash', 'a #b'],
    ['empty', ''],
    ['a leading dash', '-x'],
    ['a tilde', '~'],
  ])('quoted: %s', (_, value) => {
    expect(written(value)).toBe(`k: ${JSON.stringify(value)}\n`);
  });

  test('each item of a list on its own', () => {
    expect(written(['dev', 'on', 'system:masters'])).toBe('k:\n  - dev\n  - "on"\n  - system:masters\n');
  });
});

describe('shapes', () => {
  test('shapeOf: a decoded row as it must decode again; cleanShape: a corrected row, clean', () => {
    const mapRoles = `${row('rolearn', A, 'a', ['g'])}- sso:\n    permissionSetName: Admin\n    accountID: "${ACCOUNT}"\n  username: s\n- username: nobody\n`;
    const rows = rowsOf(configMapOf(evidenceOf({ mapRoles })), 'mapRoles');
    expect(rows.map(shapeOf)).toEqual([
      { arn: A, username: 'a', groups: ['g'], dropped: false },
      {
        arn: '',
        username: 's',
        groups: [],
        sso: { permissionSetName: 'Admin', accountID: ACCOUNT, partition: '' },
        dropped: false,
      },
      { arn: '', username: 'nobody', groups: [], dropped: true },
    ]);
    const groups = ['g'];
    const clean = cleanShape({ arn: A, username: 'a', groups });
    expect(clean).toEqual({ arn: A, username: 'a', groups: ['g'], dropped: false, clean: true });
    expect(clean.groups).not.toBe(groups);
  });

  test('rowsOf: the rows of one block, in order', () => {
    const configMap = configMapOf(
      evidenceOf({
        mapRoles: `${row('rolearn', A)}${row('rolearn', B)}`,
        mapUsers: row('userarn', 'arn:aws:iam::1:user/u'),
      }),
    );
    expect(rowsOf(configMap, 'mapRoles').map((r) => [r.block, r.index, r.arn])).toEqual([
      ['mapRoles', 0, A],
      ['mapRoles', 1, B],
    ]);
    expect(rowsOf(configMap, 'mapUsers').map((r) => [r.block, r.index])).toEqual([['mapUsers', 0]]);
  });
});

describe('blockDocument', () => {
  test('a block as a document that keeps repeated keys and every scalar as written', () => {
    const doc = blockDocument(
      evidenceOf({ mapRoles: `- rolearn: ${A}\n  username: 0123\n  username: b\n` }),
      'mapRoles',
    );
    expect(doc && textOf(doc)).toBe(`- rolearn: ${A}\n  username: 0123\n  username: b\n`);
  });

  test('a blank block is an empty list', () => {
    const doc = blockDocument(evidenceOf({ mapRoles: '  \n' }), 'mapRoles');
    expect(doc && textOf(doc)).toBe('[]\n');
  });

  test.each<[string, Evidence]>([
    ['aws-auth absent', { awsAuth: { state: 'absent' } }],
    ['no such block', evidenceOf({ mapUsers: row('userarn', 'arn:aws:iam::1:user/u') })],
    ['a block EKS drops', evidenceOf({ mapRoles: `- rolearn: ${A}\n  username: {{SessionName}}\n` })],
    ['a null block (EKS reads no rows, the library no list)', evidenceOf({ mapRoles: '~\n' })],
    ['a second document the library refuses', evidenceOf({ mapRoles: `- rolearn: ${A}\n---\n- [\n` })],
  ])('none: %s', (_, evidence) => {
    expect(blockDocument(evidence, 'mapRoles')).toBeUndefined();
  });
});

describe('rowMap, fieldPairs, setField, renameKey, textOf', () => {
  const doc = () =>
    parseDocument(`- RoleArn: ${A}\n  USERNAME: a\n  username: b\n- just text\n`, {
      uniqueKeys: false,
      schema: 'failsafe',
    });

  test('rowMap: the mapping at an index, if it is one', () => {
    const d = doc();
    expect(isMap(rowMap(d, 0))).toBe(true);
    expect(rowMap(d, 1)).toBeUndefined();
    expect(rowMap(d, 2)).toBeUndefined();
    expect(rowMap(parseDocument('a: b'), 0)).toBeUndefined();
  });

  test('fieldPairs: every pair of a field, however cased; non-scalar keys match nothing', () => {
    const map = rowMap(doc(), 0) as YAMLMap;
    expect(fieldPairs(map, 'username').map((p) => String((p.value as { value: string }).value))).toEqual(['a', 'b']);
    expect(fieldPairs(map, 'ROLEARN')).toHaveLength(1);
    expect(fieldPairs(map, 'groups')).toEqual([]);
  });

  test('setField: sets the first key in whatever case, else adds the field; values quoted for YAML 1.1', () => {
    const d = doc();
    const map = rowMap(d, 0) as YAMLMap;
    setField(d, map, 'username', 'yes');
    setField(d, map, 'groups', ['g', 'off']);
    expect(textOf(d)).toBe(
      `- RoleArn: ${A}\n  USERNAME: "yes"\n  username: b\n  groups:\n    - g\n    - "off"\n- just text\n`,
    );
  });

  test('renameKey keeps the value and position', () => {
    const d = doc();
    const map = rowMap(d, 0) as YAMLMap;
    const [pair] = fieldPairs(map, 'rolearn');
    if (!pair) throw new Error('no pair');
    renameKey(d, pair, 'rolearn');
    expect(textOf(d)?.split('\n')[0]).toBe(`- rolearn: ${A}`);
  });

  test('textOf: undefined when the library cannot write the document', () => {
    expect(textOf(parseDocument('[a'))).toBeUndefined();
  });
});

describe('decodeAs', () => {
  test('rows of a role or user block, accounts of mapAccounts; undefined when EKS drops it', () => {
    expect(decodeAs(`- rolearn: ${A}\n  username: "yes"\n`, 'mapRoles')).toEqual({
      rows: [{ arn: A, username: 'yes', groups: [], dropped: false }],
      accounts: [],
    });
    expect(decodeAs(`- userarn: arn:aws:iam::${ACCOUNT}:user/u\n`, 'mapUsers')?.rows).toEqual([
      { arn: `arn:aws:iam::${ACCOUNT}:user/u`, username: '', groups: [], dropped: false },
    ]);
    expect(decodeAs(`- "${ACCOUNT}"\n- "444455556666"\n`, 'mapAccounts')).toEqual({
      rows: [],
      accounts: [ACCOUNT, '444455556666'],
    });
    expect(decodeAs(`- rolearn: ${A}\n  username: {{x}}\n`, 'mapRoles')).toBeUndefined();
  });
});

describe('decodesAsPlanned', () => {
  const base = evidenceOf({ mapRoles: `${row('rolearn', A, 'a', ['g'])}${row('rolearn', B, 'b', ['h'])}` });
  const rows = [shape(A, 'a', ['g']), shape(B, 'b', ['h'])];
  const text = (a: string) => `${row('rolearn', A, a, ['g'])}${row('rolearn', B, 'b', ['h'])}`;

  test('true when every row decodes as planned', () => {
    expect(decodesAsPlanned(base, { data: { mapRoles: text('a') }, rows: { mapRoles: rows } })).toBe(true);
    expect(decodesAsPlanned(base, { data: { mapRoles: text('x') } })).toBe(true);
  });

  test.each<[string, string, RowShape[]]>([
    ['another username', text('x'), rows],
    ['another ARN', text('a'), [shape(B, 'a', ['g']), rows[1] as RowShape]],
    ['another group', text('a'), [shape(A, 'a', ['x']), rows[1] as RowShape]],
    ['one group more', text('a'), [shape(A, 'a', ['g', 'h']), rows[1] as RowShape]],
    ['one group less', text('a'), [shape(A, 'a', []), rows[1] as RowShape]],
    ['a row less', text('a'), [rows[0] as RowShape]],
    ['a row more', text('a'), [...rows, shape(A, 'a', ['g'])]],
    ['a row planned dropped', text('a'), [shape(A, 'a', ['g'], { dropped: true }), rows[1] as RowShape]],
    [
      'an sso row planned',
      text('a'),
      [
        shape(A, 'a', ['g'], { sso: { permissionSetName: 'P', accountID: ACCOUNT, partition: 'aws' } }),
        rows[1] as RowShape,
      ],
    ],
    ['a block EKS drops', `- rolearn: ${A}\n  username: {{x}}\n`, rows],
    [
      'a type error in a row that must be clean',
      `- rolearn: ${A}\n  username: a\n  groups: g\n${row('rolearn', B, 'b', ['h'])}`,
      [shape(A, 'a', [], { clean: true }), rows[1] as RowShape],
    ],
    [
      'a repeated key in a row that must be clean',
      `- rolearn: ${A}\n  username: a\n  username: a\n  groups: [g]\n${row('rolearn', B, 'b', ['h'])}`,
      [shape(A, 'a', ['g'], { clean: true }), rows[1] as RowShape],
    ],
    [
      'an unknown key in a row that must be clean',
      `- rolearn: ${A}\n  usr: a\n  username: a\n  groups: [g]\n${row('rolearn', B, 'b', ['h'])}`,
      [shape(A, 'a', ['g'], { clean: true }), rows[1] as RowShape],
    ],
  ])('false: %s', (_, mapRoles, want) => {
    expect(decodesAsPlanned(base, { data: { mapRoles }, rows: { mapRoles: want } })).toBe(false);
  });

  test('clean: a type error in another row does not count against this one', () => {
    const mapRoles = `${row('rolearn', A, 'a', ['g'])}- rolearn: ${B}\n  username: b\n  groups: h\n`;
    expect(
      decodesAsPlanned(base, {
        data: { mapRoles },
        rows: { mapRoles: [shape(A, 'a', ['g'], { clean: true }), shape(B, 'b', [])] },
      }),
    ).toBe(true);
  });

  test('the sso of a row is compared', () => {
    const sso = `- sso:\n    permissionSetName: P\n    accountID: "${ACCOUNT}"\n  username: s\n`;
    const evidence = evidenceOf({ mapRoles: sso });
    const want = (permissionSetName: string) => ({
      mapRoles: [shape('', 's', [], { sso: { permissionSetName, accountID: ACCOUNT, partition: '' } })],
    });
    expect(decodesAsPlanned(evidence, { data: { mapRoles: sso }, rows: want('P') })).toBe(true);
    expect(decodesAsPlanned(evidence, { data: { mapRoles: sso }, rows: want('Q') })).toBe(false);
  });

  test('a miscased key written but not removed: EKS still ignores it', () => {
    const evidence = evidenceOf({ maproles: row('rolearn', A) });
    expect(decodesAsPlanned(evidence, { data: { maproles: row('rolearn', B) } })).toBe(false);
    expect(decodesAsPlanned(evidence, { data: { maproles: null, mapRoles: row('rolearn', A) } })).toBe(true);
  });

  test('accounts: exactly the planned ids, in order, from a block that reads clean', () => {
    const evidence = evidenceOf({ mapAccounts: `- "${ACCOUNT}"\n` });
    const plan = (mapAccounts: string, accounts: string[]) =>
      decodesAsPlanned(evidence, { data: { mapAccounts }, accounts });
    expect(plan(`- "${ACCOUNT}"\n- "444455556666"\n`, [ACCOUNT, '444455556666'])).toBe(true);
    expect(plan(`- "${ACCOUNT}"\n- "444455556666"\n`, ['444455556666', ACCOUNT])).toBe(false);
    expect(plan(`- "${ACCOUNT}"\n- "444455556666"\n`, [ACCOUNT])).toBe(false);
    expect(plan(`- "${ACCOUNT}"\n`, [ACCOUNT, '444455556666'])).toBe(false);
    expect(plan(`- "${ACCOUNT}"\n- [x]\n`, [ACCOUNT])).toBe(false);
    expect(plan(`- "${ACCOUNT}"\n- {{x}}\n`, [ACCOUNT])).toBe(false);
  });

  test('no aws-auth read: nothing decodes', () => {
    expect(decodesAsPlanned({ awsAuth: { state: 'absent' } }, { data: { mapRoles: '[]' } })).toBe(false);
  });
});

describe('exactPatchLines', () => {
  const evidence: Evidence = {
    awsAuth: awsAuthFromText(
      configMapText({ mapRoles: row('rolearn', A, 'a', ['g']) }).replace(
        'namespace: kube-system',
        'namespace: kube-system\n  resourceVersion: "42"',
      ),
    ),
  };

  test('the notes as comments, then the merge patch at the version read', () => {
    const lines = exactPatchLines(evidence, { data: { mapRoles: row('rolearn', B, 'b', []) } }, ['first', 'second']);
    expect(renderScript(lines?.slice(0, 2) ?? [])).toBe('# first\n# second');
    expect(commandsOf(lines ?? []).map((c) => c.argv)).toEqual([
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
        JSON.stringify({ metadata: { resourceVersion: '42' }, data: { mapRoles: row('rolearn', B, 'b', []) } }),
      ],
    ]);
    expect(exactPatchLines(evidence, { data: { mapRoles: '[]\n' } })).toHaveLength(1);
  });

  test('undefined without a plan, or when the plan does not decode as intended', () => {
    expect(exactPatchLines(evidence, undefined)).toBeUndefined();
    expect(
      exactPatchLines(evidence, {
        data: { mapRoles: row('rolearn', B, 'b', []) },
        rows: { mapRoles: [shape(A, 'a', [])] },
      }),
    ).toBeUndefined();
  });
});

describe('rowsPlan', () => {
  const three = `${row('rolearn', A, 'a', ['g'])}${row('rolearn', B, 'b', ['h'])}- rolearn: ${A}x # keep me\n  username: 0777\n`;
  const evidence = evidenceOf({ mapRoles: three });

  test('deletes rows from the end first, keeps comments and untouched text, and plans every row', () => {
    const plan = rowsPlan(evidence, { mapRoles: { rows: [{ index: 0 }, { index: 1 }] } });
    expect(plan).toEqual({
      data: { mapRoles: `- rolearn: ${A}x # keep me\n  username: 0777\n` },
      rows: { mapRoles: [shape(`${A}x`, '', [])] },
    });
  });

  test('changes a row in place with its planned shape, and appends rows at the end', () => {
    const plan = rowsPlan(evidence, {
      mapRoles: {
        rows: [
          {
            index: 1,
            mutate: (doc, map) => {
              setField(doc, map, 'username', 'yes');
              return true;
            },
            shape: shape(B, 'yes', ['h'], { clean: true }),
          },
        ],
        append: [{ row: { rolearn: B, username: 'on', groups: ['g'] }, shape: shape(B, 'on', ['g']) }],
      },
    });
    expect(plan?.data.mapRoles).toBe(
      `${row('rolearn', A, 'a', ['g'])}- rolearn: ${B}\n  username: "yes"\n  groups:\n    - h\n- rolearn: ${A}x # keep me\n  username: 0777\n- rolearn: ${B}\n  username: "on"\n  groups:\n    - g\n`,
    );
    expect(plan?.rows?.mapRoles).toEqual([
      shape(A, 'a', ['g']),
      shape(B, 'yes', ['h'], { clean: true }),
      shape(`${A}x`, '', []),
      shape(B, 'on', ['g']),
    ]);
    // Row 2 still decodes as today (0777 is a number to go-yaml v2: an empty username), as planned.
    expect(plan && decodesAsPlanned(evidence, plan)).toBe(true);
  });

  test('an absent block becomes a block list of the appended rows; a flow list is written as a block', () => {
    const users = evidenceOf({ mapRoles: `[{rolearn: ${A}, username: a}]\n` });
    const plan = rowsPlan(users, {
      mapUsers: { append: [{ row: { userarn: 'arn:aws:iam::1:user/u', groups: [] }, shape: shape('x', '', []) }] },
      mapRoles: { append: [{ row: { rolearn: B }, shape: shape(B, '', []) }] },
    });
    expect(plan?.data).toEqual({
      mapUsers: '- userarn: arn:aws:iam::1:user/u\n  groups: []\n',
      mapRoles: `- { rolearn: ${A}, username: a }\n- rolearn: ${B}\n`,
    });
  });

  test.each<[string, Evidence, Parameters<typeof rowsPlan>[1]]>([
    ['aws-auth absent', { awsAuth: { state: 'absent' } }, { mapRoles: {} }],
    ['a block EKS drops', evidenceOf({ mapRoles: `- rolearn: ${A}\n  username: {{x}}\n` }), { mapRoles: {} }],
    [
      'a row that is not a mapping',
      evidenceOf({ mapRoles: `- ${A}\n` }),
      { mapRoles: { rows: [{ index: 0, shape: shape(A, '', []) }] } },
    ],
    ['a row past the end', evidence, { mapRoles: { rows: [{ index: 3, shape: shape(A, '', []) }] } }],
    [
      'an edit that cannot be made',
      evidence,
      { mapRoles: { rows: [{ index: 0, mutate: () => false, shape: shape(A, '', []) }] } },
    ],
    [
      'a document the library cannot write',
      evidence,
      {
        mapRoles: {
          rows: [{ index: 0, mutate: (doc) => (doc.errors.push({} as never), true), shape: shape(A, '', []) }],
        },
      },
    ],
  ])('undefined: %s', (_, ev, edits) => {
    expect(rowsPlan(ev, edits)).toBeUndefined();
  });
});
