import fc from 'fast-check';
import type { RefereePrincipal, RefereeRequest } from './referee-client.js';
import { privateDnsPlaceholder } from './model-answer.js';

/**
 * aws-auth documents built from the pieces real ones are made of, written in every style YAML
 * allows, then mutated at the text level: the referee and the model must agree on all of them.
 */

const ACCOUNTS = ['111122223333', '444455556666'];
const ROLE_NAMES = ['Ops', 'ops', 'OPS', 'deploy', 'NodeRole', 'ſtaff', 'staff'];
const USER_NAMES = ['alice', 'Alice', 'bob', 'Kelvin', 'kelvin'];

const arnPrefix = fc.constantFrom('arn:aws:iam::', 'arn:aws:iam::', 'ARN:AWS:IAM::', 'arn:aws-cn:iam::');
const path = fc.constantFrom('', '', '', 'team/', 'a/b/');

const roleArn = fc
  .tuple(arnPrefix, fc.constantFrom(...ACCOUNTS), path, fc.constantFrom(...ROLE_NAMES))
  .map(([prefix, account, p, name]) => `${prefix}${account}:role/${p}${name}`);
const userArn = fc
  .tuple(arnPrefix, fc.constantFrom(...ACCOUNTS), fc.constantFrom(...USER_NAMES))
  .map(([prefix, account, name]) => `${prefix}${account}:user/${name}`);
const oddArn = fc.constantFrom(
  'arn:aws:sts::111122223333:assumed-role/Ops/session',
  ' arn:aws:iam::111122223333:role/Ops',
  'arn:aws:iam::111122223333:role/Ops ',
  '',
  'arn:aws:iam::111122223333:root',
);
const anyArn = fc.oneof(
  { weight: 4, arbitrary: roleArn },
  { weight: 3, arbitrary: userArn },
  { weight: 1, arbitrary: oddArn },
);

const templateText = fc.constantFrom(
  'ops:{{SessionName}}',
  'ops:{{SessionNameRaw}}',
  'system:node:{{EC2PrivateDNSName}}',
  '{{AccountID}}:{{SessionName}}',
  'admin',
  'kubernetes-admin',
  'key-{{AccessKeyID}}',
  'x{{Unknown}}',
  'a@b',
  '',
);
const groupText = fc.constantFrom(
  'system:masters',
  'system:bootstrappers',
  'system:nodes',
  'dev-{{SessionName}}',
  'g-{{AccountID}}',
  '{{EC2PrivateDNSName}}',
);
/** Plain scalars YAML 1.1 resolves to something other than a string. */
const specialScalar = fc.constantFrom(
  'yes',
  'No',
  'on',
  'OFF',
  'y',
  'n',
  '~',
  'null',
  'Null',
  'true',
  'False',
  '1e3',
  '0x1F',
  '012',
  '1_000',
  '.inf',
  '-.Inf',
  '.nan',
  '1e400',
  '._5',
  '12345678901234567890',
  '0o17',
  '+1',
  '3.',
  '2001-12-14',
);

/** A string written in one of YAML's scalar styles, sometimes with escapes only some parsers know. */
function styled(text: fc.Arbitrary<string>, indent: number): fc.Arbitrary<string> {
  const pad = ' '.repeat(indent + 2);
  return fc.oneof(
    { weight: 5, arbitrary: text.map((t) => (t === '' ? "''" : t)) },
    { weight: 2, arbitrary: text.map((t) => `'${t.replaceAll("'", "''")}'`) },
    { weight: 2, arbitrary: text.map((t) => JSON.stringify(t)) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          text,
          fc.constantFrom(
            '\\/',
            '\\t',
            '\\x41',
            '\\u00e9',
            '\\N',
            '\\_',
            '\\L',
            '\\P',
            '\\e',
            '\\ud800',
            '\\U0001F600',
            '\\0',
            '\\ ',
            '\\q',
          ),
        )
        .map(([t, escape]) => `"${t}${escape}"`),
    },
    { weight: 1, arbitrary: text.map((t) => `|\n${pad}${t}`) },
    { weight: 1, arbitrary: text.map((t) => `>-\n${pad}${t}`) },
    { weight: 1, arbitrary: text.map((t) => `!!str ${t === '' ? "''" : t}`) },
    { weight: 1, arbitrary: specialScalar },
  );
}

const roleKeys = {
  arn: fc.constantFrom('rolearn', 'rolearn', 'rolearn', 'roleARN', 'RoleArn', 'ROLEARN', 'userarn', 'role_arn'),
  username: fc.constantFrom('username', 'username', 'username', 'userName', 'USERNAME', 'uſername', 'user'),
  groups: fc.constantFrom('groups', 'groups', 'groups', 'Groups', 'group'),
};
const userKeys = {
  arn: fc.constantFrom('userarn', 'userarn', 'userarn', 'userARN', 'UserArn', 'rolearn'),
  username: roleKeys.username,
  groups: roleKeys.groups,
};

