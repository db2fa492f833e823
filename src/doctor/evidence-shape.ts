/**
 * The shape of a saved evidence file's `evidence`, checked before replay: a file edited by hand,
 * truncated, or written by something else must fail as "field X: expected Y" (exit 2), never as a
 * TypeError deep inside a check. Mirrors src/model/evidence.ts. Fields it does not know are left
 * alone (a newer eksauth may write more); the ones it knows must have the type the checks read.
 */

/** A primitive, `[shape]` for an array, `{ key: shape }` for an object (a `?` suffix: optional). */
type Shape = Primitive | readonly [Shape] | { readonly [key: string]: Shape } | Record_;
type Primitive = 'string' | 'number' | 'boolean' | 'number|null' | 'string|null' | 'object';
interface Record_ {
  readonly recordOf: Shape;
}

const strings = ['string'] as const;
const callerIdentity = {
  arn: 'string',
  account: 'string',
  userId: 'string',
  credentialSource: 'string',
  'expiresAt?': 'string',
  'clockOffsetMs?': 'number',
} as const;
const iamDetails = { arn: 'string', path: 'string', 'uniqueId?': 'string', 'createDate?': 'string' } as const;
const sourceFailure = { code: 'string', action: 'string', message: 'string' } as const;
const logWindow = {
  logGroup: 'string',
  since: 'string',
  until: 'string',
  eventsRead: 'number',
  truncated: 'boolean',
} as const;
const reachability = { ok: 'boolean', 'ms?': 'number', 'error?': 'string' } as const;

export const SAVED_EVIDENCE_SHAPE = {
  'cluster?': {
    name: 'string',
    'arn?': 'string',
    'region?': 'string',
    'accountId?': 'string',
    'partition?': 'string',
    'authenticationMode?': 'string',
    'bootstrapClusterCreatorAdminPermissions?': 'boolean',
    'status?': 'string',
    'version?': 'string',
    'platformVersion?': 'string',
    'roleArn?': 'string',
    'endpoint?': 'string',
    'certificateAuthorityData?': 'string',
    'endpointPublicAccess?': 'boolean',
    'endpointPrivateAccess?': 'boolean',
    'publicAccessCidrs?': strings,
    'createdAt?': 'string',
    'enabledLogTypes?': strings,
  },
  'accessEntries?': [
    {
      principalArn: 'string',
      type: 'string',
      'username?': 'string',
      kubernetesGroups: strings,
      'createdAt?': 'string',
      'modifiedAt?': 'string',
      'accessEntryArn?': 'string',
      'associatedAccessPolicies?': [
        {
          policyArn: 'string',
          accessScope: { type: 'string', namespaces: strings },
          'associatedAt?': 'string',
        },
      ],
    },
  ],
  'creator?': {
    arn: 'string',
    source: 'string',
    'sessionArn?': 'string',
    'eventTime?': 'string',
    'principalId?': 'string',
  },
  'nodegroups?': [
    {
      nodegroupName: 'string',
      nodeRole: 'string',
      'amiType?': 'string',
      'status?': 'string',
      healthIssues: [{ code: 'string', message: 'string' }],
      'selfManaged?': 'boolean',
    },
  ],
  'fargateProfiles?': [{ fargateProfileName: 'string', podExecutionRoleArn: 'string' }],
  'rbac?': [
    {
      kind: 'string',
      name: 'string',
      'namespace?': 'string',
      roleRef: { kind: 'string', name: 'string' },
      subjects: [{ kind: 'string', name: 'string', 'namespace?': 'string' }],
    },
  ],
  'principalDetails?': iamDetails,
  'creatorDetails?': iamDetails,
  'token?': 'object',
  'caller?': callerIdentity,
  'targetCaller?': callerIdentity,
  'credentialEnv?': { 'profile?': 'string', 'profileFrom?': 'string', staticKeys: 'boolean' },
  'assumeRole?': {
    roleArn: 'string',
    sessionName: 'string',
    outcome: 'string',
    'sessionArn?': 'string',
    'expiresAt?': 'string',
    'code?': 'string',
    'message?': 'string',
  },
  'clusterLookup?': {
    name: 'string',
    region: 'string',
    regionSource: 'string',
    found: 'boolean',
    'foundInRegions?': strings,
    'searchedRegions?': strings,
  },
  'network?': {
    host: 'string',
    port: 'number',
    dns: { ok: 'boolean', 'addresses?': strings, 'error?': 'string', 'resolvedBy?': 'string' },
    'tcp?': reachability,
    'tls?': reachability,
    'proxy?': {
      url: 'string',
      source: 'string',
      connect: { ok: 'boolean', 'status?': 'number', 'ms?': 'number', 'error?': 'string' },
    },
  },
  'probe?': {
    status: 'number|null',
    error: 'string|null',
    'selfSubjectReview?': {
      username: 'string',
      'uid?': 'string',
      groups: strings,
      'extra?': { recordOf: strings },
    },
    'accessReviews?': [
      {
        verb: 'string',
        resource: 'string',
        'group?': 'string',
        'namespace?': 'string',
        allowed: 'boolean',
        'reason?': 'string',
        'requested?': 'boolean',
      },
    ],
    'serverDate?': 'string',
  },
  'kubeconfig?': {
    path: 'string',
    context: 'string',
    'user?': 'string',
    'credential?': 'string',
    'server?': 'string',
    'caMatchesCluster?': 'boolean',
    'exec?': {
      command: 'string',
      args: strings,
      env: { recordOf: 'string' },
      apiVersion: 'string',
      commandFound: 'boolean',
    },
    'execIdentity?': 'object',
    'whoami?': 'object',
  },
  'authenticatorLog?': {
    ...logWindow,
    decisions: [
      {
        time: 'string',
        outcome: 'string',
        'arn?': 'string',
        'sessionArn?': 'string',
        'accessKeyId?': 'string',
        'client?': 'string',
        'username?': 'string',
        'uid?': 'string',
        'groups?': strings,
        'error?': 'string',
        'stsEndpoint?': 'string',
        'matchedBy?': 'string',
      },
    ],
    'awsAuthLoads?': [{ time: 'string', outcome: 'string', 'error?': 'string' }],
    'awsAuthLookback?': { since: 'string', 'eventsRead?': 'number', 'truncated?': 'boolean', 'error?': 'string' },
  },
  'auditLog?': {
    ...logWindow,
    awsAuthChanges: [
      {
        time: 'string',
        verb: 'string',
        user: 'string',
        sourceIps: strings,
        'status?': 'number',
        'changedKeys?': strings,
        'rowsAdded?': strings,
        'rowsRemoved?': strings,
        'blocksDropped?': strings,
        'userArn?': 'string',
        'userArnFrom?': 'string',
      },
    ],
    unauthorized: [{ time: 'string', sourceIps: strings, 'user?': 'string', 'uri?': 'string' }],
    'awsAuthLookback?': { since: 'string', 'eventsRead?': 'number', 'truncated?': 'boolean', 'error?': 'string' },
  },
  'accessChanges?': {
    since: 'string',
    until: 'string',
    changes: [{ time: 'string', eventName: 'string', actor: 'string', 'target?': 'string', 'errorCode?': 'string' }],
  },
  'unavailable?': { recordOf: 'string' },
  'failures?': { recordOf: sourceFailure },
  // Written by toEvidenceFile in place of the parsed aws-auth and principal.
  'awsAuthState?': 'string',
  'principalArn?': 'string',
  'sessionName?': 'string',
} as const satisfies Shape;

