export interface StepEvent {
  name: string;
  status: 'done' | 'failed' | 'skipped';
  ms: number;
  detail?: string;
}

/** Who hears about steps: progress on a terminal, tests of how steps overlap. */
export interface StepListener {
  /** A step began (it may first wait for the steps it needs). */
  onStart?: (name: string) => void;
  onStep?: (event: StepEvent) => void;
}

/**
 * Runs named async steps. Each step awaits only the promises it needs, so independent steps run
 * concurrently; `serial` chains them one after another instead (the benchmark's baseline).
 */
export class StepRunner {
  readonly events: StepEvent[] = [];
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: StepListener & { serial?: boolean } = {}) {}

  /** `failedIf` marks a step that completed with a negative answer (a network path that ends before TLS). */
  run<T>(
    name: string,
    fn: () => Promise<T>,
    describe?: (value: T) => string,
    failedIf?: (value: T) => boolean,
  ): Promise<T> {
    const start = async (): Promise<T> => {
      const started = performance.now();
      this.options.onStart?.(name);
      try {
        const value = await fn();
        this.record({
          name,
          status: failedIf?.(value) ? 'failed' : 'done',
          ms: Math.round(performance.now() - started),
          ...(describe ? { detail: describe(value) } : {}),
        });
        return value;
      } catch (error) {
        this.record({
          name,
          status: error instanceof SkipStep ? 'skipped' : 'failed',
          ms: Math.round(performance.now() - started),
          detail: (error as Error).message,
        });
        throw error;
      }
    };
    if (!this.options.serial) return start();
    const next = this.tail.then(start, start);
    this.tail = next.catch(() => undefined);
    return next;
  }

  private record(event: StepEvent): void {
    this.events.push(event);
    this.options.onStep?.(event);
  }
}

/** Thrown by a step whose prerequisite failed: recorded as skipped, not as a failure of its own. */
export class SkipStep extends Error {}

/** Awaits a step and turns its failure into `undefined`, for steps that can go on without it. */
export async function settle<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch {
    return undefined;
  }
}
