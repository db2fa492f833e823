import type { TokenSummary } from '../../token/summary.js';
import { delimiter } from 'node:path';
import { TOKEN_CHECKS } from '../../../checks/token/index.js';
import { SCHEMA_VERSION, type Report } from '../../core/report.js';
import { pickRootCause, runChecks } from '../../core/run-checks.js';
import type { Evidence } from '../../model/evidence.js';
import { isPartition, type Partition } from '../../model/partitions.js';
import type { TokenEvidence } from '../../token/evidence.js';
import { inspectToken } from '../../token/inspect.js';
import { redactSecrets } from '../../core/redact.js';
import { canonicalIdentity, replayToken } from '../../token/replay.js';
import { UsageError } from '../errors.js';
import { assertRegionName } from '../region-name.js';
import { INPUT_LIMITS, readInput } from '../io.js';
import { readBoundedText } from '../../inputs/read-text.js';
import { kubeconfigPaths, loadKubeconfig } from '../../collect/kubeconfig-files.js';
import { emitReport, type CommonArgs } from './shared.js';

export interface DecodeTokenArgs extends CommonArgs {
  token?: string | undefined;
  cluster?: string | undefined;
  verify?: boolean | undefined;
  kubeconfigUser?: string | undefined;
  kubeconfig?: string | undefined;
  partition?: string | undefined;
  region?: string | undefined;
}

/** `eksauth decode-token`: what a token holds and whether the authenticator (and, with --verify, STS) accepts it. */
export async function runDecodeToken(args: DecodeTokenArgs, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { token, source } = readToken(args, env);
  assertRegionName(args.region, '--region');
  if (args.partition !== undefined && !isPartition(args.partition))
    throw new UsageError(`unknown partition '${args.partition}'`);
  if (args.verify && !args.cluster) {
    throw new UsageError(
      '--verify needs --cluster NAME: the signature covers the cluster name, so STS can only check it for a given name',
    );
  }
  const inspection = inspectToken(token, {
    source,
    now: new Date(),
    partition: args.partition as Partition | undefined,
    serverRegion: args.region,
    clusterName: args.cluster,
  });
  const evidence: TokenEvidence = inspection.evidence;
  const facts: Record<string, string> = {};
  if (args.verify && args.cluster && inspection.url !== undefined && evidence.validation.ok) {
    const replay = await replayToken(inspection.url, args.cluster, {
      endpointOverride: env.EKSAUTH_STS_ENDPOINT_OVERRIDE,
      secrets: inspection.secrets,
      env,
    });
    evidence.replay = replay;
    if (replay.outcome === 'identity') {
      const identity = canonicalIdentity(replay, '');
      facts['STS identity'] = replay.arn;
      if (identity.canonicalArn) facts['Canonical ARN'] = identity.canonicalArn;
      if (identity.error) facts['Identity error'] = identity.error;
    } else if (replay.outcome === 'sts-error') {
      facts['STS replay'] = `HTTP ${replay.status}${replay.code ? ` ${replay.code}` : ''}: ${replay.message}`;
    } else {
      facts['STS replay'] = `not reached: ${replay.message}`;
    }
  } else if (args.verify && !evidence.validation.ok) {
    facts['STS replay'] = 'skipped: the authenticator would refuse the token before calling STS';
  }

  const checkEvidence: Evidence = { token: evidence };
  const { findings, skipped } = runChecks(TOKEN_CHECKS, { evidence: checkEvidence });
  const summary = summarize(
    evidence,
    findings.some((f) => f.severity === 'error'),
  );
  const report: Report & { token: TokenSummary } = {
    schemaVersion: SCHEMA_VERSION,
    command: 'decode-token',
    rootCause: pickRootCause(findings, false),
    findings,
    skipped,
    facts: { ...humanFacts(evidence, summary), ...facts },
    token: summary,
  };
  emitReport(report, args, source);
}

function summarize(evidence: TokenEvidence, hasError: boolean): TokenSummary {
  const { facts } = evidence;
  const expired =
    !evidence.validation.ok && evidence.validation.checkId === 'token/expired'
      ? true
      : facts.expiresAt
        ? Date.parse(evidence.checkedAt) > Date.parse(facts.expiresAt)
        : null;
  return {
    valid: !hasError,
    stsHost: facts.stsHost ?? null,
    region: facts.region ?? null,
    partition: facts.hostPartition ?? null,
    accessKeyId: facts.accessKeyId ?? null,
    signedAt: facts.signedAt ?? null,
    expiresAt: facts.expiresAt ?? null,
    expired,
    signedHeaders: facts.signedHeaders,
  };
}

