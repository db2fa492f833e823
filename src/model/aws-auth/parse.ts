import { isAccountId } from '../arn.js';
import { isPartition } from '../partitions.js';
import { fail, ok, type Result } from '../result.js';
import { readConfigMapFile, type ConfigMapFile, type DataValue } from './configmap-file.js';
import { decodeStruct, type DecodedField, type FieldSpec, type TypeError_ } from './decode.js';
import { recoverLostRows } from './lost-rows.js';
import {
  BLOCK_KEYS,
  type AwsAuth,
  type BlockDiagnostic,
  type BlockKey,
  type BlockResult,
  type MappingRow,
  type SourceLocation,
} from './types.js';
import { goValueSyntax } from './v2-scalars.js';
import { parseYamlV2, shortTag, type V2Entry, type V2Value } from './yaml-v2.js';

const ROLE_FIELDS: FieldSpec = {
  rolearn: 'string',
  username: 'string',
  groups: 'string[]',
  sso: 'object',
  userid: 'string',
};
const USER_FIELDS: FieldSpec = { userarn: 'string', username: 'string', groups: 'string[]', userid: 'string' };
const SSO_FIELDS: FieldSpec = { permissionSetName: 'string', accountID: 'string', partition: 'string' };
const PERMISSION_SET_NAME = /^[\w+=,.@-]{1,32}$/;

/** Values the authenticator skips without an error (configmap_test.go TestBadParseMap). */
const BLANK_VALUES = new Set(['', '``', '""', "''"]);

/** Go's unicode.IsSpace, which strings.TrimSpace and ToJSON's `{` test use: NEL counts, a BOM does not. */
const GO_SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const goTrimSpace = (text: string): string =>
  text.replace(new RegExp(`^${GO_SPACE}+`), '').replace(new RegExp(`${GO_SPACE}+$`), '');

/** Parses an aws-auth ConfigMap file exactly as the EKSConfigMap backend reads it. */
export function parseAwsAuth(text: string): Result<AwsAuth> {
  const file = readConfigMapFile(text);
  if (!file.ok) return fail(file.error);
  return ok(interpretConfigMap(file.value));
}

function interpretConfigMap(file: ConfigMapFile): AwsAuth {
  const result: AwsAuth = {
    blocks: {} as Record<BlockKey, BlockResult>,
    roleRows: [],
    userRows: [],
    accounts: [],
    miscasedKeys: [],
    lostRows: [],
    metadata: file.metadata,
  };
  for (const key of BLOCK_KEYS) {
    const value = file.data.find((d) => d.key === key);
    result.blocks[key] = value
      ? readBlock(key, value, file, result)
      : { key, presence: 'absent', dropped: false, diagnostics: [] };
  }
  for (const value of file.data) {
    const meant = BLOCK_KEYS.find((k) => k !== value.key && normaliseKey(k) === normaliseKey(value.key));
    if (meant) result.miscasedKeys.push({ key: value.key, meant, location: value.keyLocation, text: value.text ?? '' });
  }
  markOverriddenRoles(result.roleRows);
  markOverriddenUsers(result.userRows);
  return result;
}

const normaliseKey = (key: string): string => key.toLowerCase().replace(/[-_\s]/g, '');

