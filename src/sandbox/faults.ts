import { sameArn, stripRolePath } from '../model/arn.js';
import type { Fault, ServiceName } from './scenario/types.js';

/** The API servers know a role only by its path-less canonical ARN; AWS front ends by its IAM ARN. */
const samePrincipal = (a: string, b: string): boolean => sameArn(stripRolePath(a), stripRolePath(b));

export interface FaultQuery {
  service: ServiceName;
  action: string;
  /** The caller's IAM ARN (roles: without session; the path may be missing), when known. */
  principalArn?: string;
}

/** The faults of a scenario plus any added at start; `times` counts down as requests hit them. */
export class FaultEngine {
  private readonly faults: { fault: Fault; left: number }[];

  constructor(faults: Fault[]) {
    this.faults = faults.map((fault) => ({ fault, left: fault.times ?? Number.POSITIVE_INFINITY }));
  }

  /** Faults that make a whole listener misbehave at the TCP level (no action or principal given). */
  listenerFault(service: ServiceName): Fault | undefined {
    return this.faults.find(
      ({ fault }) =>
        fault.service === service &&
        (fault.kind === 'hang' || fault.kind === 'refuse' || fault.kind === 'untrusted-tls') &&
        fault.action === undefined &&
        fault.principalArn === undefined,
    )?.fault;
  }

  /** Total latency to add before answering. Latency is not consumed by `times`. */
  latency(service: ServiceName, action: string): number {
    return this.faults
      .filter(
        ({ fault }) =>
          fault.service === service &&
          fault.kind === 'latency' &&
          (fault.action === undefined || fault.action === action),
      )
      .reduce((sum, { fault }) => sum + (fault.ms ?? 0), 0);
  }

  /** The first fault that decides this request's answer, consuming one of its `times`. */
  take(query: FaultQuery, kinds: readonly Fault['kind'][]): Fault | undefined {
    const hit = this.faults.find(
      ({ fault, left }) =>
        left > 0 &&
        fault.service === query.service &&
        kinds.includes(fault.kind) &&
        (fault.action === undefined || fault.action === query.action) &&
        (fault.principalArn === undefined ||
          (query.principalArn !== undefined && samePrincipal(fault.principalArn, query.principalArn))),
    );
    if (hit) hit.left -= 1;
    return hit?.fault;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