type Entry = [key: string, value: string];

/** A list of groups in one of the shapes people write (and mistype). */
function groupsValue(indent: number): fc.Arbitrary<string> {
  const item = styled(groupText, indent + 2);
  const pad = ' '.repeat(indent + 2);
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .array(item, { maxLength: 3 })
        .map((items) =>
          items.length === 0 ? '[]' : `\n${items.map((i) => `${pad}- ${i.replaceAll('\n', '\n  ')}`).join('\n')}`,
        ),
    },
    {
      weight: 3,
      arbitrary: fc
        .array(
          fc.oneof(
            groupText.map((g) => JSON.stringify(g)),
            specialScalar,
          ),
          { maxLength: 3 },
        )
        .map((items) => `[${items.join(', ')}]`),
    },
    { weight: 1, arbitrary: styled(groupText, indent) },
    { weight: 1, arbitrary: fc.constantFrom('~', '', '{a: b}', '[[x]]', '[1, null, x]') },
  );
}

function rowEntries(block: 'mapRoles' | 'mapUsers', indent: number): fc.Arbitrary<Entry[]> {
  const keys = block === 'mapRoles' ? roleKeys : userKeys;
  const arnValue = styled(anyArn, indent);
  const optional = (key: fc.Arbitrary<string>, value: fc.Arbitrary<string>): fc.Arbitrary<Entry | undefined> =>
    fc.option(fc.tuple(key, value), { freq: 6, nil: undefined });
  return fc
    .tuple(
      optional(keys.arn, arnValue),
      optional(keys.username, styled(templateText, indent)),
      optional(keys.groups, groupsValue(indent)),
      fc.option(
        fc.constantFrom<Entry>(
          ['userid', 'AROAEXAMPLE'],
          ['foo', 'bar'],
          ['username', 'again'],
          ['sso', '{permissionSetName: Admin, accountID: "111122223333"}'],
          ['sso', '{permissionSetName: Admin, accountID: "111122223333", partition: aws-cn}'],
          ['groups', '[late]'],
          ['~', 'x'],
          ['rolearn', 'arn:aws:iam::111122223333:role/dup'],
        ),
        { freq: 4, nil: undefined },
      ),
      fc.boolean(),
    )
    .map(([arn, username, groups, extra, extraFirst]) => {
      const entries = [arn, username, groups].filter((e): e is Entry => e !== undefined);
      if (extra && extraFirst) entries.unshift(extra);
      else if (extra) entries.push(extra);
      return entries;
    });
}

function blockRow(entries: Entry[], indent: number): string {
  const pad = ' '.repeat(indent);
  if (entries.length === 0) return `${pad}- {}`;
  return entries
    .map(([key, value], i) => `${pad}${i === 0 ? '- ' : '  '}${key}:${value.startsWith('\n') ? '' : ' '}${value}`)
    .join('\n');
}

const flowSafe = (value: string): string =>
  value.includes('\n') || value.startsWith('|') || value.startsWith('>')
    ? JSON.stringify(value.replace(/^[|>]-?\n\s*/, ''))
    : value;

function flowRow(entries: Entry[], indent: number): string {
  return `${' '.repeat(indent)}- {${entries
    .map(
      ([k, v]) =>
        `${k}: ${flowSafe(
          v.trim().startsWith('-')
            ? `[${v
                .trim()
                .split('\n')
                .map((l) => l.trim().replace(/^- /, ''))
                .join(', ')}]`
            : v,
        )}`,
    )
    .join(', ')}}`;
}

function rowsBlock(block: 'mapRoles' | 'mapUsers'): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(0, 0, 2), fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 9 })), { maxLength: 5 }))
    .chain(([indent, shapes]) =>
      fc.tuple(...shapes.map(() => rowEntries(block, indent))).map((rows) =>
        rows
          .map((entries, i) => {
            const [flow, comment] = shapes[i] ?? [false, 0];
            const row = flow ? flowRow(entries, indent) : blockRow(entries, indent);
            return comment === 0 ? `${' '.repeat(indent)}# row ${i}\n${row}` : row;
          })
          .join('\n'),
      ),
    )
    .chain((text) =>
      fc.oneof(
        { weight: 6, arbitrary: fc.constant(text) },
        {
          weight: 1,
          arbitrary: fc.constant(
            `${text}\n- &base\n  username: shared\n  groups: [system:masters]\n  rolearn: arn:aws:iam::111122223333:role/base\n- <<: *base\n  rolearn: arn:aws:iam::111122223333:role/Ops\n- rolearn: arn:aws:iam::444455556666:role/deploy\n  <<: *base`,
          ),
        },
        {
          weight: 1,
          arbitrary: fc.constant(
            `${text}\n---\n- rolearn: arn:aws:iam::111122223333:role/Ops\n  username: second-doc\n  groups: [system:masters]`,
          ),
        },
        {
          weight: 1,
          arbitrary: fc.constant(
            `- {rolearn: arn:aws:iam::111122223333:role/Ops, userarn: arn:aws:iam::111122223333:user/alice, username: json, groups: [a]}\n${text}`,
          ),
        },
      ),
    );
}

