import { describe, expect, it } from 'vitest';
import { readConfigMapFile } from '../../src/model/aws-auth/configmap-file.js';
import { parseAwsAuth } from '../../src/model/aws-auth/parse.js';

// What the reader accepts: `kubectl get cm aws-auth -o yaml|json`, a manifest of several documents,
// a `kind: List`, or a bare data-style map. Positions are computed from where each test wrote its text.

/** 1-based line and column of the n-th occurrence of a marker. */
function at(text: string, marker: string, occurrence = 0): { line: number; column: number } {
  let index = -1;
  for (let i = 0; i <= occurrence; i++) index = text.indexOf(marker, index + 1);
  if (index < 0) throw new Error(`marker ${JSON.stringify(marker)} not in the text`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: (before.at(-1) ?? '').length + 1 };
}

function read(text: string) {
  const result = readConfigMapFile(text);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

const NOT_FOUND =
  'no ConfigMap found: expected the output of `kubectl get configmap aws-auth -n kube-system -o yaml` (or -o json)';

describe('readConfigMapFile: what is refused', () => {
  it.each([
    ['a Secret', 'kind: Secret\ndata: {mapRoles: x}\n'],
    ['a list at the top', '- mapRoles: x\n'],
    ['an empty file', ''],
    ['a scalar document', 'mapRoles\n'],
    ['a List whose items are not a list', 'kind: List\nitems: {mapRoles: x}\n'],
    ['a map without any aws-auth key', 'apiVersion: v1\nmetadata: {name: aws-auth}\n'],
  ])('%s: no ConfigMap', (_, text) => {
    expect(readConfigMapFile(text)).toEqual({ ok: false, error: NOT_FOUND });
    expect(parseAwsAuth(text)).toEqual({ ok: false, error: NOT_FOUND });
  });

  it('a syntax error: its line and column and the first line of the message', () => {
    const text = 'kind: ConfigMap\ndata: {mapRoles: "a", @}\n';
    const { line, column } = at(text, '@');
    expect(readConfigMapFile(text)).toEqual({
      ok: false,
      error: `not valid YAML or JSON at line ${line}, column ${column}: Plain value cannot start with reserved character @`,
    });
  });

  it('a syntax error in a later document refuses the file', () => {
    const text = 'kind: ConfigMap\ndata: {mapRoles: x}\n---\nkind: x\n  y: z\n';
    const result = readConfigMapFile(text);
    const { line, column } = at(text, 'x\n  y');
    expect(result.ok ? '' : result.error).toBe(
      `not valid YAML or JSON at line ${line}, column ${column}: Nested mappings are not allowed in compact mappings`,
    );
  });
});

describe('readConfigMapFile: which ConfigMap', () => {
  const manifest =
    'kind: Deployment\nmetadata: {name: aws-auth}\n---\n' +
    'kind: ConfigMap\nmetadata: {name: other}\ndata: {mapRoles: first}\n---\n' +
    'kind: ConfigMap\nmetadata: {name: aws-auth, namespace: kube-system, resourceVersion: "12"}\ndata:\n  mapUsers: mine\n';

  it('the one named aws-auth among several documents, with its metadata', () => {
    const file = read(manifest);
    expect(file.metadata).toEqual({ name: 'aws-auth', namespace: 'kube-system', resourceVersion: '12' });
    expect(file.data.map(({ key, text, keyLocation }) => ({ key, text, keyLocation }))).toEqual([
      { key: 'mapUsers', text: 'mine', keyLocation: { key: 'data.mapUsers', ...at(manifest, 'mapUsers') } },
    ]);
  });

  it('else the first ConfigMap', () => {
    const file = read(manifest.replace('name: aws-auth,', 'name: third,'));
    expect(file.metadata).toEqual({ name: 'other' });
    expect(file.data.map((d) => [d.key, d.text])).toEqual([['mapRoles', 'first']]);
  });

  it('a ConfigMap inside a kind: List', () => {
    const text =
      'kind: List\nitems:\n- kind: Secret\n  data: {mapRoles: s}\n- kind: ConfigMap\n  metadata: {name: aws-auth}\n  data: {mapRoles: r}\n';
    expect(read(text).data.map((d) => [d.key, d.text])).toEqual([['mapRoles', 'r']]);
  });

  it.each([
    ['mapRoles', 'mapRoles: |\n  - rolearn: r\n'],
    ['mapUsers', 'mapUsers: u\n'],
    ['mapAccounts', 'mapAccounts: a\n'],
  ])('a bare data map with only %s', (key, text) => {
    const file = read(text);
    expect(file.metadata).toEqual({});
    expect(file.data.map((d) => ({ key: d.key, keyLocation: d.keyLocation }))).toEqual([
      { key, keyLocation: { key: `data.${key}`, line: 1, column: 1 } },
    ]);
  });

  it('a ConfigMap without data has no data values', () => {
    expect(read('kind: ConfigMap\nmetadata: {name: aws-auth}\n')).toMatchObject({
      data: [],
      metadata: { name: 'aws-auth' },
    });
  });

  it('a map with a data key is read from its data even without a kind', () => {
    const text = 'mapRoles: outer\ndata:\n  mapRoles: inner\n';
    expect(read(text).data.map((d) => [d.key, d.text])).toEqual([['mapRoles', 'inner']]);
  });
});

describe('readConfigMapFile: data values', () => {
  const text =
    'kind: ConfigMap\nmetadata: {name: x, resourceVersion: 12}\ndata:\n  mapRoles: [a]\n  mapUsers:\n  mapAccounts: 12\n  "7": y\n';

  it('a list or a number is not a string, an empty value is empty text; each key is located', () => {
    const file = read(text);
    expect(file.metadata).toEqual({ name: 'x' });
    expect(
      file.data.map(({ key, text: value, keyLocation, offsets }) => ({ key, value, keyLocation, offsets })),
    ).toEqual([
      { key: 'mapRoles', value: undefined, keyLocation: { key: 'data.mapRoles', ...at(text, 'mapRoles') } },
      { key: 'mapUsers', value: '', keyLocation: { key: 'data.mapUsers', ...at(text, 'mapUsers') } },
      { key: 'mapAccounts', value: undefined, keyLocation: { key: 'data.mapAccounts', ...at(text, 'mapAccounts') } },
      {
        key: '7',
        value: 'y',
        keyLocation: { key: 'data.7', ...at(text, '"7"') },
        offsets: Int32Array.from([text.indexOf('y\n'), text.indexOf('y\n') + 1]),
      },
    ]);
  });

  it('locate turns an outer offset into a line and column', () => {
    const file = read(text);
    expect(file.locate(text.indexOf('12\n'), 'data.mapAccounts')).toEqual({
      key: 'data.mapAccounts',
      ...at(text, '12\n'),
    });
  });

  it('the parsed blocks: not a string, empty, present', () => {
    const parsed = parseAwsAuth(text);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.value.blocks.mapRoles).toMatchObject({ presence: 'present', dropped: true });
    expect(parsed.value.blocks.mapRoles.diagnostics).toEqual([
      {
        block: 'mapRoles',
        kind: 'not-a-string',
        message:
          "data.mapRoles is not a string: the Kubernetes API rejects a ConfigMap whose data values are not strings (a missing '|' after 'mapRoles:')",
        location: { key: 'data.mapRoles', ...at(text, 'mapRoles') },
      },
    ]);
    expect(parsed.value.blocks.mapUsers).toEqual({
      key: 'mapUsers',
      presence: 'empty',
      dropped: false,
      diagnostics: [],
      raw: '',
      location: { key: 'data.mapUsers', ...at(text, 'mapUsers') },
    });
    expect(parsed.value.blocks.mapAccounts.diagnostics[0]?.kind).toBe('not-a-string');
  });

  it('a mis-cased key whose value is not a string is named with empty text', () => {
    const miscased = 'kind: ConfigMap\ndata:\n  MapRoles: [a]\n  map_users: u\n';
    const parsed = parseAwsAuth(miscased);
    expect(parsed.ok && parsed.value.miscasedKeys).toEqual([
      { key: 'MapRoles', meant: 'mapRoles', text: '', location: { key: 'data.MapRoles', ...at(miscased, 'MapRoles') } },
      {
        key: 'map_users',
        meant: 'mapUsers',
        text: 'u',
        location: { key: 'data.map_users', ...at(miscased, 'map_users') },
      },
    ]);
  });
});
