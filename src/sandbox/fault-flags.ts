import { ScenarioError } from './scenario/reader.js';
import {
  FAULT_KINDS,
  SERVICES,
  type Fault,
  type FaultKind,
  type Scenario,
  type ServiceName,
} from './scenario/types.js';

export const FAULT_FLAG_SYNTAX = 'SERVICE:KIND[=MS|STATUS][,action=OPERATION][,principal=ID][,times=N]';

/**
 * `--fault eks:throttle,action=DescribeCluster,times=2`, `--fault kube:hang`,
 * `--fault sts:latency=800`, `--fault eks:server-error=503`, `--fault iam:access-denied,principal=alice`.
 */
export function parseFaultFlag(text: string, scenario: Scenario): Fault {
  const bad = (why: string): never => {
    throw new ScenarioError(`--fault '${text}': ${why} (syntax: ${FAULT_FLAG_SYNTAX})`);
  };
  const [head = '', ...options] = text.split(',');
  const match = /^([a-z0-9]+):([a-z-]+)(?:=(\d+))?$/.exec(head);
  if (!match) return bad('expected SERVICE:KIND');
  const service = match[1] as ServiceName;
  const kind = match[2] as FaultKind;
  if (!SERVICES.includes(service)) bad(`unknown service '${service}' (one of ${SERVICES.join(', ')})`);
  if (!FAULT_KINDS.includes(kind)) bad(`unknown kind '${kind}' (one of ${FAULT_KINDS.join(', ')})`);
  const value = match[3] === undefined ? undefined : Number(match[3]);
  if (kind === 'latency' && value === undefined) bad('latency needs =MS');
  if (kind === 'server-error' && value !== undefined && (value < 500 || value > 599))
    bad('server-error takes a 5xx status');
  const fault: Fault = {
    service,
    kind,
    ...(kind === 'latency' ? { ms: value } : {}),
    ...(kind === 'server-error' && value !== undefined ? { status: value } : {}),
  };
  for (const option of options) {
    const [key = '', v = ''] = option.split('=');
    if (!v) bad(`option '${option}' needs a value`);
    if (key === 'action') fault.action = v;
    else if (key === 'times')
      fault.times = Number.isInteger(Number(v)) && Number(v) > 0 ? Number(v) : bad('times must be a positive integer');
    else if (key === 'principal') {
      const principal = scenario.principals.find((p) => p.id === v);
      fault.principalArn = principal ? principal.arn : bad(`no principal '${v}' in scenario ${scenario.name}`);
    } else bad(`unknown option '${key}'`);
  }
  return fault;
}
