import type { AuthenticatorDecision, AwsAuthLoad, Evidence } from '../model/evidence.js';
import { classifyAuthenticatorError, type AuthenticatorErrorRow } from './authenticator-errors.js';

/** What the model predicts for the principal's mapping. */
export interface Prediction {
  authenticated: boolean;
  username: string | null;
}

/**
 * How the authenticator's latest decision for the principal compares with the model:
 * - agree: same outcome (and, when granted, a username the prediction allows);
 * - disagree: the mapping outcome or the username differs;
 * - token: refused before mapping (a token or STS error), which says nothing about the mapping;
 * - none: no decision for the principal in the window.
 */
export type Agreement =
  | { kind: 'agree'; decision: AuthenticatorDecision; row?: AuthenticatorErrorRow }
  | {
      kind: 'disagree';
      decision: AuthenticatorDecision;
      row?: AuthenticatorErrorRow;
      /** granted: the log grants what the model refuses; denied: the reverse; username: both grant, as different users. */
      how: 'granted' | 'denied' | 'username';
    }
  | { kind: 'token'; decision: AuthenticatorDecision; row?: AuthenticatorErrorRow }
  | { kind: 'none' };

export function compareWithLog(decisions: readonly AuthenticatorDecision[], prediction: Prediction): Agreement {
  const decision = decisions[0];
  if (!decision) return { kind: 'none' };
  if (decision.outcome === 'granted') {
    if (!prediction.authenticated) return { kind: 'disagree', decision, how: 'granted' };
    if (prediction.username !== null && decision.username !== undefined)
      if (!usernamesAgree(prediction.username, decision.username))
        return { kind: 'disagree', decision, how: 'username' };
    return { kind: 'agree', decision };
  }
  const row = classifyAuthenticatorError(decision.error ?? '');
  const withRow = row ? { row } : {};
  // A line without an ARN, or with a token error, was refused before any mapping was read.
  if (row?.stage === 'token' || (!row && decision.arn === undefined)) return { kind: 'token', decision, ...withRow };
  if (prediction.authenticated) return { kind: 'disagree', decision, how: 'denied', ...withRow };
  return { kind: 'agree', decision, ...withRow };
}

/** Template placeholders the model could not fill (an unknown session name) match anything. */
export function usernamesAgree(predicted: string, observed: string): boolean {
  const pattern = predicted
    .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
    .replace(/\\?\{\\?\{[A-Za-z0-9]+\\?\}\\?\}|<[^>]+>/g, '.*');
  return new RegExp(`^${pattern}$`).test(observed);
}

/** The latest change to who may authenticate (aws-auth write or access change) after `time`, if any. */
export function changeAfter(evidence: Evidence, time: string): { time: string; what: string } | undefined {
  const changes = [
    ...(evidence.auditLog?.awsAuthChanges ?? [])
      .filter((c) => c.status === undefined || (c.status >= 200 && c.status < 300))
      .map((c) => ({ time: c.time, what: `aws-auth ${c.verb} by ${c.user}` })),
    ...(evidence.accessChanges?.changes ?? [])
      .filter((c) => !c.errorCode)
      .map((c) => ({ time: c.time, what: `${c.eventName} by ${c.actor}` })),
  ].filter((c) => c.time > time);
  return changes.sort((a, b) => b.time.localeCompare(a.time))[0];
}

/**
 * How the authenticator's latest reload of aws-auth compares with the text eksauth read:
 * ParseMap failing (or not) where eksauth's reading finds a block or row it drops (or none), and
 * a reset on delete where eksauth reads no ConfigMap. `unknown` when eksauth could not read aws-auth.
 */
export type AwsAuthLoadAgreement = { load: AwsAuthLoad; kind: 'agree' | 'disagree' | 'unknown' };

export function compareAwsAuthLoad(evidence: Evidence): AwsAuthLoadAgreement | undefined {
  const load = evidence.authenticatorLog?.awsAuthLoads?.at(-1);
  if (!load) return undefined;
  const awsAuth = evidence.awsAuth;
  if (!awsAuth) return { load, kind: 'unknown' };
  if (awsAuth.state === 'absent') return { load, kind: load.outcome === 'reset' ? 'agree' : 'disagree' };
  if (load.outcome === 'reset') return { load, kind: 'disagree' };
  const modelFails = Object.values(awsAuth.configMap.blocks).some((b) => b.diagnostics.length > 0);
  return { load, kind: modelFails === (load.outcome === 'parse-error') ? 'agree' : 'disagree' };
}
