import type { AccessSample } from '../collect/probe.js';
import type { Env } from '../token/aws-config.js';

export interface DoctorRequest {
  cluster: string;
  /** The principal to diagnose; without it, the caller's own identity. */
  roleArn?: string;
  /** Session name for AssumeRole; the aws CLI's `EKSGetTokenAuth` by default, so templates render the same. */
  sessionName: string;
  externalId?: string;
  region?: string;
  profile?: string;
  timeoutMs: number;
  env: Env;
  now: () => Date;
  /**
   * The target's own environment (`--target-profile`): diagnose whoever these credentials are,
   * while cluster state is read with the operator's. Exclusive with roleArn.
   */
  targetEnv?: Env;
  targetProfile?: string;
  /** Requests to ask about besides the standard samples (`--can`). */
  accessSamples?: AccessSample[];
  /** Do not run the kubeconfig's exec plugin (`--no-exec`). */
  noExec?: boolean;
  /** How far back control-plane logs and CloudTrail changes are read (`--logs-since`); default one hour. */
  logsSinceMs?: number;
  /** Run every step one after another (the benchmark's baseline). */
  serial?: boolean;
}
