import type { LexicalCase } from './lexical-cases.js';

/**
 * A table of what go-yaml v2 decodes (tags, timestamps, keys go-yaml or sigs.k8s.io/yaml refuse and
 * the values their errors print), for src/model/aws-auth/yaml-v2.ts and v2-scalars.ts. Each case is
 * one small ConfigMap `data` (asked as lexicalRequest asks); its expected decode is the Go referee's answer, recorded into
 * yaml-v2-answers.json by record-lexical.ts, never what the TypeScript model says.
 */
const ROLE = 'arn:aws:iam::111122223333:role/Ops';
const USER = 'arn:aws:iam::111122223333:user/alice';

/** A mapRoles row whose username is the YAML under test. */
const username = (yaml: string): string => `- rolearn: ${ROLE}\n  username: ${yaml}\n  groups: [ops]\n`;

/** go-yaml v2's parseTimestamp: four layouts, a real calendar date and time. */
const TIMESTAMPS = [
  // read
  ...['2001-12-14', '2001-1-2', '2000-02-29', '2000-2-29', '2001-12-31', '2001-11-30', '2001-10-01'],
  ...['2001-12-14T21:59:43Z', '2001-12-14t21:59:43.10-05:00', '2001-12-14T21:59:43+05:30', '2001-12-14T1:2:3Z'],
  ...['2001-12-14 21:59:43.10', '2001-12-14 1:2:3', '2001-12-31 23:59:59', '2001-1-1T00:00:00.123456789Z'],
  ...['2001-12-14 21:59:43', '2001-12-14T21:59:43-00:00', '2001-12-14T12:34:56+23:59'],
  // refused
  ...['2001-02-29', '2001-13-01', '2001-00-10', '2001-12-00', '2001-12-32', '2001-04-31', '2001-11-31'],
  ...['2001-12-14 24:00:00', '2001-12-14 23:60:00', '2001-12-14 23:59:60', '2001-12-14T24:00:00Z'],
  ...['2001-12-14T23:60:00Z', '2001-12-14T23:59:60Z', '2001-12-14T21:59:43', '2001-12-14 21:59:43Z'],
  ...['2001-12-14x', 'x2001-12-14', '01-12-14', '20011-12-14', '2001-123-14', '2001-12-140', '2001/12/14'],
  ...['2001-12-14T123:00:00Z', '2001-12-14T12:345:00Z', '2001-12-14T12:34:567Z', '2001-12-14T12:34:56.Z'],
  ...['2001-12-14T12:34:56.xZ', '2001-12-14T12:34:56+0500', '2001-12-14T12:34:56+5:00', '2001-12-14T12:34:56*05:00'],
  ...['2001-12-14 12:34:56.', '2001-12-14X12:34:56Z', '2001-12-14T12:34Z', '2001-12-14  12:34:56'],
  ...['2001-12-14 12:34:56+05:00', '2001-12-14T12:34:56+05:0', '2001-12-14T12:34:56+05:000', '2001-a-14'],
  ...['2001-12-14T1a:34:56Z', '2001-12-14T12:3a:56Z', '2001-12-14T12:34:5aZ', '2001-12-14 12:34:5a'],
  ...['2001-12-14T12:34:56+0a:00', '2001-12-14T12:34:56+05:0a', '2001-12-14T:34:56Z', '2001-12-14 12:34:56.1a'],
  // what Go's time.Parse allows past the layouts: spaces, a comma, nine digits, any offset, year 0
  ...['2001-12-14 21:59:43,10', '2001-12-14T21:59:43,5Z', '2001-12-14   1:2:3', '2001-12-14 12:34:56.123456789'],
  ...['2001-12-14 12:34:56.1234567891', '2001-12-14T12:34:56.1234567891Z', '2001-12-14T12:34:56,Z'],
  ...['2001-12-14T12:34:56+25:00', '2001-12-14T12:34:56+05:61', '2001-12-14T12:34:56z', '2001-12-14\t12:34:56'],
  ...['2001-12-14 12:34', '2001-12-14T12:34:56.5', '0000-02-29', '0100-02-29', '0004-02-29', '1900-02-29'],
  ...['2400-02-29', '0000-01-31', '0099-12-31'],
  ...['12', '1.5', 'yes', '~'],
];

/** Other tags: the resolved tag must match the one written, except an int read as a !!float. */
const TAGGED = ['!!int 1.5', '!!int 0x10', '!!float 1', '!!float 9223372036854775808', '!!bool yes', '!!bool 1'];
const TAGGED_MORE = ['!!null ~', '!!null x', '!!str 1.5', '!!int 9223372036854775808', '!!float .inf', '!!float -1e-7'];

