// A private Postgres 15 (the system binaries) for fault-injection tests: a fresh initdb in a temporary folder, its own
// free port, TCP only, trust auth, so a test can stop, restart, freeze and kill it. It never touches the shared :5432.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chownSync, closeSync, existsSync, constants as fsConstants, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { exited, freePort, isUnreaped, readLog, sleep, track, untrack } from './processes.js';

export interface PostgresServer {
  readonly port: number;
  readonly running: boolean;
  /** PGDATA: outside the repository, in a mode-700 temporary folder owned by the postgres user when run as root. */
  readonly dataDir: string;
  /** The postmaster's pid; undefined while stopped. */
  readonly pid: number | undefined;
  /** postgresql://postgres@127.0.0.1:<port>/<database> */
  url(database?: string): string;
  /** What `pg_ctl stop -m fast` does (SIGINT to the postmaster), or `-m immediate` (SIGQUIT) with {immediate: true}; data kept. */
  stop(opts?: { immediate?: boolean }): Promise<void>;
  /** Same port, same data; resolves when it accepts connections (after crash recovery, following an immediate stop). */
  start(): Promise<void>;
  /** stop, wait downMs (default 0), start. */
  restart(opts?: { downMs?: number; immediate?: boolean }): Promise<void>;
  /** SIGSTOP to the postmaster and every process under it (each backend is its own process group, so one group is not enough). */
  freeze(): void;
  /** SIGCONT to the same processes. */
  thaw(): void;
  /** Stops the server (fast, SIGKILL when that hangs) and removes the data folder; idempotent. */
  close(): Promise<void>;
}

