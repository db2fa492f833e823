export type BlockKey = 'mapRoles' | 'mapUsers' | 'mapAccounts';
export const BLOCK_KEYS: readonly BlockKey[] = ['mapRoles', 'mapUsers', 'mapAccounts'];

/** 1-based line and column in the file the user gave; `key` names the field (`mapRoles[2].rolearn`). */
export interface SourceLocation {
  key: string;
  line: number;
  column: number;
}

/** One `mapRoles` or `mapUsers` row after the authenticator's decode, with where each part came from. */
export interface MappingRow {
  block: 'mapRoles' | 'mapUsers';
  /** 0-based position in its block. */
  index: number;
  /** `rolearn` or `userarn` exactly as decoded (quoted whitespace kept). */
  arn: string;
  username: string;
  groups: string[];
  sso?: { permissionSetName: string; accountID: string; partition: string };
  /** Which entry keys were present, in the spelling used (`roleARN`, `userarn`…). */
  keys: string[];
  location: SourceLocation;
  fieldLocations: Partial<Record<'arn' | 'username' | 'groups' | 'sso', SourceLocation>>;
  /** Why the authenticator dropped this row (validation), or undefined when kept. */
  droppedBecause?: string;
  /** A later row with the same ARN (case-insensitive) replaced this one. */
  overriddenBy?: number;
  /** Entry keys the authenticator does not read (`userarn` in a mapRoles row…), with their value if it is a scalar. */
  unknownKeys?: { key: string; value?: string; location: SourceLocation }[];
  /** Entry keys given more than once (exactly or in another case): the one that loses, and the spelling that wins. */
  duplicateKeys?: { key: string; winner: string; location: SourceLocation; winnerLocation: SourceLocation }[];
}

/** Something the authenticator logged while reading a block. */
export interface BlockDiagnostic {
  block: BlockKey;
  kind: 'yaml-syntax' | 'type-error' | 'validation' | 'not-a-list' | 'not-a-string';
  message: string;
  location: SourceLocation;
  rowIndex?: number;
}

export interface BlockResult {
  key: BlockKey;
  /** present: the key exists; empty: skipped as blank (`""`, `''`, two backticks); absent: no such key. */
  presence: 'present' | 'empty' | 'absent';
  /** true when the whole block was thrown away (YAML syntax error, wrong top-level type). */
  dropped: boolean;
  diagnostics: BlockDiagnostic[];
  location?: SourceLocation;
  raw?: string;
}

/** The ConfigMap as the authenticator holds it after reading, plus everything it silently dropped. */
export interface AwsAuth {
  blocks: Record<BlockKey, BlockResult>;
  /** Every decoded row, including those dropped by validation or overridden by a duplicate. */
  roleRows: MappingRow[];
  userRows: MappingRow[];
  accounts: { id: string; location: SourceLocation }[];
  /** data keys that look like a block but are spelled differently (`maproles`), so EKS ignores them. */
  miscasedKeys: { key: string; meant: BlockKey; location: SourceLocation; text: string }[];
  /** Rows that can be recovered from text of a dropped block (for "what the error takes down"). */
  lostRows: {
    block: BlockKey;
    index: number;
    arn: string;
    username: string;
    groups: string[];
    location: SourceLocation;
  }[];
  metadata: { name?: string; namespace?: string; resourceVersion?: string };
}
