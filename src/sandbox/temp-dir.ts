import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The sandboxes' temporary directories hold credentials (the env file, kubeconfigs), so they
 * must not outlive the process however it ends. One registry for the whole process, so a test
 * file that starts fifty sandboxes adds one listener per event, not fifty.
 */
const live = new Set<string>();

/** The signals that end a process by default; SIGKILL cannot be caught, so nothing can clean up after it. */
const FATAL_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function removeAll(): void {
  for (const dir of live) rmSync(dir, { recursive: true, force: true });
  live.clear();
}

/**
 * When the sandbox's code is the only one listening, a signal removes the directories and then
 * ends the process as the signal would have. When something else listens (`eksauth sandbox`
 * stops gracefully on Ctrl-C), that code decides, and closes the sandbox itself.
 */
function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  removeAll();
  stopListening();
  process.kill(process.pid, signal);
}

function startListening(): void {
  // `exit` also runs after an uncaught exception or unhandled rejection, before the process ends.
  process.on('exit', removeAll);
  for (const signal of FATAL_SIGNALS) process.on(signal, onSignal);
}

function stopListening(): void {
  process.off('exit', removeAll);
  for (const signal of FATAL_SIGNALS) process.off(signal, onSignal);
}

/** A new private directory (mode 0700), removed at exit, on a fatal signal, or by removeSandboxDir. */
export function createSandboxDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'eksauth-sandbox-'));
  if (live.size === 0) startListening();
  live.add(dir);
  return dir;
}

export function removeSandboxDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  if (live.delete(dir) && live.size === 0) stopListening();
}