function humanFacts(evidence: TokenEvidence, summary: TokenSummary): Record<string, string> {
  const out: Record<string, string> = {
    Token: `${summary.valid ? 'accepted' : 'refused'} (judged for partition ${evidence.partition})`,
  };
  if (summary.stsHost) out['STS host'] = `${summary.stsHost}${summary.region ? ` (${summary.region})` : ''}`;
  if (summary.accessKeyId)
    out['Access key'] = `${summary.accessKeyId}${evidence.facts.hasSessionToken ? ' (temporary credentials)' : ''}`;
  if (summary.signedAt) out['Signed at'] = summary.signedAt;
  if (summary.expiresAt) out['Expires at'] = `${summary.expiresAt}${summary.expired ? ' (expired)' : ''}`;
  if (summary.signedHeaders.length > 0) out['Signed headers'] = summary.signedHeaders.join(';');
  if (!evidence.validation.ok) out['Authenticator says'] = evidence.validation.message;
  return out;
}

/** The token text from the argument, standard input or a kubeconfig user, and where it came from. */
function readToken(args: DecodeTokenArgs, env: NodeJS.ProcessEnv): { token: string; source: string } {
  if (args.kubeconfigUser !== undefined) {
    if (args.token !== undefined && args.token !== '-')
      throw new UsageError('give either a TOKEN or --kubeconfig-user, not both');
    return {
      token: tokenFromKubeconfig(args.kubeconfigUser, args.kubeconfig, env),
      source: `kubeconfig user ${args.kubeconfigUser}`,
    };
  }
  // yargs hands a lone `-` to a string positional as ''.
  const fromStdin = args.token === undefined || args.token === '-' || args.token === '';
  // Waiting silently on a terminal looks like a hang: ask for the token instead.
  if (args.token === undefined && process.stdin.isTTY) {
    throw new UsageError('give a TOKEN, - to read one from standard input, or --kubeconfig-user NAME');
  }
  const text = fromStdin ? readInput('-', 'the token', INPUT_LIMITS.token) : args.token;
  const token = normalizeToken(text ?? '');
  if (token === '') throw new UsageError(`no token given${fromStdin ? ' on standard input' : ''}`);
  return { token, source: fromStdin ? 'stdin' : 'argument' };
}

/**
 * Accepts what people paste: the bare token, `Bearer <token>`, an `Authorization:` header, or a
 * whole ExecCredential as `aws eks get-token` prints it.
 */
export function normalizeToken(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const token = (JSON.parse(trimmed) as { status?: { token?: unknown } }).status?.token;
      if (typeof token === 'string') return token;
    } catch {
      throw new UsageError('the input starts with "{" but is not an ExecCredential (JSON with status.token)');
    }
  }
  return trimmed.replace(/^authorization:\s*/i, '').replace(/^bearer\s+/i, '');
}

/** The token of a kubeconfig user, found with kubectl's rules (see loadKubeconfig): first file wins. */
function tokenFromKubeconfig(user: string, file: string | undefined, env: NodeJS.ProcessEnv): string {
  const merged = loadKubeconfig(file ? { ...env, KUBECONFIG: file } : env, (path, error) => {
    // As kubectl: a missing file among several is skipped; anything else unreadable stops here.
    if (error.code === 'ENOENT' && !file && kubeconfigPaths(env).length > 1) return;
    throw new UsageError(`cannot read kubeconfig '${path}': ${redactSecrets(error.message.split('\n')[0] ?? '')}`);
  });
  const entry = merged.users.get(user);
  if (!entry) throw new UsageError(`no user named '${user}' in ${merged.paths.join(delimiter)}`);
  if (entry.token) return entry.token;
  if (entry.tokenFile) {
    try {
      return readBoundedText(entry.tokenFile, INPUT_LIMITS.kubeconfig).trim();
    } catch (error) {
      throw new UsageError(
        `cannot read the tokenFile of kubeconfig user ${user}: ${redactSecrets((error as Error).message.split('\n')[0] ?? '')}`,
      );
    }
  }
  const exec = entry.exec?.command;
  throw new UsageError(
    exec
      ? `kubeconfig user ${user} has no token: it runs '${exec}' to get one; run that command and pipe its output to 'eksauth decode-token -'`
      : `kubeconfig user ${user} has no token field`,
  );
}