/** JSON written by hand or by tools: both `[` (YAML path) and `{` (raw JSON path). */
const jsonBlock = fc.constantFrom(
  '[{"rolearn":"arn:aws:iam::111122223333:role/Ops","username":"json:{{SessionName}}","groups":["system:masters"]}]',
  '[{"userarn":"arn:aws:iam::111122223333:user/alice","username":"alice","groups":["g"]}]',
  '[{"rolearn":"arn:aws:iam::111122223333:role/Ops","username":"a\\/b","groups":[]}]',
  '{"rolearn":"arn:aws:iam::111122223333:role/Ops"}',
  ' \u0085{"a": 1}',
  '\ufeff[{"rolearn":"arn:aws:iam::111122223333:role/Ops","username":"bom"}]',
  '[{"rolearn":"arn:aws:iam::111122223333:role/Ops","username":"x","username":"y","UserName":"z"}]',
);

const accountsBlock = fc
  .array(
    fc.constantFrom(
      '111122223333',
      '"444455556666"',
      "'111122223333'",
      '012345678901',
      '1e3',
      '~',
      '{a: b}',
      '[x]',
      'yes',
      '0x1F',
      '444455556666 # note',
      '!!binary MTExMTIyMjIzMzMz',
      '.inf',
    ),
    { maxLength: 4 },
  )
  .chain((items) =>
    fc.constantFrom(
      items.map((i) => `- ${i}`).join('\n'),
      `[${items.join(', ')}]`,
      items.map((i) => `  - ${i}`).join('\n'),
    ),
  );

/**
 * Edits with a known meaning for go-yaml v2, applied to a whole document: line-break styles, a BOM,
 * tabs, control characters in a comment, directives, document markers.
 */
const DOCUMENT_EDITS = {
  none: (t: string) => t,
  crlf: (t: string) => t.replaceAll('\n', '\r\n'),
  cr: (t: string) => t.replaceAll('\n', '\r'),
  nel: (t: string) => t.replaceAll('\n', '\u0085'),
  // One BOM: after a second one go-yaml's columns are not the model's (README, known divergences).
  bom: (t: string) => (t.startsWith('\ufeff') ? t : `\ufeff${t}`),

  tabAfterColon: (t: string) => t.replaceAll(': ', ':\t'),
  tabTrailing: (t: string) => t.replaceAll('\n', '\t\n'),
  tabIndent: (t: string) => t.replace(/\n {2}/, '\n\t'),
  tabLine: (t: string) => t.replace('\n', '\n\t\n'),
  dashTab: (t: string) => t.replace('- ', '-\t'),
  controlInComment: (t: string) => `# note \u0001\n${t}`,
  delInComment: (t: string) => `# note \u007f\n${t}`,
  c1InValue: (t: string) => t.replace('system:masters', 'system:\u0086masters'),
  nbsp: (t: string) => t.replace('system:masters', 'system:\u00a0masters'),
  yaml12: (t: string) => `%YAML 1.2\n---\n${t}`,
  yaml11: (t: string) => `%YAML 1.1\n---\n${t}`,
  startMarker: (t: string) => `---\n${t}`,
  endMarker: (t: string) => `${t}\n...\n`,
  garbageAfterEnd: (t: string) => `${t}\n...\n] "\t`,
  quoteEscape: (t: string) => t.replace(/: "([^"\\\n]*)"/, `: "$1\\'"`),
  quotedContinuation: (t: string) => t.replace(/: "([^"\\\n]*)"/, ': "$1\n\t+"'),
  brokenSecondDoc: (t: string) => `${t}\n---\n: [broken`,
  trailingSpaces: (t: string) => t.replaceAll('\n', '   \n'),
  leadingBlank: (t: string) => `\n\n${t}`,
};
type DocumentEdit = keyof typeof DOCUMENT_EDITS;
const EDIT_NAMES = Object.keys(DOCUMENT_EDITS) as DocumentEdit[];

