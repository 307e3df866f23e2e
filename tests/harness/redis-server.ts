// A private redis-server for fault-injection tests: its own free port, its own temporary folder and its own process
// group, so a test can stop, restart (with or without its data), freeze and kill it. It never touches the shared :6379.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, constants as fsConstants, mkdtempSync, openSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exited, freePort, isUnreaped, readLog, sleep, track, untrack } from './processes.js';

export interface RedisServer {
  readonly port: number;
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  readonly running: boolean;
  /** The server's folder (dump.rdb and redis.log); removed by close(). */
  readonly dir: string;
  /** The server's pid, which is also its process group id; undefined while stopped. */
  readonly pid: number | undefined;
  /** Stops the server. keepData: true → it saves first (SHUTDOWN SAVE) so a later start() has the data; false → SIGKILL and the data files are deleted (a restart comes back empty). */
  stop(opts: { keepData: boolean }): Promise<void>;
  /** Same port, same folder; resolves when it answers PING. */
  start(): Promise<void>;
  /** stop, wait downMs (default 0), start. */
  restart(opts: { keepData: boolean; downMs?: number }): Promise<void>;
  /** SIGSTOP to the server's process group: connections stay open but nothing is answered. */
  freeze(): void;
  /** SIGCONT to the server's process group. */
  thaw(): void;
  /** Kills the server (no save) and removes its folder; idempotent. */
  close(): Promise<void>;
}

const READY_TIMEOUT_MS = 15_000;
const SHUTDOWN_TIMEOUT_MS = 15_000;
const LOG = 'redis.log';

export async function startRedisServer(): Promise<RedisServer> {
  const server = new PrivateRedis(mkdtempSync(join(tmpdir(), 'ablate-redis-')));
  // freePort() closes its probe before redis binds, so another process can take the port in between: try a new one.
  for (let attempt = 1; ; attempt++) {
    try {
      await server.listenOn(await freePort());
      return server;
    } catch (err) {
      if (attempt < 3 && /address already in use/i.test(String(err))) continue;
      await server.close();
      throw err;
    }
  }
}

class PrivateRedis implements RedisServer {
  #port = 0;
  #child: ChildProcess | undefined;
  #frozen = false;
  #closing: Promise<void> | undefined;
  // Runs on process exit and on a terminating signal (see track()): kill synchronously, remove the folder.
  readonly #onExit = () => {
    if (this.running) killGroup(this.#child!, 'SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  };

  constructor(readonly dir: string) {
    track(this.#onExit);
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.#port}`;
  }

  get running(): boolean {
    return this.#child !== undefined && isUnreaped(this.#child);
  }

  get pid(): number | undefined {
    return this.running ? this.#child!.pid : undefined;
  }

  async listenOn(port: number): Promise<void> {
    this.#port = port;
    await this.start();
  }

  async start(): Promise<void> {
    if (this.#closing) throw new Error(`the Redis server on port ${this.#port} is closed`);
    if (this.running) return;
    const log = openSync(join(this.dir, LOG), fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_APPEND);
    const logStart = readLog(this.dir, LOG).length;
    let child: ChildProcess;
    try {
      // detached: its own process group, out of reach of the terminal's Ctrl-C, so only this harness decides when it dies.
      child = spawn(
        'redis-server',
        [
          '--port',
          String(this.#port),
          '--bind',
          '127.0.0.1',
          '--dir',
          this.dir,
          '--dbfilename',
          'dump.rdb',
          '--save',
          '',
          '--appendonly',
          'no',
          '--protected-mode',
          'no',
          '--daemonize',
          'no',
        ],
        { detached: true, stdio: ['ignore', log, log] },
      );
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
        ? `cannot run redis-server: ${spawnError.message}`
        : !isUnreaped(child)
          ? `redis-server exited while starting (${child.signalCode ?? `exit code ${child.exitCode}`})`
          : Date.now() > deadline
            ? `redis-server did not answer PING within ${READY_TIMEOUT_MS / 1000}s`
            : undefined;
      if (why) {
        await this.#kill();
        throw new Error(`${why} on port ${this.#port}:\n${readLog(this.dir, LOG).slice(logStart).slice(-4000).trim()}`);
      }
      if ((await command(this.#port, ['PING'], 500).catch(() => '')) === '+PONG') return;
      await sleep(20);
    }
  }

  async stop(opts: { keepData: boolean }): Promise<void> {
    const child = this.#child;
    if (child && this.running) {
      this.thaw();
      if (opts.keepData) {
        // On success the server closes the connection without a reply; an error reply means nothing was saved.
        const reply = await command(this.#port, ['SHUTDOWN', 'SAVE'], SHUTDOWN_TIMEOUT_MS).catch(() => '');
        if (reply.startsWith('-')) throw new Error(`SHUTDOWN SAVE failed on port ${this.#port}: ${reply}`);
        if (!(await exited(child, SHUTDOWN_TIMEOUT_MS))) {
          await this.#kill();
          throw new Error(`redis-server on port ${this.#port} did not exit within ${SHUTDOWN_TIMEOUT_MS / 1000}s of SHUTDOWN SAVE`);
        }
      } else {
        await this.#kill();
      }
    }
    this.#child = undefined;
    if (!opts.keepData) {
      for (const name of readdirSync(this.dir)) if (name !== LOG) rmSync(join(this.dir, name), { recursive: true, force: true });
    }
  }

  async restart(opts: { keepData: boolean; downMs?: number }): Promise<void> {
    await this.stop({ keepData: opts.keepData });
    if (opts.downMs) await sleep(opts.downMs);
    await this.start();
  }

  freeze(): void {
    if (!this.running) throw new Error(`cannot freeze the Redis server on port ${this.#port}: it is not running`);
    killGroup(this.#child!, 'SIGSTOP');
    this.#frozen = true;
  }

  thaw(): void {
    if (this.#frozen && this.running) killGroup(this.#child!, 'SIGCONT');
    this.#frozen = false;
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#kill();
      this.#child = undefined;
      rmSync(this.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
      // Only now: a crash while closing must still find the exit cleanup.
      untrack(this.#onExit);
    })();
    return this.#closing;
  }

  /** SIGKILL to the whole group (a stopped process dies too), then wait until the server has been reaped. */
  async #kill(): Promise<void> {
    const child = this.#child;
    if (!child || !isUnreaped(child)) return;
    killGroup(child, 'SIGKILL');
    await exited(child, Number.POSITIVE_INFINITY);
    this.#frozen = false;
  }
}

/** Signals the child's process group, and only while the child is unreaped, so a reused id is never hit. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  const pid = child.pid;
  // process.kill(-0) would signal this process's own group.
  if (pid === undefined || pid <= 1 || !isUnreaped(child)) return;
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Sends one command on a fresh connection; resolves with the first reply line, or '' when the server closed without one. */
function command(port: number, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    let settled = false;
    const settle = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(reply.split('\r\n')[0]!);
    };
    const timer = setTimeout(() => settle(new Error(`no reply to ${args[0]} within ${timeoutMs} ms`)), timeoutMs);
    socket.on('connect', () => socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`));
    socket.on('data', (d) => {
      reply += d.toString('utf8');
      if (reply.includes('\r\n')) settle();
    });
    socket.on('close', () => settle());
    socket.on('error', (err) => settle(err));
  });
}