function readBlock(key: BlockKey, value: DataValue, file: ConfigMapFile, out: AwsAuth): BlockResult {
  const block: BlockResult = { key, presence: 'present', dropped: false, diagnostics: [], location: value.keyLocation };
  if (value.text === undefined) {
    block.dropped = true;
    block.diagnostics.push({
      block: key,
      kind: 'not-a-string',
      message: `data.${key} is not a string: the Kubernetes API rejects a ConfigMap whose data values are not strings (a missing '|' after '${key}:')`,
      location: value.keyLocation,
    });
    return block;
  }
  block.raw = value.text;
  if (BLANK_VALUES.has(goTrimSpace(value.text))) {
    block.presence = 'empty';
    return block;
  }
  const locate = (innerOffset: number, field: string): SourceLocation => {
    const outer = value.offsets?.[Math.max(0, Math.min(innerOffset, (value.offsets?.length ?? 1) - 1))];
    return outer === undefined ? { ...value.keyLocation, key: field } : file.locate(outer, field);
  };
  const parsed = parseBlockText(value.text, key === 'mapAccounts' ? 'yaml.v2' : 'json');
  if (!parsed.ok) {
    block.dropped = true;
    block.diagnostics.push({
      block: key,
      kind: 'yaml-syntax',
      message: parsed.error.message,
      location: locate(parsed.error.at, key),
    });
    out.lostRows.push(
      ...recoverLostRows(key, value.text).map((row) => ({ ...row, location: locate(row.at, `${key}[${row.index}]`) })),
    );
    return block;
  }
  const root = parsed.value;
  if (root.kind === 'null') return block;
  if (key === 'mapAccounts') {
    if (parsed.ok && parsed.itemError)
      block.diagnostics.push({
        block: key,
        kind: 'type-error',
        message: parsed.itemError.message,
        location: locate(parsed.itemError.at, key),
      });
    readAccounts(root, block, locate, out);
    return block;
  }
  if (root.kind !== 'seq') {
    const goType = key === 'mapRoles' ? '[]config.RoleMapping' : '[]config.UserMapping';
    block.dropped = true;
    block.diagnostics.push({
      block: key,
      kind: 'not-a-list',
      message: `json: cannot unmarshal ${root.kind === 'map' ? 'object' : root.kind} into Go value of type ${goType}`,
      location: locate(root.at, key),
    });
    // Nothing of the block is decoded: every row written in it is lost, as with a syntax error.
    out.lostRows.push(
      ...recoverLostRows(key, value.text).map((row) => ({ ...row, location: locate(row.at, `${key}[${row.index}]`) })),
    );
    return block;
  }
  root.items.forEach((item, index) => {
    const row = readRow(key, item, index, locate, block.diagnostics);
    (key === 'mapRoles' ? out.roleRows : out.userRows).push(row);
  });
  return block;
}

/**
 * mapRoles/mapUsers: a value whose first non-space character is `{` is decoded as JSON, anything
 * else goes YAML → JSON, which refuses what JSON cannot hold. mapAccounts: yaml.v2 alone.
 */
function parseBlockText(text: string, reader: 'json' | 'yaml.v2'): ReturnType<typeof parseYamlV2> {
  if (reader === 'json' && goTrimSpace(text).startsWith('{')) {
    try {
      JSON.parse(text);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const at = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
      return { ok: false, error: { message, at } };
    }
  }
  const parsed = parseYamlV2(text, reader === 'yaml.v2' ? 'strings' : 'any');
  const refused = reader === 'json' && parsed.ok ? notJsonable(parsed.value) : undefined;
  return refused ? { ok: false, error: refused } : parsed;
}

/** What sigs.k8s.io/yaml's YAMLToJSON refuses: a null or uint64 map key, and `.inf`/`.nan` (json.Marshal). */
function notJsonable(value: V2Value): { message: string; at: number } | undefined {
  if (value.kind === 'number' && !Number.isFinite(value.value))
    return { message: `json: unsupported value: ${goFloatText(value.value)}`, at: value.at };
  if (value.kind === 'seq') {
    for (const item of value.items) {
      const refused = notJsonable(item);
      if (refused) return refused;
    }
  }
  if (value.kind === 'map') {
    // A key given twice keeps its last value only: an earlier `.inf` never reaches json.Marshal.
    const kept = value.entries.filter((e, i) => !value.entries.slice(i + 1).some((later) => later.key === e.key));
    for (const entry of kept) {
      if (entry.nullKey || entry.uint64Key) {
        const key = entry.nullKey ? '%!s(<nil>), key: <nil>' : `uint64, key: 0x${BigInt(entry.key).toString(16)}`;
        return {
          message: `Unsupported map key of type: ${key}, value: ${goValueSyntax(entry.value)}`,
          at: entry.keyAt,
        };
      }
      const refused = notJsonable(entry.value);
      if (refused) return refused;
    }
  }
  return undefined;
}

