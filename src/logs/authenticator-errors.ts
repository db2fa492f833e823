/**
 * The authenticator's "access denied" error texts, each mapped to the eksauth check that explains
 * it. Sources: kubernetes-sigs/aws-iam-authenticator at 81b1dab (v0.7.18, 2026-07-14) unless a row
 * says otherwise; `error` is `err.Error()` of what Verify or doMapping returned
 * (pkg/server/server.go:381, :392, :417). Token errors are FormatError ("input token was not
 * properly formatted: …", pkg/token/token.go:133-135) or STSError ("sts getCallerIdentity failed:
 * …", :143-145), STS throttling is STSThrottling ("sts getCallerIdentity was throttled: …", :157-159).
 * Order matters: the first row whose pattern matches wins.
 */
export interface AuthenticatorErrorRow {
  /** Short name of the class of error (JSON, tests). */
  kind: string;
  pattern: RegExp;
  /** The check that explains this refusal; null when none does (a transient STS fault). */
  checkId: string | null;
  /** Whether the refusal happened while mapping (the token was good) or before (the token or STS). */
  stage: 'token' | 'mapping';
  /** What it means, one sentence. */
  meaning: string;
  /** Where the text comes from, file:line at 81b1dab. */
  source: string;
}

export const AUTHENTICATOR_ERRORS: readonly AuthenticatorErrorRow[] = [
  {
    kind: 'not-mapped',
    pattern: /^identity is not mapped$/,
    checkId: 'identity/principal-not-mapped',
    stage: 'mapping',
    meaning: 'no access entry, aws-auth row or account mapping matches the canonical ARN',
    source: 'pkg/errutil/errors.go:9 (returned by pkg/server/server.go:504)',
  },
  {
    kind: 'not-mapped',
    pattern: /^ARN is not mapped$/,
    checkId: 'identity/principal-not-mapped',
    stage: 'mapping',
    meaning: 'the same, as versions before v0.6.14 word it',
    source: 'pkg/mapper/mapper.go:37 before commit c8789f6 (2023-12-07)',
  },
  {
    kind: 'id-arn-mismatch',
    pattern: /ARN does not match User ID/,
    checkId: 'access-entry/stale-principal',
    stage: 'mapping',
    meaning: 'the mapping pins another unique id: the principal was deleted and re-created',
    source: 'pkg/errutil/errors.go:12 (pkg/mapper/dynamicfile/mapper.go:83, :88)',
  },
  {
    kind: 'template',
    pattern: /renderTemplates error: .*SessionName did not contain an instance id/,
    checkId: 'nodes/username-template',
    stage: 'mapping',
    meaning: '{{EC2PrivateDNSName}} needs an instance-id session name, and this session is not one',
    source: 'pkg/server/server.go:485, :533',
  },
  {
    kind: 'template',
    pattern: /renderTemplates error/,
    checkId: 'aws-auth/unknown-template',
    stage: 'mapping',
    meaning: 'a username or group template of the matching mapping could not be rendered',
    source: 'pkg/server/server.go:485, :515, :521',
  },
  {
    kind: 'reserved-username',
    pattern: /^invalid username '.*' for mapper .*: username must not begin with/s,
    checkId: 'access-entry/invalid-shape',
    stage: 'mapping',
    meaning: 'the rendered username starts with a prefix the mapper reserves',
    source: 'pkg/server/server.go:488',
  },
  {
    kind: 'expired',
    pattern: /^input token was not properly formatted: X-Amz-Date parameter is expired/,
    checkId: 'token/expired',
    stage: 'token',
    meaning: 'the token was signed more than 15 minutes before the authenticator saw it (a stale token, or a clock)',
    source: 'pkg/token/token.go:682',
  },
  {
    kind: 'wrong-sts-host',
    pattern:
      /^input token was not properly formatted: (unexpected hostname .* in pre-signed URL|partition \{.*\} does not support hostname|could not parse region for pre-signed URL|invalid region identifier format provided)/s,
    checkId: 'token/wrong-sts-host',
    stage: 'token',
    meaning: 'the token names an STS host the authenticator does not accept for this partition',
    source: 'pkg/token/token.go:517, :527, :560, :566, :585',
  },
  {
    kind: 'sts-endpoint',
    pattern: /^input token was not properly formatted: global endpoint unsupported in partition/,
    checkId: 'token/sts-endpoint',
    stage: 'token',
    meaning: 'the global STS endpoint is used in a partition that has none',
    source: 'pkg/token/token.go:522',
  },
  {
    kind: 'cluster-id-not-signed',
    pattern: /^input token was not properly formatted: client did not sign the x-k8s-aws-id header/,
    checkId: 'token/cluster-id-not-signed',
    stage: 'token',
    meaning: 'the presigned URL does not sign the cluster name header',
    source: 'pkg/token/token.go:656',
  },
  {
    kind: 'malformed',
    pattern: /^input token was not properly formatted: /,
    checkId: 'token/malformed',
    stage: 'token',
    meaning: 'the token is not a presigned GetCallerIdentity URL in the form the authenticator accepts',
    source: 'pkg/token/token.go:596-676 (prefix, size, scheme, path, query, action, X-Amz-Expires, X-Amz-Date)',
  },
  {
    kind: 'throttled',
    pattern: /^sts getCallerIdentity was throttled: /,
    checkId: null,
    stage: 'token',
    meaning: 'STS throttled the authenticator (HTTP 429 to the API server); transient, retry with backoff',
    source: 'pkg/token/token.go:719, pkg/server/server.go:378-386',
  },
  {
    kind: 'cluster-id-mismatch',
    pattern: /^sts getCallerIdentity failed: error from AWS \(expected 200, got 403\).*SignatureDoesNotMatch/s,
    checkId: 'token/cluster-id-mismatch',
    stage: 'token',
    meaning:
      'STS refused the signature as the authenticator replays it with its own cluster name: the token was minted for another cluster (or with a wrong secret)',
    source: 'pkg/token/token.go:689 (x-k8s-aws-id set to the cluster id), :721',
  },
  {
    kind: 'credentials-expired',
    pattern: /^sts getCallerIdentity failed: error from AWS .*(ExpiredToken|expired)/s,
    checkId: 'identity/credentials-expired',
    stage: 'token',
    meaning: 'STS refused the credentials that signed the token: they have expired',
    source: 'pkg/token/token.go:721',
  },
  {
    kind: 'credentials-invalid',
    pattern: /^sts getCallerIdentity failed: error from AWS .*(InvalidClientTokenId|UnrecognizedClient)/s,
    checkId: 'identity/credentials-invalid',
    stage: 'token',
    meaning: 'STS does not know the access key id that signed the token',
    source: 'pkg/token/token.go:721',
  },
  {
    kind: 'sts-unreachable',
    pattern: /^sts getCallerIdentity failed: /,
    checkId: null,
    stage: 'token',
    meaning: 'the authenticator could not get an answer from STS (network, or an STS error); not the principal’s doing',
    source: 'pkg/token/token.go:697-747',
  },
];

/** The row that explains an authenticator error text; undefined for a text no row knows. */
export function classifyAuthenticatorError(error: string): AuthenticatorErrorRow | undefined {
  return AUTHENTICATOR_ERRORS.find((row) => row.pattern.test(error));
}
