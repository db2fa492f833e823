import { createHash } from 'node:crypto';
import { LOG_TYPES, type LogType } from '../scenario/types.js';

/** The stream each log type writes to: `authenticator-<hash>`, `kube-apiserver-audit-<hash>`… */
const STREAM_PREFIX: Record<LogType, string> = {
  api: 'kube-apiserver-',
  audit: 'kube-apiserver-audit-',
  authenticator: 'authenticator-',
  controllerManager: 'kube-controller-manager-',
  scheduler: 'kube-scheduler-',
};

export interface LogEvent {
  logStreamName: string;
  /** Epoch milliseconds. */
  timestamp: number;
  ingestionTime: number;
  message: string;
  eventId: string;
}

export interface LogStream {
  logStreamName: string;
  type: LogType;
  creationTime: number;
}

/**
 * One cluster's log group `/aws/eks/<cluster>/cluster`: the log types that are on, one stream per
 * type, and the events written to them (replayed history plus what the sandbox did since start).
 * A type that is off records nothing, as on EKS; with every type off the group does not exist.
 */
export class ClusterLogs {
  readonly groupName: string;
  readonly streams: LogStream[];
  private readonly events: LogEvent[] = [];
  private sequence = 0;

  constructor(
    clusterName: string,
    clusterArn: string,
    readonly enabled: ReadonlySet<LogType>,
    readonly creationTime: Date,
  ) {
    this.groupName = `/aws/eks/${clusterName}/cluster`;
    const hash = createHash('sha256').update(clusterArn).digest('hex').slice(0, 32);
    this.streams = LOG_TYPES.filter((t) => enabled.has(t)).map((type) => ({
      logStreamName: `${STREAM_PREFIX[type]}${hash}`,
      type,
      creationTime: creationTime.getTime(),
    }));
  }

  get exists(): boolean {
    return this.enabled.size > 0;
  }

  /** Appends a message to the type's stream, when that type is on; CloudWatch takes it a few seconds later. */
  write(type: LogType, time: Date, message: string): void {
    const stream = this.streams.find((s) => s.type === type);
    if (!stream) return;
    this.sequence += 1;
    this.events.push({
      logStreamName: stream.logStreamName,
      timestamp: time.getTime(),
      ingestionTime: time.getTime() + 2_000,
      message,
      eventId: eventId(time.getTime(), this.sequence),
    });
  }

  /** Every event, oldest first (ties keep write order), as FilterLogEvents returns them. */
  all(): LogEvent[] {
    return [...this.events].sort((a, b) => a.timestamp - b.timestamp);
  }

  storedBytes(): number {
    return this.events.reduce((sum, e) => sum + Buffer.byteLength(e.message), 0);
  }
}

/** CloudWatch event ids are 56 decimal digits that sort by time. */
function eventId(timestamp: number, sequence: number): string {
  return `${String(timestamp).padStart(20, '0')}${String(sequence).padStart(36, '0')}`;
}