const cases: LexicalCase[] = [
  ...TIMESTAMPS.map((s) => ({ name: `timestamp ${s}`, data: { mapRoles: username(`!!timestamp ${s}`) } })),
  ...[...TAGGED, ...TAGGED_MORE].map((s) => ({ name: `tagged ${s}`, data: { mapRoles: username(s) } })),

  // keys go-yaml refuses (a collection) and sigs.k8s.io/yaml refuses (null, uint64): their errors print values with %#v
  {
    name: 'a map key holding floats, a list and a map',
    data: { mapRoles: username('{{b: 1.5, a: [x, ~, 0xFFFFFFFFFFFFFFFF, 1e6, 1e-5, -0.0], c: {e: yes, d: ~}}: v}') },
  },
  { name: 'a map key with a key given twice', data: { mapRoles: username('{{a: 1, b: 2, a: 3}: v}') } },
  {
    name: 'a map key whose keys sort by UTF-8 bytes',
    data: { mapRoles: username('{{"\u{1F600}": 1, "\ue000": 2, "a": 3}: v}') },
  },
  {
    name: 'a list key of scalars and a list',
    data: { mapRoles: `- rolearn: ${ROLE}\n  ? [a, 1.5, ~, [b, 12]]\n  : x\n` },
  },
  { name: 'an empty list key', data: { mapRoles: `- rolearn: ${ROLE}\n  ? []\n  : x\n` } },
  { name: 'an empty map key', data: { mapRoles: `- rolearn: ${ROLE}\n  ? {}\n  : x\n` } },
  {
    name: 'a uint64 key with a list value',
    data: { mapRoles: `- rolearn: ${ROLE}\n  9223372036854775808: [1e-7, yes, {b: ~, a: 1}, 123456789.0]\n` },
  },
  { name: 'a null key with a uint64 value', data: { mapRoles: `- rolearn: ${ROLE}\n  ~: 0xFFFFFFFFFFFFFFFF\n` } },
  { name: 'a null key with a float value', data: { mapRoles: `- rolearn: ${ROLE}\n  ~: 1e21\n` } },
  { name: 'a null key with a map value', data: { mapRoles: `- rolearn: ${ROLE}\n  ~: {z: 1, x: [~]}\n` } },
  { name: 'a flow null key', data: { mapRoles: `- {rolearn: ${ROLE}, : x}\n` } },
  { name: 'float keys', data: { mapRoles: `- rolearn: ${ROLE}\n  1e6: a\n  0.1: b\n  16777217.0: c\n  1e39: d\n` } },

  // a plain key over two lines in a flow collection
  { name: 'a two-line key in a flow map', data: { mapRoles: `- {rolearn: ${ROLE}, user\n  name: x}\n` } },
  { name: 'a two-line key in a flow list', data: { mapRoles: `- rolearn: ${ROLE}\n  groups: [a\n    b: c]\n` } },

  // block scalars at the very end of the block
  { name: 'a literal ends the block', data: { mapRoles: `- rolearn: ${ROLE}\n  groups: [a]\n  username: |\n    ops` } },
  { name: 'a folded value ends the block', data: { mapUsers: `- userarn: ${USER}\n  username: >\n    a\n    b` } },
  { name: 'a keep literal ends the block', data: { mapRoles: `- rolearn: ${ROLE}\n  username: |+\n    ops` } },

  // the line that closes an indented root list: go-yaml scans it, and a lexical error there fails Unmarshal
  ...[
    ['a key line', 'foo: bar\n'],
    ['a key line with CRLF', 'foo: bar\r\n'],
    ['a comment line', '# c\n'],
    ['a lone dash', '-\n'],
    ['an unclosed quote', '"abc\n'],
    ['an unknown tag handle', '!e!x y\n'],
    ['a local tag', '!foo x\n'],
    ['an at sign', '@x\n'],
    ['a bad block scalar header', '|x\n'],
    ['no final newline', 'foo: bar'],
    ['a key line, then a line go-yaml never scans', 'foo: bar\n@x\n'],
    ['a dash line, then a line go-yaml never scans', '- x\n@x\n'],
  ].map(([what, line]) => ({
    name: `indented root list closed by ${what}`,
    data: { mapRoles: `  - rolearn: ${ROLE}\n    username: ops\n${line}` },
  })),

  // mapAccounts into []string
  { name: 'accounts: a bad item after a map item', data: { mapAccounts: '- {a: 1}\n- !!int x\n- "111122223333"\n' } },
  { name: 'accounts: a timestamp item', data: { mapAccounts: '- !!timestamp 2001-12-14\n- !!timestamp 2001-13-14\n' } },
];

export const YAML_V2_CASES: readonly LexicalCase[] = cases;
