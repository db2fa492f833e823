import type { RefereePrincipal, RefereeRequest } from './referee-client.js';

/**
 * A table of go-yaml v2 / sigs.k8s.io/yaml / encoding/json lexical rules as the authenticator meets
 * them in aws-auth: each case is one small ConfigMap `data`, and its expected decode is what the Go
 * referee answered (test/referee/lexical-answers.json, recorded by record-lexical.ts), never what
 * the TypeScript model says. The table is fast (no Go process), so it also runs under Stryker.
 */
export interface LexicalCase {
  name: string;
  data: Record<string, string>;
}

const ROLE = 'arn:aws:iam::111122223333:role/Ops';
const USER = 'arn:aws:iam::111122223333:user/alice';

export const LEXICAL_PRINCIPALS: RefereePrincipal[] = [
  {
    canonicalArn: ROLE,
    accountId: '111122223333',
    sessionName: 'i-0123456789abcdef0',
    accessKeyId: 'AKIAEXAMPLE',
    privateDnsName: '<private DNS name of i-0123456789abcdef0>',
  },
  {
    canonicalArn: USER,
    accountId: '111122223333',
    sessionName: '',
    accessKeyId: 'AKIAEXAMPLE',
    privateDnsName: '<private DNS name of >',
  },
  {
    canonicalArn: 'arn:aws:iam::444455556666:role/deploy',
    accountId: '444455556666',
    sessionName: 'ci',
    accessKeyId: 'AKIAEXAMPLE',
    privateDnsName: '<private DNS name of ci>',
  },
];

/** A mapUsers row whose group is the scalar under test: the group shows how the scalar resolved. */
const group = (scalar: string): string => `- userarn: ${USER}\n  username: alice\n  groups:\n    - ${scalar}\n`;
/** A mapRoles row whose username is the scalar under test. */
const username = (scalar: string): string => `- rolearn: ${ROLE}\n  username: ${scalar}\n  groups: [ops]\n`;

const PLAIN_SCALARS = [
  // booleans of YAML 1.1 and near misses
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE'],
  ...['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE'],
  ...['yEs', 'oN', 'tRUE', 'nO', 'oFF', 'fALSE', 'yes!', 'ye'],
  // nulls
  ...['~', 'null', 'Null', 'NULL', 'nULL', '~~'],
  // integers and floats
  ...['0', '7', '-7', '+7', '012', '08', '0o17', '0O17', '0x1F', '0X1f', '0xG', '0b101', '0B2', '1_000', '0_7'],
  ...['123456789012', '1.5', '-1.5', '.5', '-.5', '+.5', '1.', '1e3', '1E+3', '1e-3', '.5e2', '1e', '1e400'],
  ...['._5', '1._5', '1__0', '0.1_2', '1:20', '1-2', '--1', '+-1', '.', '-', '+', '0x', '0b', '0o'],
  ...['.inf', '-.Inf', '+.INF', '.NaN', '.nan', '.NAN', '.Nan', 'inf', 'NaN'],
  // strings that look like something else
  ...['system:masters', 'a b', 'a #b', "it's", 'é', '@x'],
];

const QUOTED_SCALARS = [
  "'yes'",
  '"yes"',
  "'012'",
  '"~"',
  "''",
  '""',
  "'it''s'",
  '"a\\tb"',
  '"a\\\tb"',
  '"\\x41"',
  '"\\u00e9"',
  '"\\U0001F600"',
  '"\\N\\_\\L\\P"',
  '"\\e\\a\\b\\f\\v\\0"',
  '"\\/"',
  '"\\q"',
  '"\\x4"',
  '"\\xZZ"',
  '"\\uD800"',
  '"\\U00110000"',
  '"\\\'"',
  '"\\ "',
  '"a\\\\b"',
  '"\\"q\\""',
  // hex escapes at the edges of what go-yaml accepts
  '"\\xZ4"',
  '"\\x4Z"',
  '"\\uDFFF"',
  '"\\uE000"',
  '"\\uD7FF"',
  '"\\U0010FFFF"',
];