function edited(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return (
    fc
      .tuple(
        text,
        fc.oneof(
          { weight: 3, arbitrary: fc.constant<DocumentEdit>('none') },
          { weight: 2, arbitrary: fc.constantFrom(...EDIT_NAMES) },
        ),
        fc.oneof(
          { weight: 4, arbitrary: fc.constant<DocumentEdit>('none') },
          { weight: 1, arbitrary: fc.constantFrom(...EDIT_NAMES) },
        ),
      )
      // A BOM goes last: go-yaml accepts one only at the very start of the text.
      .map(([t, first, second]) =>
        first === 'bom'
          ? DOCUMENT_EDITS.bom(DOCUMENT_EDITS[second](t))
          : DOCUMENT_EDITS[second](DOCUMENT_EDITS[first](t)),
      )
  );
}

/** One-character edits anywhere: a hunt for parser edges (scripts, not the CI property). */
const MUTATION_TEXT = [
  '\t',
  '\r',
  '\r\n',
  '\u0085',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\u0001',
  '\u007f',
  '\u0086',
  '\ufffe',
  '#',
  ':',
  '- ',
  ' ',
  '"',
  "'",
  '&a ',
  '*a',
  '!',
  '!!null ',
  '{',
  '}',
  '[',
  ']',
  ',',
  '|',
  '>',
  '%YAML 1.2\n',
  '---\n',
  '...\n',
  '@',
  '`',
  '\\',
  '? ',
  '\u00a0',
  '\n\t\n',
];

export function mutated(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.constantFrom(...MUTATION_TEXT), fc.constantFrom('insert', 'replace'));
  return fc.tuple(text, fc.array(edit, { minLength: 1, maxLength: 2 })).map(([t, edits]) => {
    let out = t;
    for (const [position, insert, how] of edits) {
      const at = out.length === 0 ? 0 : position % (out.length + 1);
      out = out.slice(0, at) + insert + out.slice(how === 'replace' ? at + 1 : at);
    }
    return out;
  });
}

const blockValue = (block: 'mapRoles' | 'mapUsers') =>
  fc.oneof(
    { weight: 8, arbitrary: rowsBlock(block) },
    { weight: 1, arbitrary: jsonBlock },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        '  ',
        '""',
        "''",
        '``',
        ' `` ',
        '~',
        'null',
        '[]',
        '{}',
        'x',
        '- x',
        '---',
        '- rolearn: a\n---\n: broken',
      ),
    },
  );

const principal: fc.Arbitrary<RefereePrincipal> = fc
  .tuple(
    fc.constantFrom(...ACCOUNTS),
    fc.oneof(
      fc.constantFrom(...ROLE_NAMES.filter((n) => /^[\w+=,.@-]+$/.test(n))).map((n) => `role/${n}`),
      fc.constantFrom(...USER_NAMES).map((n) => `user/${n}`),
      fc.constantFrom('role/base', 'role/dup', 'role/other', 'role/AWSReservedSSO_Admin_0123456789abcdef'),
    ),
    fc.constantFrom('session', 'i-0123456789abcdef0', 'i-01234567', 'a@b.c', 'fargate-ip-10-0-0-1', ''),
  )
  .map(([account, resource, session]) => {
    const isRole = resource.startsWith('role/');
    const sessionName = isRole ? session || 'session' : '';
    return {
      canonicalArn: `arn:aws:iam::${account}:${resource}`,
      accountId: account,
      sessionName,
      // The model does not know the access key id offline and leaves the variable in place.
      accessKeyId: '{{AccessKeyID}}',
      privateDnsName: privateDnsPlaceholder(sessionName),
    };
  });

const presentOrNot = <T>(a: fc.Arbitrary<T>) => fc.option(a, { freq: 5, nil: undefined });

/** Documents in every style, with the document-level edits whose meaning is known. */
export const refereeRequest = requestOf(edited);
/** The same with random one-character edits: parser edges no one writes on purpose. */
export const mutatedRefereeRequest = requestOf((text) => mutated(edited(text)));

function requestOf(transform: (text: fc.Arbitrary<string>) => fc.Arbitrary<string>): fc.Arbitrary<RefereeRequest> {
  return fc
    .tuple(
      presentOrNot(transform(blockValue('mapRoles'))),
      presentOrNot(transform(blockValue('mapUsers'))),
      presentOrNot(transform(accountsBlock)),
      fc.array(principal, { minLength: 1, maxLength: 4 }),
    )
    .map(([mapRoles, mapUsers, mapAccounts, principals]) => ({
      data: {
        ...(mapRoles !== undefined ? { mapRoles } : {}),
        ...(mapUsers !== undefined ? { mapUsers } : {}),
        ...(mapAccounts !== undefined ? { mapAccounts } : {}),
      },
      principals,
    }));
}
