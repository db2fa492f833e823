import type { StepEvent, StepListener } from '../doctor/step-runner.js';
import { eraseLine, sgr } from '../report/sanitise.js';

/** Where progress goes and how: a terminal gets marks and a live "waiting for" line, a log plain words. */
export interface ProgressOptions {
  write: (text: string) => void;
  tty: boolean;
  color: boolean;
  /** How long steps may run before the waiting line names them (tests pass their own). */
  waitAfterMs?: number;
}

const WAIT_AFTER_MS = 1000;

/**
 * doctor's step-by-step progress on stderr. Each finished step prints one line; when nothing has
 * finished for a second, the steps still running are named: on a terminal in a line rewritten in
 * place every second (erased before the next step line), in a log once per set of steps, as a
 * plain line, so a slow run says what it waits for without flooding CI output.
 */
export function createProgress(options: ProgressOptions): StepListener & { finish: () => void } {
  const paint = (code: number, text: string) => (options.color ? `${sgr(code)}${text}${sgr(39)}` : text);
  const mark = {
    done: options.tty ? paint(32, '✓') : 'ok  ',
    failed: options.tty ? paint(31, '✗') : 'FAIL',
    skipped: options.tty ? '-' : 'skip',
  };
  const waitAfterMs = options.waitAfterMs ?? WAIT_AFTER_MS;
  const running = new Map<string, number>();
  let lastChange = performance.now();
  let waitingLineShown = false;
  let lastAnnounced = '';

  const clearWaitingLine = () => {
    if (waitingLineShown) options.write(eraseLine());
    waitingLineShown = false;
  };
  const tick = () => {
    const idleMs = performance.now() - lastChange;
    if (running.size === 0 || idleMs < waitAfterMs) return;
    const names = [...running.keys()].join(', ');
    const seconds = Math.floor(idleMs / 1000);
    if (options.tty) {
      options.write(`${eraseLine()}  … waiting for ${names} (${seconds} s)`);
      waitingLineShown = true;
    } else if (names !== lastAnnounced) {
      options.write(`  wait ${names}\n`);
      lastAnnounced = names;
    }
  };
  const timer = setInterval(tick, Math.min(waitAfterMs, 1000));
  // Progress never keeps the process alive on its own.
  timer.unref();

  return {
    onStart: (name) => {
      running.set(name, (running.get(name) ?? 0) + 1);
    },
    onStep: (event: StepEvent) => {
      const count = (running.get(event.name) ?? 1) - 1;
      if (count > 0) running.set(event.name, count);
      else running.delete(event.name);
      lastChange = performance.now();
      clearWaitingLine();
      const detail = event.status !== 'done' && event.detail ? `: ${event.detail}` : '';
      options.write(`  ${mark[event.status]} ${event.name} (${event.ms} ms)${detail}\n`);
    },
    finish: () => {
      clearInterval(timer);
      clearWaitingLine();
      if (options.tty) options.write('\n');
    },
  };
}
