import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
// @ts-expect-error: a plain .mjs build script shared with `npm run referee:build`, no type declarations
import { buildReferee, refereeUnavailable } from '../../scripts/build-referee.mjs';

/** The identity the authenticator maps, reduced to what ParseMap's rows and templates read. */
export interface RefereePrincipal {
  canonicalArn: string;
  accountId: string;
  sessionName: string;
  accessKeyId: string;
  privateDnsName: string;
}

export interface RefereeRequest {
  data: Record<string, string>;
  principals: RefereePrincipal[];
}

export interface RefereeRow {
  arn: string;
  username: string;
  groups: string[];
  sso?: { permissionSetName: string; accountID: string; partition?: string };
  invalid?: string;
}

export interface RefereeBlock {
  present: boolean;
  skipped: boolean;
  failedAt?: 'yaml-to-json' | 'json-syntax' | 'json-type';
  error?: string;
  rows: RefereeRow[];
}

export interface RefereeCandidate {
  via: 'mapRoles' | 'mapUsers' | 'mapAccounts';
  row: number;
  username: string;
  groups: string[];
  renderError?: string;
}

export interface RefereeAnswer {
  error?: string;
  mapRoles: RefereeBlock;
  mapUsers: RefereeBlock;
  mapAccounts: { present: boolean; skipped: boolean; error?: string; accounts: string[] };
  storedRoles: number[];
  storedUsers: number[];
  lookups: { mapped: boolean; candidates: RefereeCandidate[] }[];
}

/**
 * Whether the referee can run here. On CI (CI=true) a missing Go toolchain is a failure, never a
 * skip: .ci/run installs it, so its absence means the property suite silently stopped judging.
 */
export function refereeStatus(): { available: true } | { available: false; reason: string } {
  const missing = refereeUnavailable() as string | undefined;
  if (missing === undefined) return { available: true };
  if (process.env.CI === 'true') throw new Error(`the Go referee is required on CI: ${missing}`);
  return { available: false, reason: missing };
}

/** One long-running referee process: requests go in as JSON lines, answers come back in order. */
export class Referee {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending: { resolve: (a: RefereeAnswer) => void; reject: (e: Error) => void }[] = [];
  private stderr = '';

  private constructor(binary: string) {
    this.child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const next = this.pending.shift();
      if (!next) return;
      try {
        next.resolve(JSON.parse(line) as RefereeAnswer);
      } catch (error) {
        next.reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    this.child.on('exit', (code) => {
      for (const waiting of this.pending.splice(0))
        waiting.reject(new Error(`referee exited (${code}) before answering: ${this.stderr}`));
    });
  }

  static start(): Referee {
    return new Referee(buildReferee() as string);
  }

  ask(request: RefereeRequest): Promise<RefereeAnswer> {
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.child.stdin.write(`${JSON.stringify(request)}\n`);
    });
  }

  async askAll(requests: readonly RefereeRequest[]): Promise<RefereeAnswer[]> {
    return Promise.all(requests.map((r) => this.ask(r)));
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end();
    await exited;
  }
}