/** The first place where `value` differs from `shape`, as "at: expected …, found …"; undefined when it fits. */
export function shapeMismatch(value: unknown, shape: Shape, at: string): string | undefined {
  if (typeof shape === 'string') {
    const fits =
      shape === 'object'
        ? isPlainObject(value)
        : shape.split('|').some((type) => (type === 'null' ? value === null : typeof value === type));
    return fits ? undefined : `${at}: expected ${describeShape(shape)}, found ${describeValue(value)}`;
  }
  if (isArrayShape(shape)) {
    if (!Array.isArray(value)) return `${at}: expected an array, found ${describeValue(value)}`;
    for (const [index, item] of value.entries()) {
      const problem = shapeMismatch(item, shape[0], `${at}[${index}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (!isPlainObject(value)) return `${at}: expected an object, found ${describeValue(value)}`;
  if (isRecordShape(shape)) {
    for (const [key, item] of Object.entries(value)) {
      const problem = shapeMismatch(item, shape.recordOf, `${at}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  }
  const fields = shape as { readonly [key: string]: Shape };
  for (const [key, fieldShape] of Object.entries(fields)) {
    const optional = key.endsWith('?');
    const name = optional ? key.slice(0, -1) : key;
    const item = value[name];
    if (item === undefined) {
      if (optional) continue;
      return `${at}.${name}: missing`;
    }
    const problem = shapeMismatch(item, fieldShape, `${at}.${name}`);
    if (problem) return problem;
  }
  return undefined;
}

function isArrayShape(shape: Shape): shape is readonly [Shape] {
  return Array.isArray(shape);
}

function isRecordShape(shape: Shape): shape is Record_ {
  return typeof shape === 'object' && 'recordOf' in shape && Object.keys(shape).length === 1;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeShape(shape: Primitive): string {
  return shape === 'object' ? 'an object' : shape.replace('|', ' or ');
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)?.slice(0, 40) ?? ''}`;
}