// Stryker disable next-line EqualityOperator: only NaN and the two infinities come here, never 0
const goFloatText = (value: number): string => (Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf');

function readRow(
  key: 'mapRoles' | 'mapUsers',
  item: V2Value,
  index: number,
  locate: (offset: number, field: string) => SourceLocation,
  diagnostics: BlockDiagnostic[],
): MappingRow {
  const where = `${key}[${index}]`;
  const typeErrors: TypeError_[] = [];
  const goType = key === 'mapRoles' ? 'config.RoleMapping' : 'config.UserMapping';
  const fields = decodeStruct(item, key === 'mapRoles' ? ROLE_FIELDS : USER_FIELDS, goType, typeErrors) ?? {};
  const arnField = fields[key === 'mapRoles' ? 'rolearn' : 'userarn'];
  const row: MappingRow = {
    block: key,
    index,
    arn: typeof arnField?.value === 'string' ? arnField.value : '',
    username: typeof fields.username?.value === 'string' ? fields.username.value : '',
    groups: Array.isArray(fields.groups?.value) ? (fields.groups.value as string[]) : [],
    keys: Object.values(fields).map((f) => f.key),
    location: locate(item.at, where),
    fieldLocations: {},
  };
  for (const [name, field] of Object.entries(fields)) {
    const slot = name === 'rolearn' || name === 'userarn' ? 'arn' : name;
    if (slot === 'arn' || slot === 'username' || slot === 'groups' || slot === 'sso')
      row.fieldLocations[slot] = locate(field.at, `${where}.${field.key}`);
  }
  if (item.kind === 'map')
    noteExtraKeys(row, item.entries, key === 'mapRoles' ? ROLE_FIELDS : USER_FIELDS, fields, (at, field) =>
      locate(at, `${where}.${field}`),
    );
  const ssoValues = fields.sso?.value as V2Value[] | null | undefined;
  if (ssoValues) {
    // Every object given for `sso` is decoded in turn into the one struct.
    const sso = Object.assign(
      {},
      ...ssoValues.map((v) => decodeStruct(v, SSO_FIELDS, 'config.SSOARNMatcher', typeErrors) ?? {}),
    ) as Record<string, DecodedField<unknown>>;
    row.sso = {
      permissionSetName: String(sso.permissionSetName?.value ?? ''),
      accountID: String(sso.accountID?.value ?? ''),
      partition: String(sso.partition?.value ?? ''),
    };
  }
  for (const error of typeErrors)
    diagnostics.push({
      block: key,
      kind: 'type-error',
      message: error.message,
      location: locate(error.at, where),
      rowIndex: index,
    });
  const invalid = validateRow(row);
  if (invalid) {
    row.droppedBecause = invalid;
    diagnostics.push({ block: key, kind: 'validation', message: invalid, location: row.location, rowIndex: index });
  }
  return row;
}

/** Keys the decoder ignores, and keys given twice (the JSON decoder keeps the last in sorted order). */
function noteExtraKeys(
  row: MappingRow,
  entries: readonly V2Entry[],
  spec: FieldSpec,
  fields: Record<string, DecodedField<unknown>>,
  locate: (offset: number, field: string) => SourceLocation,
): void {
  const names = Object.keys(spec);
  for (const entry of entries) {
    const field = names.find((n) => n === entry.key) ?? names.find((n) => n.toLowerCase() === entry.key.toLowerCase());
    if (field === undefined) {
      (row.unknownKeys ??= []).push({
        key: entry.key,
        ...('text' in entry.value
          ? { value: entry.value.kind === 'string' ? entry.value.value : entry.value.text }
          : {}),
        location: locate(entry.keyAt, entry.key),
      });
      continue;
    }
    const winner = fields[field];
    if (winner && winner.at !== entry.keyAt) {
      (row.duplicateKeys ??= []).push({
        key: entry.key,
        winner: winner.key,
        location: locate(entry.keyAt, entry.key),
        winnerLocation: locate(winner.at, winner.key),
      });
    }
  }
}

/** Per-entry validation of aws-iam-authenticator pkg/config/mapper.go: a failing row is dropped. */
function validateRow(row: MappingRow): string | undefined {
  if (row.block === 'mapUsers') return row.arn === '' ? 'value for userarn must be supplied' : undefined;
  if (row.arn === '' && !row.sso) return 'one of rolearn or SSO must be supplied';
  if (row.arn !== '' && row.sso) return 'only one of rolearn or SSO can be supplied';
  if (row.sso) {
    if (!isAccountId(row.sso.accountID)) return `AccountID '${row.sso.accountID}' is not a valid AWS Account ID`;
    if (!PERMISSION_SET_NAME.test(row.sso.permissionSetName))
      return `PermissionSetName '${row.sso.permissionSetName}' is not a valid AWS SSO PermissionSet Name`;
    if (row.sso.partition !== '' && !isPartition(row.sso.partition))
      return `partition '${row.sso.partition}' is not a valid AWS partition`;
  }
  return undefined;
}

function readAccounts(
  root: V2Value,
  block: BlockResult,
  locate: (offset: number, field: string) => SourceLocation,
  out: AwsAuth,
): void {
  if (root.kind !== 'seq') {
    block.dropped = true;
    const found = root.kind === 'map' ? '!!map' : `${shortTag(root)}${goShortValue('text' in root ? root.text : '')}`;
    block.diagnostics.push({
      block: 'mapAccounts',
      kind: 'not-a-list',
      message: `yaml: unmarshal errors: cannot unmarshal ${found} into []string`,
      location: locate(root.at, 'mapAccounts'),
    });
    return;
  }
  for (const [index, item] of root.items.entries()) {
    // yaml.v2 skips an item it cannot decode into a string and keeps the rest; ParseMap keeps them too.
    if (item.kind === 'map' || item.kind === 'seq') {
      block.diagnostics.push({
        block: 'mapAccounts',
        kind: 'type-error',
        message: `yaml: unmarshal errors: cannot unmarshal !!${item.kind} into string`,
        location: locate(item.at, `mapAccounts[${index}]`),
      });
      continue;
    }
    // go-yaml v2 decodes a scalar into a string field as its literal text: `- 012345678901` keeps the zero.
    out.accounts.push({
      id: item.kind === 'null' ? '' : item.text,
      location: locate(item.at, `mapAccounts[${index}]`),
    });
  }
}

/** go-yaml's unmarshal error quotes a scalar's text, its first 7 bytes and `...` past 10 bytes. */
function goShortValue(text: string): string {
  // Stryker disable next-line StringLiteral: Buffer.from reads a string as UTF-8 when no encoding is named
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length > 10 ? ` \`${bytes.subarray(0, 7).toString('utf8')}...\`` : ` \`${text}\``;
}

/**
 * Role rows are stored in a map keyed by the lower-cased rolearn, or for an `sso` row by its ARN
 * pattern (RoleMapping.SSOArnLike, which leaves out a partition that is given): the last one wins.
 */
function markOverriddenRoles(rows: MappingRow[]): void {
  const latest = new Map<string, MappingRow>();
  for (const row of rows) {
    if (row.droppedBecause) continue;
    const key = row.sso
      ? `arn:${row.sso.partition === '' ? 'aws' : ''}:iam::${row.sso.accountID}:role/awsreservedsso_${row.sso.permissionSetName}_*`.toLowerCase()
      : row.arn.toLowerCase();
    const earlier = latest.get(key);
    if (earlier) earlier.overriddenBy = row.index;
    latest.set(key, row);
  }
}

/** User rows are keyed by the raw userarn: only exact duplicates override each other. */
function markOverriddenUsers(rows: MappingRow[]): void {
  const latest = new Map<string, MappingRow>();
  for (const row of rows) {
    if (row.droppedBecause) continue;
    const earlier = latest.get(row.arn);
    if (earlier) earlier.overriddenBy = row.index;
    latest.set(row.arn, row);
  }
}

/** The rows EKS uses for lookups: kept by validation and not replaced by a later duplicate. */
export function effectiveRows(rows: readonly MappingRow[]): MappingRow[] {
  return rows.filter((r) => !r.droppedBecause && r.overriddenBy === undefined);
}
