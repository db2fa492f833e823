/** The stages of a request, in the order EKS processes it (check-catalog.md). */
export const STAGES = ['client', 'token', 'reachability', 'authentication', 'authorization'] as const;
export type Stage = (typeof STAGES)[number];

export type StepStatus = 'pass' | 'fail' | 'warn' | 'skip';

/** One line of the "what EKS did" trace. */
export interface TraceStep {
  stage: Stage;
  title: string;
  status: StepStatus;
  detail: string;
}

export type MappingSource = 'access-entry' | 'aws-auth' | 'cluster-creator';

export interface Decision {
  authenticated: boolean;
  source: MappingSource | null;
  username: string | null;
  groups: string[];
}
