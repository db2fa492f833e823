import { redactDeep } from '../core/redact.js';
import { parseAwsAuth } from '../model/aws-auth/parse.js';
import type { Evidence } from '../model/evidence.js';
import { principalFromArn } from '../model/principal.js';
import { fail, ok, type Result } from '../model/result.js';
import { SAVED_EVIDENCE_SHAPE, shapeMismatch } from './evidence-shape.js';

export const EVIDENCE_KIND = 'eksauth-evidence';
export const EVIDENCE_VERSION = 1;

/**
 * What `--save-evidence` writes: everything collected, as plain JSON. It holds no token, signature,
 * secret key, session token or full access key id: collectors reduce those to facts (the exec
 * env keeps harmless values only), and every string passes redactSecrets once more on the way
 * out. aws-auth is kept as the text that was read, so replay parses it exactly as the live run did.
 */
export interface EvidenceFile {
  kind: typeof EVIDENCE_KIND;
  version: typeof EVIDENCE_VERSION;
  collectedAt: string;
  request: { cluster: string; region: string; roleArn?: string; sessionName?: string };
  awsAuthText?: string;
  evidence: Omit<Evidence, 'awsAuth' | 'principal'> & {
    awsAuthState?: 'present' | 'absent';
    principalArn?: string;
    sessionName?: string;
  };
}

export function toEvidenceFile(
  evidence: Evidence,
  awsAuthText: string | undefined,
  request: EvidenceFile['request'],
  collectedAt: Date,
): EvidenceFile {
  const { awsAuth, principal, ...rest } = evidence;
  return redactDeep({
    kind: EVIDENCE_KIND,
    version: EVIDENCE_VERSION,
    collectedAt: collectedAt.toISOString(),
    request,
    ...(awsAuthText !== undefined ? { awsAuthText } : {}),
    evidence: {
      ...rest,
      ...(awsAuth ? { awsAuthState: awsAuth.state } : {}),
      ...(principal
        ? {
            principalArn: principal.input,
            ...(principal.sessionName !== undefined ? { sessionName: principal.sessionName } : {}),
          }
        : {}),
    },
  });
}

export function fromEvidenceFile(json: unknown): Result<{ evidence: Evidence; file: EvidenceFile }> {
  const file = json as Partial<EvidenceFile>;
  if (typeof json !== 'object' || json === null || file.kind !== EVIDENCE_KIND)
    return fail(`not an eksauth evidence file (expected "kind": "${EVIDENCE_KIND}")`);
  if (file.version !== EVIDENCE_VERSION)
    return fail(
      `evidence file version ${String(file.version)} is not supported (this eksauth reads version ${EVIDENCE_VERSION})`,
    );
  if (!file.request || !file.evidence) return fail('evidence file has no "request" or "evidence"');
  const mismatch =
    shapeMismatch(file.request, { cluster: 'string', region: 'string' }, 'request') ??
    shapeMismatch(file.evidence, SAVED_EVIDENCE_SHAPE, 'evidence') ??
    (file.awsAuthText !== undefined ? shapeMismatch(file.awsAuthText, 'string', 'awsAuthText') : undefined);
  if (mismatch) return fail(`not the shape eksauth writes: ${mismatch}`);
  // A live run always records where it looked for the cluster, found or not; a file without
  // anything collected would otherwise read as "no problems found", a confident wrong answer.
  if (!hasCollectedAnything(file.evidence))
    return fail('the evidence file holds no evidence (nothing collected, no failure recorded): nothing to diagnose');
  const { awsAuthState, principalArn, sessionName, ...rest } = file.evidence;
  const evidence: Evidence = { ...rest };
  if (awsAuthState === 'absent') evidence.awsAuth = { state: 'absent' };
  if (awsAuthState === 'present' && file.awsAuthText !== undefined) {
    const parsed = parseAwsAuth(file.awsAuthText);
    if (!parsed.ok) return fail(`the saved aws-auth does not read: ${parsed.error}`);
    evidence.awsAuth = { state: 'present', configMap: parsed.value };
  }
  if (principalArn) {
    const principal = principalFromArn(principalArn, sessionName);
    if (!principal.ok) return fail(`the saved principal does not read: ${principal.error}`);
    evidence.principal = principal.value;
  }
  return ok({ evidence, file: file as EvidenceFile });
}

/** Whether a source was read or a failure recorded; how credentials were steered alone is not evidence. */
function hasCollectedAnything(evidence: EvidenceFile['evidence']): boolean {
  return Object.entries(evidence).some(([key, value]) => {
    if (value === undefined || key === 'credentialEnv') return false;
    if (key === 'failures' || key === 'unavailable') return Object.keys(value as object).length > 0;
    return true;
  });
}