const cases: LexicalCase[] = [
  ...PLAIN_SCALARS.map((s) => ({ name: `plain group ${JSON.stringify(s)}`, data: { mapUsers: group(s) } })),
  ...QUOTED_SCALARS.map((s) => ({ name: `quoted group ${s}`, data: { mapUsers: group(s) } })),
  ...['yes', '~', '12', '1.5', '.inf', "'yes'", '!!str 12', '!!binary YWRtaW4=', '!!binary YWRt', '!!int 12'].map(
    (s) => ({ name: `username ${s}`, data: { mapRoles: username(s) } }),
  ),
  ...['!!int abc', '!!float 1', '!!float x', '!!binary YW Rt aW4=', '!!binary YWRtaW4', '!!binary YW=t'].map((s) => ({
    name: `tagged username ${s}`,
    data: { mapRoles: username(s) },
  })),
  // mapAccounts: yaml.v2 into []string keeps each scalar's text
  ...['012345678901', '"012345678901"', '0x1F', 'yes', '~', '1e3', '.inf', '1_000', "''", '!!binary MTIz'].map((s) => ({
    name: `account ${s}`,
    data: { mapAccounts: `- ${s}\n- 111122223333\n` },
  })),
  { name: 'accounts: a map item is skipped, the rest kept', data: { mapAccounts: '- {a: 1}\n- 111122223333\n' } },
  { name: 'accounts: a list item is skipped', data: { mapAccounts: '- [1]\n- 111122223333\n' } },
  { name: 'accounts: a map is not a list', data: { mapAccounts: 'a: 1\n' } },
  { name: 'accounts: a scalar is not a list', data: { mapAccounts: '111122223333\n' } },
  { name: 'accounts: flow list', data: { mapAccounts: '[111122223333, "444455556666"]' } },
  { name: 'accounts: syntax error', data: { mapAccounts: '- a\n b: c\n' } },

  // line breaks and special characters
  { name: 'CRLF line ends', data: { mapRoles: username('ops').replace(/\n/g, '\r\n') } },
  { name: 'CR line ends', data: { mapRoles: username('ops').replace(/\n/g, '\r') } },
  { name: 'NEL line ends', data: { mapRoles: username('ops').replace(/\n/g, '\u0085') } },
  { name: 'LS line ends', data: { mapRoles: username('ops').replace(/\n/g, '\u2028') } },
  { name: 'PS line ends', data: { mapRoles: username('ops').replace(/\n/g, '\u2029') } },
  { name: 'BOM at the start', data: { mapRoles: `\ufeff${username('ops')}` } },
  { name: 'two BOMs at the start', data: { mapRoles: `\ufeff\ufeff${username('ops')}` } },
  { name: 'only a BOM', data: { mapRoles: '\ufeff', mapAccounts: '\ufeff\n' } },
  { name: 'a BOM before a comment', data: { mapUsers: '\ufeff# c\n' } },
  { name: 'BOM inside a value', data: { mapRoles: username('o\ufeffps') } },
  { name: 'BOM at a line start', data: { mapRoles: `${username('ops')}\ufeff- rolearn: x\n` } },
  { name: 'NEL inside a plain value', data: { mapUsers: group('a\u0085b') } },
  { name: 'NBSP inside a plain value', data: { mapUsers: group('a\u00a0b') } },
  { name: 'control character in a value', data: { mapUsers: group('a\u0001b') } },
  { name: 'control character in a comment', data: { mapUsers: `${group('a')}# \u0007\n` } },
  { name: 'DEL in a value', data: { mapUsers: group('a\u007fb') } },
  { name: 'U+FFFE in a value', data: { mapUsers: group('a\ufffeb') } },
  { name: 'astral character in a value', data: { mapUsers: group('a\u{1F600}b') } },
  { name: 'private-use U+E000 in a value', data: { mapUsers: group('a\ue000b') } },
  { name: 'BOM then a tab after a dash', data: { mapRoles: `\ufeff- rolearn: ${ROLE}\n-\tx\n` } },
  {
    name: 'two lines then a BOM and a tab after a dash',
    data: { mapRoles: `\ufeff\n\ufeff- rolearn: ${ROLE}\n-\tx\n` },
  },

  // tabs
  { name: 'tab as indentation', data: { mapRoles: `- rolearn: ${ROLE}\n\tusername: ops\n` } },
  { name: 'tab after spaces in indentation', data: { mapRoles: `- rolearn: ${ROLE}\n  \tusername: ops\n` } },
  { name: 'tab after a dash', data: { mapRoles: `-\trolearn: ${ROLE}\n  username: ops\n` } },
  { name: 'tab after a dash and a space', data: { mapRoles: `- \trolearn: ${ROLE}\n  username: ops\n` } },
  { name: 'tab after a colon', data: { mapRoles: `- rolearn:\t${ROLE}\n  username:\tops\n` } },
  { name: 'tab inside a plain value', data: { mapUsers: group('a\tb') } },
  { name: 'tab after a value', data: { mapUsers: group('a\t') } },
  { name: 'tab before a comment', data: { mapUsers: group('a\t# c') } },
  { name: 'line of only a tab', data: { mapRoles: `- rolearn: ${ROLE}\n\t\n  username: ops\n` } },
  { name: 'tab-indented item in a flow list', data: { mapRoles: `[{rolearn: ${ROLE},\n\tusername: ops}]` } },
  { name: 'tab inside double quotes', data: { mapUsers: group('"a\tb"') } },
  { name: 'tab indentation inside double quotes', data: { mapUsers: group('"a\n\tb"') } },
  { name: 'tab in a block scalar indent', data: { mapRoles: `- rolearn: ${ROLE}\n  username: |\n \t ops\n` } },
  { name: 'tab after a block scalar indent', data: { mapRoles: `- rolearn: ${ROLE}\n  username: |\n    o\tps\n` } },
  { name: 'tab on a leading blank block line', data: { mapRoles: `- rolearn: ${ROLE}\n  username: |\n\t\n    ops\n` } },
  { name: 'tab on a later block line', data: { mapRoles: `- rolearn: ${ROLE}\n  username: |\n    ops\n\t\n` } },
  { name: 'tab after a directive', data: { mapRoles: `%YAML 1.1\n\t---\n${username('ops')}` } },

  // block and multi-line scalars
  { name: 'literal block username', data: { mapRoles: `- rolearn: ${ROLE}\n  username: |\n    ops\n` } },
  { name: 'literal strip username', data: { mapRoles: `- rolearn: ${ROLE}\n  username: |-\n    ops\n` } },
  { name: 'literal keep username', data: { mapRoles: `- rolearn: ${ROLE}\n  username: |+\n    ops\n\n` } },
  { name: 'folded username', data: { mapRoles: `- rolearn: ${ROLE}\n  username: >\n    a\n    b\n` } },
  { name: 'literal at the end, no newline', data: { mapRoles: `- rolearn: ${ROLE}\n  username: |\n    ops` } },
  { name: 'folded at the end, no newline', data: { mapRoles: `- rolearn: ${ROLE}\n  username: >\n    ops` } },
  { name: 'literal with indicator', data: { mapRoles: `- rolearn: ${ROLE}\n  username: |2\n     ops\n` } },
  { name: 'under-indented block scalar', data: { mapRoles: `- rolearn: ${ROLE}\n  username: |\n  ops\n` } },
  { name: 'under-indented block key line', data: { mapRoles: `- username: |\n  rolearn: ${ROLE}\n` } },
  { name: 'empty literal', data: { mapRoles: `- rolearn: ${ROLE}\n  username: |\n  groups: [a]\n` } },
  { name: 'plain value over two lines', data: { mapRoles: `- rolearn: ${ROLE}\n  username: a\n    b\n` } },
  { name: 'double-quoted fold', data: { mapUsers: group('"a\n      b\n\n      c"') } },
  { name: 'double-quoted escaped line break', data: { mapUsers: group('"a\\\n      b"') } },
  { name: 'single-quoted fold', data: { mapUsers: group("'a\n      b'") } },

  // go-yaml-rules edge cases. A quoted username continued at column 0 (under-indented), which the
  // `yaml` library refuses and go-yaml reads: its value is go-yaml's scan_flow_scalar's alone.
  ...[
    ['escapes', '"a\\x41\\u00e9\\U0001F600\\t\\"b\nc"'],
    ['an escaped quote before the break', '"a\\"\nb"'],
    ['an unknown escape', '"a\\q\nb"'],
    ['a short hex escape', '"a\\x4\nb"'],
    ['a short hex escape at the very end', '"a\\x4'],
    ['a surrogate escape', '"a\\uD800\nb"'],
    ['an escape past U+10FFFF', '"a\\U00110000\nb"'],
    ['an escaped line break', '"a\\\nb"'],
    ['an escaped CRLF', '"a\\\r\nb"'],
    ['a CRLF', '"a\r\nb"'],
    ['two CRLFs', '"a\r\n\r\nb"'],
    ['a CR', '"a\rb"'],
    ['a NEL', '"a\u0085b"'],
    ['an LS', '"a\u2028b"'],
    ['a PS after a line break', '"a\n\u2029b"'],
    ['an LS between blanks', '"a \u2028 b"'],
    ['blanks around breaks', '"a \t\n \n\tb"'],
    ['a document start', '"a\n---\nb"'],
    ['a document end', '"a\n... b"'],
    ['a document start at the very end', '"a\n---'],
    ['an indented document start', '"a\n ---\nb"'],
    ['single quotes and a doubled quote', "'it''s\nb'"],
    ['single quotes and a backslash', "'a\\\nb'"],
    ['single quotes and a backslash before the quote', "'a\\'' \nb'"],
    ['an unclosed quote', '"a\nb'],
  ].map(([what = '', scalar = '']) => ({
    name: `quoted username over lines: ${what}`,
    data: { mapRoles: `- rolearn: ${ROLE}\n  username: ${scalar}\n  groups: [ops]\n` },
  })),
  { name: 'quoted key over lines', data: { mapRoles: `- rolearn: ${ROLE}\n  "user\nname": ops\n` } },
  {
    name: 'quoted key over lines, blank before the colon',
    data: { mapRoles: `- rolearn: ${ROLE}\n  "user\nname" : ops\n` },
  },
  { name: 'quoted value over lines, then a colon', data: { mapRoles: `- rolearn: ${ROLE}\n  username: "a\nb": c\n` } },
  {
    name: 'a bad alias name',
    data: { mapRoles: `- rolearn: ${ROLE}\n  username: &u ops\n- rolearn: x\n  username: *u.b\n` },
  },
  { name: 'an alias name ending at a colon', data: { mapRoles: `- &r {rolearn: ${ROLE}}\n- {*r: x}\n` } },
  ...['@', '?', ',', '`'].map((c) => ({
    name: `an empty anchor name before ${c}`,
    data: { mapRoles: `- rolearn: ${ROLE}\n  username: &${c} ops\n` },
  })),
  { name: 'an anchor name ending at a tab', data: { mapRoles: `- rolearn: ${ROLE}\n  username: &u\tops\n` } },
  {
    name: 'a tab right after a literal',
    data: { mapRoles: `- rolearn: ${ROLE}\n  username: |\n    ops\n\tgroups: [a]\n` },
  },
  {
    name: 'a tab right after a literal that keeps',
    data: { mapRoles: `- rolearn: ${ROLE}\n  username: |+\n    ops\n\n\tx\n` },
  },
  { name: 'a tab after a document end', data: { mapRoles: `${username('ops')}...\n\tx\n` } },
  { name: 'a tab starting the next document', data: { mapRoles: `${username('ops')}---\n\tx\n` } },
  {
    name: 'a tab in a quoted continuation, then a literal header at the very end',
    data: { mapRoles: `- rolearn: ${ROLE}\n  username: "a\n\tb"\n- |` },
  },
  {
    name: 'a literal whose blank first line has a space, then a tab',
    data: { mapRoles: `- rolearn: ${ROLE}\n  username: |\n \n    \tx\n` },
  },
  {
    name: 'a CRLF literal whose blank first line has a space, then a tab',
    data: { mapRoles: `- rolearn: ${ROLE}\r\n  username: |\r\n \r\n    \tx\r\n` },
  },
  {
    name: 'a CRLF literal, then a tab past its indentation',
    data: { mapRoles: `- rolearn: ${ROLE}\r\n  username: |\r\n    a\r\n    \tx\r\n` },
  },
  {
    name: 'indented root list, a tab in its first line',
    data: { mapRoles: `  - rolearn: ${ROLE}\t\n    username: ops\n- rolearn: x\n` },
  },
  {
    name: 'indented root list, a tab in a dedented line',
    data: { mapRoles: `  - rolearn: ${ROLE}\n    username: ops\n- b\tc: [\n` },
  },
  {
    name: 'indented root list, a dedented line indented by a tab',
    data: { mapRoles: `  - rolearn: ${ROLE}\n    username: ops\n\t- x\n` },
  },
  {
    name: 'indented root list, a dedented line like a marker',
    data: { mapRoles: `  - rolearn: ${ROLE}\n    username: ops\n---x\n` },
  },
  { name: 'indented root list, a dash inside its first line', data: { mapRoles: `  rolearn: a - b\n- x\n` } },
  { name: 'indented root list, a dash without a blank', data: { mapRoles: `  -x\n- y\n` } },
  {
    name: 'indented root list, then a tab-indented scalar line',
    data: { mapRoles: `  - rolearn: ${ROLE}\n    username: ops\n\tx\n` },
  },
  {
    name: 'a tab-indented line after an anchored row',
    data: { mapRoles: `- rolearn: ${ROLE}\n  username: &u ops\n\tx\n` },
  },
  {
    name: 'a tab starting the document after an end marker (past the fast path)',
    data: { mapRoles: `- rolearn: ${ROLE}\n  username: &u ops\n...\n\tx\n` },
  },

  // anchors, aliases, merge keys
  {
    name: 'alias repeats a row',
    data: { mapRoles: `- &r\n  rolearn: ${ROLE}\n  username: ops\n- *r\n` },
  },
  {
    name: 'merge key with an override after it',
    data: { mapRoles: `- &base {rolearn: x, username: base, groups: [g]}\n- <<: *base\n  rolearn: ${ROLE}\n` },
  },
  {
    name: 'merge key with an override before it',
    data: { mapRoles: `- &base {rolearn: ${ROLE}, username: base}\n- username: mine\n  <<: *base\n` },
  },
  {
    name: 'merge of a list of maps: the first wins',
    data: {
      mapRoles: `- &a {username: first}\n- &b {username: second, groups: [g]}\n- rolearn: ${ROLE}\n  <<: [*a, *b]\n`,
    },
  },
  { name: 'merge of a scalar', data: { mapRoles: `- rolearn: ${ROLE}\n  <<: x\n` } },
  { name: 'merge of a list with a scalar', data: { mapRoles: `- rolearn: ${ROLE}\n  <<: [x]\n` } },
  { name: 'quoted << is a plain key', data: { mapRoles: `- rolearn: ${ROLE}\n  "<<": {username: u}\n` } },
  { name: 'unknown alias', data: { mapRoles: `- rolearn: ${ROLE}\n  username: *nope\n` } },
  { name: 'alias to a scalar group', data: { mapUsers: `- userarn: &u ${USER}\n  groups: [*u]\n` } },
  { name: 'anchor that contains itself', data: { mapRoles: `- &a [*a]\n` } },
  {
    name: 'a small alias expansion',
    data: { mapRoles: `- &g [a, b, c]\n- rolearn: ${ROLE}\n  groups: *g\n  username: u\n` },
  },

  // keys
  {
    name: 'duplicate username, same spelling',
    data: { mapRoles: `- rolearn: ${ROLE}\n  username: a\n  username: b\n` },
  },
  { name: 'duplicate username, other case', data: { mapRoles: `- rolearn: ${ROLE}\n  UserName: a\n  username: b\n` } },
  { name: 'duplicate username, case first', data: { mapRoles: `- rolearn: ${ROLE}\n  username: a\n  Username: b\n` } },
  { name: 'long s folds to s', data: { mapRoles: `- rolearn: ${ROLE}\n  u\u017fername: a\n` } },
  {
    name: 'Kelvin sign does not fold in rolearn',
    data: { mapRoles: `- rolearn: ${ROLE}\n  username: a\n  \u212a: b\n` },
  },
  {
    name: 'duplicate groups, one null',
    data: { mapRoles: `- rolearn: ${ROLE}\n  groups: [a, b]\n  Groups: [~, c]\n` },
  },
  { name: 'null key', data: { mapRoles: `- rolearn: ${ROLE}\n  ~: x\n` } },
  { name: 'empty key', data: { mapRoles: `- rolearn: ${ROLE}\n  : x\n` } },
  { name: 'null key overridden', data: { mapRoles: `- rolearn: ${ROLE}\n  ~: x\n  null: y\n` } },
  { name: 'numeric key', data: { mapRoles: `- rolearn: ${ROLE}\n  1: x\n  1.50: y\n  true: z\n` } },
  { name: 'a key past int64', data: { mapRoles: `- rolearn: ${ROLE}\n  9223372036854775808: x\n` } },
  { name: 'a float key', data: { mapRoles: `- rolearn: ${ROLE}\n  1.50: x\n  1.5: y\n` } },
  { name: 'map as key', data: { mapRoles: `- rolearn: ${ROLE}\n  username: {{SessionName}}\n` } },
  { name: 'list as key', data: { mapRoles: `- rolearn: ${ROLE}\n  ? [a]\n  : x\n` } },
  { name: 'infinite value', data: { mapRoles: `- rolearn: ${ROLE}\n  x: .inf\n` } },
  { name: 'infinite value overridden', data: { mapRoles: `- rolearn: ${ROLE}\n  x: .inf\n  x: 1\n` } },
  { name: 'NaN in a list', data: { mapRoles: `- rolearn: ${ROLE}\n  x: [1, .nan]\n` } },
  { name: 'negative infinity', data: { mapRoles: `- rolearn: ${ROLE}\n  x: -.inf\n` } },

  // types the JSON decode meets
  { name: 'rolearn as a number', data: { mapRoles: `- rolearn: 12\n  username: u\n` } },
  { name: 'groups as a string', data: { mapRoles: `- rolearn: ${ROLE}\n  groups: ops\n` } },
  { name: 'groups with a map item', data: { mapRoles: `- rolearn: ${ROLE}\n  groups: [a, {b: c}, d]\n` } },
  { name: 'groups null', data: { mapRoles: `- rolearn: ${ROLE}\n  groups: ~\n  username: u\n` } },
  { name: 'username null', data: { mapRoles: `- rolearn: ${ROLE}\n  username: ~\n` } },
  { name: 'row null', data: { mapRoles: `- ~\n- rolearn: ${ROLE}\n` } },
  { name: 'row a string', data: { mapRoles: `- x\n- rolearn: ${ROLE}\n` } },
  { name: 'row a list', data: { mapRoles: `- [a]\n- rolearn: ${ROLE}\n` } },
  { name: 'block a map', data: { mapRoles: `rolearn: ${ROLE}\n` } },
  { name: 'block a string', data: { mapRoles: `x\n` } },
  { name: 'users block a map', data: { mapUsers: `userarn: ${USER}\n` } },
  { name: 'users block a number', data: { mapUsers: `12\n` } },
  { name: 'block a number', data: { mapRoles: `12\n` } },
  { name: 'block a bool', data: { mapRoles: `yes\n` } },
  { name: 'block null', data: { mapRoles: `~\n` } },
  { name: 'block only a comment', data: { mapRoles: `# nothing\n` } },
  { name: 'sso as a string', data: { mapRoles: `- sso: x\n  username: u\n` } },
  {
    name: 'sso with numeric account',
    data: { mapRoles: `- sso: {permissionSetName: Admin, accountID: 111122223333}\n  username: u\n` },
  },
  {
    name: 'sso with quoted account and partition',
    data: {
      mapRoles: `- sso: {permissionSetName: Admin, accountID: "111122223333", partition: aws-cn}\n  username: u\n`,
    },
  },
  { name: 'userarn in a role row', data: { mapRoles: `- userarn: ${ROLE}\n  username: u\n` } },
  { name: 'user row without userarn', data: { mapUsers: `- username: u\n- userarn: ${USER}\n` } },

  // JSON path ({ first) and flow style
  { name: 'JSON object block', data: { mapRoles: `{"rolearn": "${ROLE}"}` } },
  { name: 'JSON with a leading NEL', data: { mapRoles: `\u0085{"rolearn": "${ROLE}"}` } },
  { name: 'JSON syntax error', data: { mapRoles: `{"rolearn": }` } },
  { name: 'JSON array block', data: { mapRoles: ` [{"rolearn": "${ROLE}", "groups": ["a"]}]` } },
  {
    name: 'JSON array with an escaped slash',
    data: { mapRoles: `[{"rolearn": "arn:aws:iam::111122223333:role\\/Ops"}]` },
  },
  { name: 'flow list of flow maps', data: { mapRoles: `[{rolearn: ${ROLE}, username: u, groups: [a, b]}]` } },
  { name: 'flow map missing a comma', data: { mapRoles: `[{rolearn: ${ROLE} username: u}]` } },
  { name: 'unclosed flow list', data: { mapRoles: `[{rolearn: ${ROLE}}` } },

  // tags: go-yaml's URI characters take `,`, `[` and `]` (flow context too) and lack `#`; a blank must follow
  ...[
    '[!]',
    '[!!str]',
    '[!a, x]',
    '[!a], x]',
    '[!a]x]',
    '{!a}',
    '- !a[b] x',
    '- !a,!b x',
    '- !a#b x',
    '- !<a,b> x',
  ].map((s) => ({ name: `tag extent: mapUsers ${s}`, data: { mapUsers: s } })),
  ...['!x, ops', '!!str, ops', '!x,\tops', '!x,\n    ops', '!x]] ops', '!ops#1 ops', '!x%41 ops', '!x{ ops'].map(
    (s) => ({
      name: `tag extent: username ${s}`,
      data: { mapRoles: username(s) },
    }),
  ),
  ...['[!x]', '[!x]]', '[!x, ops]', '[!!str, ops]', '[a, !x,y b]', '!!seq, [ops]'].map((s) => ({
    name: `tag extent: groups ${s}`,
    data: { mapRoles: `- rolearn: ${ROLE}\n  username: u\n  groups: ${s}\n` },
  })),
  { name: 'tag extent: flow row', data: { mapUsers: `- {userarn: !x, username: u}` } },
  { name: 'tag extent: explicit key', data: { mapUsers: `- ? !a, x\n  : y` } },
  { name: 'tag extent: named handle', data: { mapUsers: `%TAG !e! tag:example.com,2000:\n---\n- !e!a,b x` } },
  { name: 'tag extent: named handle then #', data: { mapUsers: `%TAG !e! tag:example.com,2000:\n---\n- !e!a#b x` } },
  { name: 'tag extent: bad tag in the second document', data: { mapRoles: `${username('ops')}---\n- !a#b x\n` } },
  { name: 'tag extent: bad tag after a document end', data: { mapRoles: `${username('ops')}...\n!a#b x\n` } },
  { name: 'tag extent: bad tag after a row', data: { mapRoles: `${username('ops')}- !a#b x\n` } },
  { name: 'tag extent: error before a bad tag', data: { mapRoles: `- [a\n${username('!a#b ops')}` } },
  { name: 'tag extent: inside a quoted scalar', data: { mapRoles: username('"!a,b#c"') } },
  {
    name: 'tag extent: after a multi-line quoted scalar',
    data: { mapRoles: `- rolearn: "${ROLE}\n x"\n  username: !a, u\n` },
  },
  ...['[!a, "111122223333"]', '- !a]\n- "111122223333"', '- !a#\n- "111122223333"', '[!]', '[!!binary, MTIz]'].map(
    (s) => ({
      name: `tag extent: accounts ${s}`,
      data: { mapAccounts: s },
    }),
  ),

  // documents and directives
  { name: 'YAML 1.1 directive', data: { mapRoles: `%YAML 1.1\n---\n${username('ops')}` } },
  { name: 'YAML 1.2 directive', data: { mapRoles: `%YAML 1.2\n---\n${username('ops')}` } },
  { name: 'TAG directive', data: { mapRoles: `%TAG !e! tag:example.com,2000:\n---\n${username('ops')}` } },
  { name: 'document start', data: { mapRoles: `---\n${username('ops')}` } },
  { name: 'document end first', data: { mapRoles: `...\n${username('ops')}` } },
  { name: 'comment then document end', data: { mapRoles: `# c\n...\n${username('ops')}` } },
  { name: 'second document broken', data: { mapRoles: `${username('ops')}---\n- [\n` } },
  { name: 'second document has a control character', data: { mapRoles: `${username('ops')}---\n- a\u0001\n` } },
  {
    name: 'a control character far past the first document',
    data: { mapRoles: `${username('ops')}---\n${'# padding\n'.repeat(80)}- a\u0001\n` },
  },
  { name: 'document end then garbage', data: { mapRoles: `${username('ops')}...\n]\n` } },

  // indentation
  {
    name: 'indented root list closed by a dedent',
    data: { mapRoles: `  ${username('ops').replace(/\n /g, '\n   ')}- rolearn: x\n` },
  },
  { name: 'dedent inside an item', data: { mapRoles: `- rolearn: ${ROLE}\n username: ops\n` } },
  { name: 'over-indented key', data: { mapRoles: `- rolearn: ${ROLE}\n    username: ops\n` } },
  { name: 'space out of place in groups', data: { mapRoles: `- rolearn: ${ROLE}\n  groups:\n    - a\n     - b\n` } },
  { name: 'mapping value in a plain scalar', data: { mapRoles: `- rolearn: ${ROLE}\n  username: a: b\n` } },
  { name: 'colon without a space', data: { mapRoles: `- rolearn: ${ROLE}\n  username: a:b\n` } },
  { name: 'missing space after a dash', data: { mapRoles: `-rolearn: ${ROLE}\n` } },
  { name: 'comment without a space', data: { mapUsers: group('a#b') } },

  // duplicate rows and keying
  { name: 'role rows differing in case', data: { mapRoles: `${username('a')}${username('b').replace('Ops', 'OPS')}` } },
  {
    name: 'user rows differing in case',
    data: { mapUsers: `${group('a')}- userarn: ${USER.replace('alice', 'Alice')}\n  username: b\n` },
  },
  {
    name: 'everything at once',
    data: {
      mapRoles: username('"{{SessionName}}"'),
      mapUsers: group('yes'),
      mapAccounts: '- 444455556666\n',
    },
  },
  // go-yaml refuses where the `yaml` library reads on: the model's own lexical rules decide these
  {
    name: 'tab on a blank line under a folded scalar',
    data: { mapRoles: `- rolearn: ${ROLE}\n  username: >-\n  \t\n    ops` },
  },
  {
    name: 'tab on a blank line after block content',
    data: { mapRoles: `- rolearn: ${ROLE}\n  username: |\n    ops\n  \t\n    more\n` },
  },
  {
    name: 'tab past the indentation on a blank block line',
    data: { mapRoles: `- rolearn: ${ROLE}\n  username: |\n    ops\n    \t\n` },
  },
  { name: 'tab after block indentation', data: { mapRoles: `- rolearn: ${ROLE}\n  username: |\n    a\n     \tb\n` } },
  {
    name: 'CRLF block scalar with a tab line',
    data: { mapRoles: `- rolearn: ${ROLE}\r\n  username: |\r\n  \t\r\n    ops\r\n` },
  },
  { name: 'under-indented literal with a key-like line', data: { mapRoles: `- RoleArn: |\n  ${ROLE}\n  userName: x` } },
  { name: 'under-indented literal without a colon', data: { mapRoles: `- username: |\n  x\n  y\n` } },
  { name: 'literal indented one past its key', data: { mapRoles: `- rolearn: ${ROLE}\n  username: |\n   ops\n` } },
  { name: 'nested literal under-indented', data: { mapRoles: `- rolearn: ${ROLE}\n  groups:\n  - |\n  a\n` } },
  { name: 'literal with only blank lines then a key', data: { mapRoles: `- username: |\n\n  rolearn: ${ROLE}\n` } },
  { name: 'tab after a nested dash', data: { mapRoles: `- rolearn: ${ROLE}\n  groups:\n  -\tops\n` } },
  { name: 'tab after two dashes', data: { mapRoles: `- -\tops\n` } },
  { name: 'tab after a dash and two spaces', data: { mapRoles: `-  \trolearn: ${ROLE}\n` } },
  { name: 'backslash in single quotes', data: { mapUsers: group("'a\\qb'") } },
  { name: 'tab indentation inside single quotes', data: { mapUsers: group("'a\n\tb'") } },
  {
    name: 'tab-indented key after a literal',
    data: { mapRoles: `- rolearn: ${ROLE}\n  username: |\n    ops\n\tgroups: [a]\n` },
  },
  {
    name: 'tab-indented line in a flow row, then a literal at the very end',
    data: { mapRoles: `- {rolearn: ${ROLE},\n\tgroups: [a]}\n- username: |` },
  },
  {
    name: 'literal with tabs past its indentation',
    data: { mapRoles: `- rolearn: ${ROLE}\n  username: |\n    a\n      \tb\n     \tc\n` },
  },
  {
    name: 'BOM at the start of a quoted continuation line',
    data: { mapRoles: `- rolearn: ${ROLE}\n  username: "a\n\ufeff  b"\n` },
  },
  {
    name: 'plain value continued on a tab-indented line',
    data: { mapRoles: `- rolearn: ${ROLE}\n  username: a\n\tb\n` },
  },
  { name: 'tab then an escape error', data: { mapUsers: `-\tuserarn: x\n- "\\/"\n` } },
  { name: 'escape error then a tab', data: { mapUsers: `- "\\/"\n-\tuserarn: x\n` } },
  { name: 'escape error in a block then a tab', data: { mapUsers: `- userarn: x\n  groups: ["\\/"]\n-\ty\n` } },
  { name: 'surrogate pair escape', data: { mapUsers: group('"\\U0000D800"') } },
  { name: 'valid astral escape', data: { mapUsers: group('"\\U0001F600"') } },
  { name: 'escaped tab in double quotes', data: { mapUsers: group('"a\\\tb"') } },
  { name: 'directive then a tab line', data: { mapAccounts: '%YAML 1.1\n\t\n---\n["111122223333"]' } },
  { name: 'document start then a tab line', data: { mapRoles: '---\n\t\n' } },
  { name: 'only a tab line', data: { mapUsers: '\t\n' } },
  {
    name: 'indented root list, then a dedented list',
    data: { mapRoles: `  - rolearn: ${ROLE}\n    username: a\n- rolearn: x\n` },
  },
  {
    name: 'indented root list, comments and blanks, then a dedent',
    data: { mapRoles: `# c\n\n  - rolearn: ${ROLE}\n\n  # c\n- [\n` },
  },
  { name: 'indented root list closed by garbage', data: { mapRoles: `   - rolearn: ${ROLE}\n  - rolearn: x\n` } },
  {
    name: 'indented root list with a tab-indented line',
    data: { mapAccounts: '  - "111122223333"\n\t- "444455556666"' },
  },
  { name: 'indented root list then a document marker', data: { mapRoles: `  - rolearn: ${ROLE}\n---\n- x\n` } },
  { name: 'indented root list after a directive', data: { mapRoles: `%YAML 1.1\n---\n  - rolearn: ${ROLE}\n- [\n` } },
  { name: 'indented root that is not a list', data: { mapRoles: `  -rolearn: x\n- y\n` } },
  { name: 'indented root list with a tab in its indentation', data: { mapRoles: ` \t- rolearn: ${ROLE}\n` } },
  { name: 'document end after comments and blank lines', data: { mapUsers: '# a\n\n# b\n...\n' } },
  { name: 'document end with CRLF', data: { mapRoles: '\r\n...\r\n' } },
  { name: 'three dots then text', data: { mapRoles: `...x\n` } },
  { name: 'only three dots, no newline', data: { mapRoles: `# c\n...` } },
  { name: 'a plain line, then document end', data: { mapRoles: `x\n...\n${username('ops')}` } },
  { name: 'document start then document end', data: { mapRoles: `---\n...\n${username('ops')}` } },
  { name: 'YAML 1.2 after a comment', data: { mapRoles: `# c\n%YAML 1.2\n---\n${username('ops')}` } },
  { name: 'YAML 2.0 directive', data: { mapRoles: `%YAML 2.0\n---\n${username('ops')}` } },
  { name: 'YAML 1.1 directive with a comment', data: { mapRoles: `%YAML 1.1 # c\n---\n${username('ops')}` } },
  {
    name: 'YAML 1.2 directive of a second document',
    data: { mapRoles: `${username('ops')}...\n%YAML 1.2\n---\n- x\n` },
  },
  {
    name: 'directive line ends CRLF',
    data: { mapRoles: `%YAML 1.1\r\n---\r\n${username('ops').replace(/\n/g, '\r\n')}` },
  },
  // how much of an indented root list go-yaml reads before a dedent closes it
  { name: 'indented scalar with a dash, then a dedented item', data: { mapRoles: `  a - b\n- c\n` } },
  { name: 'indented root list whose first item is empty', data: { mapAccounts: `  -\n  - "111122223333"\n- [\n` } },
  {
    name: 'indented root list with a value ending in three dots',
    data: { mapRoles: `  - rolearn: ${ROLE}\n    username: ops...\n- [\n` },
  },
  {
    name: 'indented root list with a value ending in three dashes',
    data: { mapRoles: `  - rolearn: ${ROLE}\n    username: ops ---\n- [\n` },
  },
  {
    name: 'indented root list with a tab inside a value',
    data: { mapRoles: `  - rolearn: ${ROLE}\n    username: a\tb\n- [\n` },
  },
  {
    name: 'indented root list of two items, then garbage',
    data: { mapRoles: `  - rolearn: ${ROLE}\n    username: a\n  - rolearn: ${USER}\n    username: b\n- [\n` },
  },
  { name: 'indented root list, then garbage without a final newline', data: { mapRoles: `  - rolearn: ${ROLE}\n- [` } },
  {
    name: 'a three-dash text, then an indented root list',
    data: { mapRoles: `  a --- b\n  - rolearn: ${ROLE}\n- [\n` },
  },
  { name: 'indented root list after ---x', data: { mapRoles: `---x\n  - rolearn: ${ROLE}\n- [\n` } },
  { name: 'indented root list, a document start, garbage', data: { mapRoles: `  - rolearn: ${ROLE}\n--- [\n` } },
  // directives after other lines
  { name: 'spaces-only line before YAML 1.2', data: { mapRoles: `  \n%YAML 1.2\n---\n${username('ops')}` } },
  { name: 'plain line before YAML 1.2', data: { mapRoles: `x\n%YAML 1.2\n---\n${username('ops')}` } },
  { name: 'YAML 1.2 directive indented', data: { mapRoles: ` %YAML 1.2\n---\n${username('ops')}` } },
  { name: 'YAML 1.2 directive after a tab', data: { mapRoles: `%YAML\t1.2\n---\n${username('ops')}` } },
  // a rule's verdict kept while later nodes are checked
  {
    name: 'escape error then a block literal',
    data: { mapUsers: `- userarn: ${USER}\n  groups: ["\\/"]\n  username: |\n    ok\n` },
  },
  {
    name: 'escape error then a literal with a tab line',
    data: { mapUsers: `- userarn: ${USER}\n  groups: ["\\/"]\n  username: |\n    ok\n  \t\n` },
  },
  { name: 'tab-indented line in a second document', data: { mapRoles: `${username('ops')}---\n\tgarbage: [\n` } },
  {
    name: 'directive, then a tab-indented line in the list',
    data: { mapRoles: `%YAML 1.1\n---\n- rolearn: ${ROLE}\n\tusername: x\n` },
  },
  { name: 'tab-indented line after a quoted list item', data: { mapAccounts: `- "111122223333"\n\t- x\n` } },
  {
    name: 'block literal in the middle, no final newline',
    data: { mapRoles: `- rolearn: ${ROLE}\n  username: |\n    ops\n  groups: [a]` },
  },
  {
    name: 'literal at the end, no newline, after a flow row',
    data: { mapRoles: `- {rolearn: ${ROLE}}\n- rolearn: ${ROLE}\n  username: >-\n    ops` },
  },
  // base64 in !!binary
  ...['.YWR', 'YW.R', 'YWRtaW4=\n', '=YWR'].map((s) => ({
    name: `binary username ${JSON.stringify(s)}`,
    data: { mapRoles: `- rolearn: ${ROLE}\n  username: !!binary "${s.replace('\n', '\\n')}"\n` },
  })),
  // what the store keeps of sso rows, and accounts that are not a list
  {
    name: 'two sso rows, same permission set',
    data: {
      mapRoles: `- sso: {permissionSetName: Admin, accountID: "111122223333"}\n  username: a\n- sso: {permissionSetName: Admin, accountID: "111122223333"}\n  username: b\n`,
    },
  },
  {
    name: 'two sso rows, the second with a partition',
    data: {
      mapRoles: `- sso: {permissionSetName: Admin, accountID: "111122223333"}\n  username: a\n- sso: {permissionSetName: Admin, accountID: "111122223333", partition: aws}\n  username: b\n`,
    },
  },
  {
    name: 'two sso rows, both with a partition',
    data: {
      mapRoles: `- sso: {permissionSetName: Admin, accountID: "111122223333", partition: aws}\n  username: a\n- sso: {permissionSetName: ADMIN, accountID: "111122223333", partition: aws-cn}\n  username: b\n`,
    },
  },
  {
    name: 'sso row and a role row of the same pattern',
    data: {
      mapRoles: `- sso: {permissionSetName: Admin, accountID: "111122223333"}\n  username: a\n- rolearn: "arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_*"\n  username: b\n`,
    },
  },
  {
    name: 'sso without a permission set name',
    data: { mapRoles: `- sso: {accountID: "111122223333"}\n  username: u\n` },
  },
  {
    name: 'sso with a null account',
    data: { mapRoles: `- sso: {permissionSetName: Admin, accountID: ~}\n  username: u\n` },
  },
  { name: 'accounts: a word is not a list', data: { mapAccounts: 'abc\n' } },
  { name: 'accounts: a quoted number is not a list', data: { mapAccounts: '"12"\n' } },
  { name: 'JSON object with a trailing comma', data: { mapRoles: `{"rolearn": "${ROLE}",}` } },
  // go-yaml's reader checks 512-byte chunks: a control character near the first chunk's end
  ...[505, 510, 511, 512, 513].flatMap((at) =>
    ['é', '\u{1F600}', 'a'].map((unit) => ({
      name: `control character at byte ${at} after ${unit === 'a' ? 'ASCII' : unit === 'é' ? 'two-byte' : 'four-byte'} padding`,
      data: { mapRoles: controlCharacterAt(at, unit) },
    })),
  ),
];

/** A first document, then a comment whose padding puts a control character at byte `at` of the block. */
function controlCharacterAt(at: number, unit: string): string {
  const prefix = `${username('ops')}---\n# `;
  const room = at - Buffer.byteLength(prefix);
  const unitBytes = Buffer.byteLength(unit);
  const count = Math.floor(room / unitBytes);
  return `${prefix}${'a'.repeat(room - count * unitBytes)}${unit.repeat(count)}\u0001\n`;
}

export const LEXICAL_CASES: readonly LexicalCase[] = cases;

export const lexicalRequest = (c: LexicalCase): RefereeRequest => ({ data: c.data, principals: LEXICAL_PRINCIPALS });
