// What the local stack needs to know about processes it did not start in this run (a Postgres, API or worker left by a
// run that was killed): is a pid alive, what does it run, and waiting for it to end.
import { readFileSync } from 'node:fs';

/** True when a process with this pid exists (EPERM: it exists but belongs to another user). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True once a process has exited: gone, or a zombie (an orphan that has exited but that init has not reaped yet, which
 * in some containers takes a while).
 */
export function exited(pid: number): boolean {
  return !alive(pid) || procStat(pid)?.state === 'Z';
}

/** The parent of a live process; undefined where /proc cannot tell. */
export function parentOf(pid: number): number | undefined {
  return procStat(pid)?.ppid;
}

function procStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid …: the comm may hold spaces and parentheses, so split after the last ')'.
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: state!, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/**
 * The command line of a live process, arguments joined by spaces; undefined when it has exited, or where /proc cannot
 * tell (not Linux), in which case callers go by `alive` alone.
 */
export function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}

/** Alive and, where /proc can tell, running a command line that contains `marker` (a pid can be reused). */
export function runs(pid: number, marker: string): boolean {
  if (!alive(pid)) return false;
  const cmd = commandLine(pid);
  return cmd === undefined || cmd.includes(marker);
}

/** Sends a signal to a process, or to its whole group with `group` (a detached child leads its own). */
export function signal(pid: number, sig: NodeJS.Signals, group = false): void {
  try {
    process.kill(group ? -pid : pid, sig);
  } catch {
    /* already gone */
  }
}

/** Polls until `gone()` holds; false when `timeoutMs` passed first. */
export async function waitUntil(gone: () => boolean, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const t0 = Date.now();
  while (!gone()) {
    if (Date.now() - t0 > timeoutMs) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return true;
}
