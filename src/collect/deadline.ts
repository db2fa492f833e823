/**
 * `--timeout` bounds each step from its first request to the last byte of its last answer, retries
 * included. The SDK's and node's own timeouts notice only silence, so a server that sends a byte a
 * second would otherwise hold a step for as long as it likes.
 */
export class DeadlineExceeded extends Error {
  override readonly name = 'TimeoutError';
  readonly code = 'ETIMEDOUT';
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
  }
}

/**
 * Runs `work` with a signal that aborts at the deadline, and settles by then whatever `work` does:
 * an abort surfaces as DeadlineExceeded, whichever error the aborted request raised (the SDK's
 * AbortError, a reset socket mid-body).
 */
export async function withinDeadline<T>(timeoutMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(new DeadlineExceeded(timeoutMs));
      reject(new DeadlineExceeded(timeoutMs));
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(controller.signal), expired]);
  } catch (error) {
    throw controller.signal.aborted ? new DeadlineExceeded(timeoutMs) : error;
  } finally {
    clearTimeout(timer);
  }
}