const BIN = '/usr/lib/postgresql/15/bin';
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;
const LOG = 'postgres.log';
// Children speak English whatever the locale, so their errors read the same everywhere.
const childEnv = () => ({ ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' });

interface Account {
  uid: number;
  gid: number;
}

export async function startPostgresServer(): Promise<PostgresServer> {
  if (!existsSync(join(BIN, 'postgres'))) throw new Error(`no Postgres 15 in ${BIN} (apt-get install postgresql-15)`);
  const account = process.getuid?.() === 0 ? postgresAccount() : undefined;
  // Never inside the checkout: as root the repository may sit under a folder the postgres user cannot enter.
  const home = mkdtempSync(join(tmpdir(), 'ablate-pg-'));
  if (account) chownSync(home, account.uid, account.gid);
  const server = new PrivatePostgres(home, account);
  try {
    await runToEnd(
      join(BIN, 'initdb'),
      ['-D', server.dataDir, '--auth=trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'],
      account,
      home,
    );
  } catch (err) {
    await server.close();
    throw err;
  }
  // freePort() closes its probe before Postgres binds, so another process can take the port in between: try a new one.
  for (let attempt = 1; ; attempt++) {
    try {
      await server.listenOn(await freePort());
      return server;
    } catch (err) {
      if (attempt < 3 && /could not bind|address already in use/i.test(String(err))) continue;
      await server.close();
      throw err;
    }
  }
}

class PrivatePostgres implements PostgresServer {
  readonly dataDir: string;
  #port = 0;
  #child: ChildProcess | undefined;
  #frozen = false;
  #closing: Promise<void> | undefined;
  // Runs on process exit and on a terminating signal (see track()): kill synchronously, remove the folder.
  readonly #onExit = () => {
    if (this.running) this.#killAll();
    rmSync(this.home, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  };

  constructor(
    private readonly home: string,
    private readonly account: Account | undefined,
  ) {
    this.dataDir = join(home, 'data');
    track(this.#onExit);
  }

  get port(): number {
    return this.#port;
  }

  get running(): boolean {
    return this.#child !== undefined && isUnreaped(this.#child);
  }

  get pid(): number | undefined {
    return this.running ? this.#child!.pid : undefined;
  }

  url(database = 'postgres'): string {
    return `postgresql://postgres@127.0.0.1:${this.#port}/${database}`;
  }

  async listenOn(port: number): Promise<void> {
    this.#port = port;
    await this.start();
  }

  async start(): Promise<void> {
    if (this.#closing) throw new Error(`the Postgres server on port ${this.#port} is closed`);
    if (this.running) return;
    const log = openSync(join(this.home, LOG), fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_APPEND);
    const logStart = readLog(this.home, LOG).length;
    let child: ChildProcess;
    try {
      // detached: its own session and process group, out of reach of the terminal's Ctrl-C, so only this harness
      // decides when it dies. dynamic_shared_memory_type=mmap keeps its segments in PGDATA rather than /dev/shm.
      const settings = ['listen_addresses=127.0.0.1', 'unix_socket_directories=', 'fsync=off', 'dynamic_shared_memory_type=mmap'];
      child = spawn(join(BIN, 'postgres'), ['-D', this.dataDir, '-p', String(this.#port), ...settings.flatMap((s) => ['-c', s])], {
        ...(this.account && { uid: this.account.uid, gid: this.account.gid }),
        cwd: this.home,
        env: childEnv(),
        detached: true,
        stdio: ['ignore', log, log],
      });
    } finally {
      closeSync(log);
    }
    let spawnError: Error | undefined;
    child.once('error', (err) => {
      spawnError = err;
    });
    this.#child = child;
    this.#frozen = false;
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const why = spawnError
        ? `cannot run postgres: ${spawnError.message}`
        : !isUnreaped(child)
          ? `postgres exited while starting (${child.signalCode ?? `exit code ${child.exitCode}`})`
          : Date.now() > deadline
            ? `postgres did not accept connections within ${READY_TIMEOUT_MS / 1000}s`
            : undefined;
      if (why) {
        await this.#kill();
        throw new Error(`${why} on port ${this.#port}:\n${readLog(this.home, LOG).slice(logStart).slice(-4000).trim()}`);
      }
      if (await this.#accepts()) return;
      await sleep(25);
    }
  }

  async stop(opts: { immediate?: boolean } = {}): Promise<void> {
    const child = this.#child;
    if (child && this.running) {
      this.thaw();
      // The postmaster waits for its children before it exits, so its exit means the whole server is gone.
      child.kill(opts.immediate ? 'SIGQUIT' : 'SIGINT');
      if (!(await exited(child, STOP_TIMEOUT_MS))) {
        await this.#kill();
        throw new Error(`postgres on port ${this.#port} did not stop within ${STOP_TIMEOUT_MS / 1000}s; killed it`);
      }
    }
    this.#child = undefined;
  }

  async restart(opts: { downMs?: number; immediate?: boolean } = {}): Promise<void> {
    await this.stop({ immediate: opts.immediate ?? false });
    if (opts.downMs) await sleep(opts.downMs);
    await this.start();
  }

  freeze(): void {
    if (!this.running) throw new Error(`cannot freeze the Postgres server on port ${this.#port}: it is not running`);
    const postmaster = this.#child!.pid!;
    // The postmaster first, so it forks no new backend between the listing and the signals.
    signal(postmaster, 'SIGSTOP');
    for (const pid of descendants(postmaster)) signal(pid, 'SIGSTOP');
    this.#frozen = true;
  }

  thaw(): void {
    if (this.#frozen && this.running) {
      const postmaster = this.#child!.pid!;
      for (const pid of descendants(postmaster)) signal(pid, 'SIGCONT');
      signal(postmaster, 'SIGCONT');
    }
    this.#frozen = false;
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      try {
        await this.stop();
      } catch {
        // stop() has killed what did not stop; close() only promises that nothing is left.
      }
      rmSync(this.home, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
      // Only now: a crash while closing must still find the exit cleanup.
      untrack(this.#onExit);
    })();
    return this.#closing;
  }

  async #accepts(): Promise<boolean> {
    const client = new pg.Client({ connectionString: this.url(), connectionTimeoutMillis: 1000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  }

  /** SIGKILL to the postmaster and everything under it, then wait until the postmaster has been reaped. */
  async #kill(): Promise<void> {
    const child = this.#child;
    if (!child || !isUnreaped(child)) return;
    this.#killAll();
    await exited(child, Number.POSITIVE_INFINITY);
  }

  /** Synchronous, for the exit handler: SIGKILL works on stopped processes too. Only while the postmaster is unreaped. */
  #killAll(): void {
    const child = this.#child;
    if (!child || !isUnreaped(child)) return;
    const postmaster = child.pid!;
    // List first: once the postmaster dies its children are re-parented and can no longer be found under it.
    const all = [postmaster, ...descendants(postmaster)];
    for (const pid of all) signal(pid, 'SIGKILL');
    this.#frozen = false;
    removeSysvSegment(this.dataDir, postmaster);
  }
}

/** The `postgres` system user, which Postgres needs when this process is root. */
function postgresAccount(): Account {
  const [u, g] = ['-u', '-g'].map((flag) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }));
  if (u!.status !== 0 || g!.status !== 0) {
    throw new Error("Postgres refuses to run as root and there is no 'postgres' user to run it as (useradd --system postgres)");
  }
  return { uid: Number(u!.stdout.trim()), gid: Number(g!.stdout.trim()) };
}

function runToEnd(file: string, args: string[], account: Account | undefined, cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      ...(account && { uid: account.uid, gid: account.gid }),
      cwd,
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const keep = (d: Buffer) => {
      out = (out + d.toString('utf8')).slice(-4000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.once('error', (err) => reject(new Error(`cannot run ${file}: ${err.message}`)));
    child.once('close', (code, sig) => {
      if (code === 0) resolve();
      else reject(new Error(`${file} failed (${sig ?? `exit code ${code}`}):\n${out.trim()}`));
    });
  });
}

function signal(pid: number, sig: NodeJS.Signals): void {
  // process.kill(0) or (-0) would signal this process's own group.
  if (!Number.isInteger(pid) || pid <= 1) return;
  try {
    process.kill(pid, sig);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Every process below pid, from /proc (Linux): Postgres's backends and helpers, each in a session of its own. */
function descendants(pid: number): number[] {
  if (!existsSync('/proc')) return [];
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid …"; comm may hold spaces and parentheses, so parse after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/**
 * After a SIGKILL the postmaster's small System V segment (its interlock) would outlive it; mark it for removal, which
 * happens once the last process has detached. Only when postmaster.pid is this postmaster's.
 */
function removeSysvSegment(dataDir: string, postmaster: number): void {
  let lines: string[];
  try {
    lines = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return;
  }
  const shmid = lines[6]?.trim().split(/\s+/)[1];
  if (Number(lines[0]) === postmaster && shmid && /^\d+$/.test(shmid)) spawnSync('ipcrm', ['-m', shmid], { stdio: 'ignore' });
}
