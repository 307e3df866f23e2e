// One `ablate up` per home folder: <home>/up.lock names the `ablate up` running there, and the API and worker processes
// it started, so that a start after a run killed with -9 knows which of those may still be shutting down.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HomeInUseError } from './errors.js';
import { runs } from './processes.js';

/** A process the holder started, and a string its command line contains (a pid can be reused). */
export interface LockedProcess {
  role: string;
  pid: number;
  marker: string;
}

export interface LockRecord {
  pid: number;
  startedAt: string;
  apiUrl: string;
  processes: LockedProcess[];
}

export interface HomeLock {
  /** Rewrites the lock with the processes started so far. */
  record(processes: LockedProcess[]): void;
  release(): void;
}

/** The command line of `ablate up` contains this. */
export const UP_MARKER = 'cli/src/main.ts';

/**
 * Takes the lock, or throws HomeInUseError naming the `ablate up` that holds it. A lock whose holder is gone is taken
 * over and returned as `stale`.
 */
export function lockHome(home: string, apiUrl: string): { lock: HomeLock; stale?: LockRecord } {
  const file = join(home, 'up.lock');
  const mine: LockRecord = { pid: process.pid, startedAt: new Date().toISOString(), apiUrl, processes: [] };
  let stale: LockRecord | undefined;
  for (let tries = 0; tries < 3; tries++) {
    try {
      writeFileSync(file, JSON.stringify(mine), { flag: 'wx' });
      return { lock: held(file, mine), stale };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const text = read(file);
    const other = parse(text);
    if (other && runs(other.pid, UP_MARKER)) {
      throw new HomeInUseError(
        `another ablate up (pid ${other.pid}, started ${other.startedAt}, ${other.apiUrl}) is running on ${home}; ` +
          `stop it first (Ctrl-C in its terminal, or kill ${other.pid}), or pass another --dir`,
      );
    }
    // Its holder is gone (or it is torn): removed only if it is still the file read, since another start may have
    // taken it over in between.
    if (read(file) === text) rmSync(file, { force: true });
    stale = other ?? stale;
  }
  throw new HomeInUseError(`another ablate up is starting on ${home} at this moment`);
}

function held(file: string, mine: LockRecord): HomeLock {
  return {
    record(processes) {
      const tmp = `${file}.${process.pid}`;
      writeFileSync(tmp, JSON.stringify({ ...mine, processes }));
      renameSync(tmp, file);
    },
    release() {
      if (parse(read(file))?.pid === process.pid) rmSync(file, { force: true });
    },
  };
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function parse(text: string): LockRecord | undefined {
  try {
    const r = JSON.parse(text) as LockRecord;
    return Number.isInteger(r.pid) ? { ...r, processes: Array.isArray(r.processes) ? r.processes : [] } : undefined;
  } catch {
    return undefined;
  }
}
