import type { ServiceName } from './scenario/types.js';

/** The API servers' token replays carry this User-Agent, so the log can tell them from the user's own calls. */
export const AUTHENTICATOR_USER_AGENT = 'aws-iam-authenticator/sandbox';

/** One request as the sandbox saw it: enough to prove who did what, e.g. that `doctor` only reads. */
export interface RequestLogEntry {
  time: string;
  service: ServiceName;
  /** The operation (`DescribeCluster`) or, for the kube API, `VERB resource` (`get configmaps`). */
  action: string;
  /** The authenticated caller's ARN (STS form for role sessions), when authentication succeeded. */
  caller?: string;
  /** The scenario principal id of the caller. */
  principal?: string;
  accessKeyId?: string;
  /** Kubernetes username, for kube requests that authenticated. */
  username?: string;
  /** `eks-authenticator`: an API server replaying a bearer token to STS, not a call the client made. */
  via?: 'eks-authenticator';
  allowed: boolean;
  /** true when the request would change state. */
  write: boolean;
  status: number;
  /** The error code or Status reason when the request failed. */
  error?: string;
  cluster?: string;
  method: string;
  path: string;
}

export class RequestLog {
  readonly entries: RequestLogEntry[] = [];
  private readonly listeners: ((entry: RequestLogEntry) => void)[] = [];

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    for (const listener of this.listeners) listener(entry);
  }

  onEntry(listener: (entry: RequestLogEntry) => void): void {
    this.listeners.push(listener);
  }

  clear(): void {
    this.entries.length = 0;
  }

  writes(): RequestLogEntry[] {
    return this.entries.filter((e) => e.write);
  }

  /** The calls clients made themselves (without the API servers' token replays). */
  clientCalls(): RequestLogEntry[] {
    return this.entries.filter((e) => e.via === undefined);
  }
}
