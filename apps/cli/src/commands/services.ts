// Starts what a sweep needs on one machine without Docker: an embedded Postgres (unless DATABASE_URL is given), the API,
// and N worker processes (through the worker launcher, which restarts a crashed one). The queue is Redis when REDIS_URL
// is given, else BullMQ's Postgres backend. Shared by the throwaway `demo` and the persistent `up` (a home folder).
// The API and the launcher run in process groups of their own, so a Ctrl-C in the terminal reaches only this process,
// which stops them in order: workers first (their trials checkpoint and go back to queued), then the API, then Postgres.
// They also stop by themselves if this process is killed (embedded/parent-watch.mjs).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { redactSecrets } from '@ablate/spec';
import { localKeyFile } from '../api-key.js';
import { AblateClient, CliError } from '../client.js';
import { startPersistentPostgres } from '../embedded/persistent-postgres.js';
import { startEmbeddedPostgres } from '../embedded/postgres.js';
import { freePort } from '../embedded/ports.js';
import { signal, waitUntil } from '../embedded/processes.js';

export { freePort } from '../embedded/ports.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
const PARENT_WATCH = pathToFileURL(fileURLToPath(new URL('../embedded/parent-watch.mjs', import.meta.url))).href;
export const API_ENTRY = 'apps/api/src/server.ts';
export const LAUNCHER_ENTRY = 'apps/worker/src/launch.ts';

export interface StackOptions {
  workers: number;
  logDir: string;
  /** Print a line per step. */
  say: (line: string) => void;
  /** `ablate up`'s home: Postgres's data persists there. Absent: a throwaway Postgres, removed on stop. */
  home?: string;
  /** The API's port on 127.0.0.1; absent: a free one. */
  port?: number;
  /** Checkpoints and TensorBoard files (default <logDir>/store), and the workers' scratch (default <logDir>/runs). */
  storeDir?: string;
  runsDir?: string;
  /** Called once per process started, with a string its command line contains. */
  onProcess?: (p: { role: string; pid: number; marker: string }) => void;
  /** Called when the API or the launcher exits while the stack is up (not when stop() stopped it). */
  onExit?: (role: string, code: number | null, signal: NodeJS.Signals | null) => void;
}

/** A part of the stack, stopped in the reverse of the order it started. */
interface Part {
  name: string;
  stop(): Promise<void>;
  force(): void;
}

export class LocalStack {
  apiUrl = '';
  /** An admin key of the project "default", made by the API for this machine's CLI and dashboard. */
  apiKey = '';
  databaseUrl = '';
  queue: 'redis' | 'postgres' = 'postgres';
  readonly logDir: string;
  private readonly parts: Part[] = [];
  private stopping = false;
  private stopped: Promise<void> = Promise.resolve();

  constructor(private readonly o: StackOptions) {
    this.logDir = o.logDir;
  }

  async start(): Promise<void> {
    const o = this.o;
    mkdirSync(o.logDir, { recursive: true });
    try {
      this.check();
      let databaseUrl = process.env.DATABASE_URL;
      if (!databaseUrl) {
        const pg = o.home
          ? await startPersistentPostgres({ home: o.home, logDir: o.logDir, say: o.say })
          : await startEmbeddedPostgres({ port: await freePort(), logDir: o.logDir, say: o.say });
        this.parts.push({ name: 'Postgres', stop: () => pg.stop(), force: () => pg.force() });
        databaseUrl = pg.databaseUrl;
      } else {
        o.say(`using DATABASE_URL ${redactSecrets(databaseUrl)}`);
      }
      this.databaseUrl = databaseUrl;
      const redisUrl = process.env.REDIS_URL;
      this.queue = redisUrl ? 'redis' : 'postgres';
      o.say(redisUrl ? `queue: Redis at ${redactSecrets(redisUrl)}` : 'queue: BullMQ on Postgres (no Redis needed)');
      const env = {
        ...process.env,
        DATABASE_URL: databaseUrl,
        ABLATE_QUEUE: this.queue,
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
        ABLATE_RUNS_DIR: process.env.ABLATE_RUNS_DIR ?? o.runsDir ?? join(o.logDir, 'runs'),
        // Checkpoints and TensorBoard files of the local stack, shared by its API and workers.
        ABLATE_STORE_DIR: process.env.ABLATE_STORE_DIR ?? o.storeDir ?? join(o.logDir, 'store'),
      };
      this.check();

      const apiPort = o.port || (await freePort());
      const apiLog = join(o.logDir, 'api.log');
      // The API keeps a live admin key in this file for the CLI and the dashboard on this machine.
      const keyFile = localKeyFile(o.home ?? o.logDir);
      const api = this.startNode(
        'API',
        API_ENTRY,
        [],
        { ...env, PORT: String(apiPort), HOST: '127.0.0.1', MIGRATE_ON_START: 'true', ABLATE_KEY_FILE: keyFile },
        apiLog,
      );
      this.apiUrl = `http://127.0.0.1:${apiPort}`;
      // Migrations run before the API listens: the first start on a busy machine takes a while.
      await waitForHealth(new AblateClient(this.apiUrl), api, apiLog, 120_000);
      this.apiKey = readFileSync(keyFile, 'utf8').trim();
      o.say(`API on ${this.apiUrl} (OpenAPI at ${this.apiUrl}/docs)`);
      this.check();

      if (o.workers > 0) {
        this.startNode('workers', LAUNCHER_ENTRY, ['--cpu', String(o.workers)], env, join(o.logDir, 'workers.log'));
        o.say(`${o.workers} worker process(es) started; logs in ${o.logDir}`);
      }
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  /**
   * Stops every part, newest first: workers (they checkpoint), the API, Postgres. Calls queue up behind each other, and
   * each also stops what an interrupted start() added meanwhile.
   */
  stop(): Promise<void> {
    this.stopping = true;
    this.stopped = this.stopped.then(async () => {
      for (let part = this.parts.at(-1); part; part = this.parts.at(-1)) {
        await part.stop().catch((err: Error) => this.o.say(`stopping ${part!.name} failed: ${err.message}`));
        this.parts.splice(this.parts.indexOf(part), 1);
      }
    });
    return this.stopped;
  }

  /** True once stop() or force() was called. */
  get isStopping(): boolean {
    return this.stopping;
  }

  /** Kills every part at once (a second Ctrl-C): running trials lose what they did since their last checkpoint. */
  force(): void {
    this.stopping = true;
    for (const part of this.parts) part.force();
  }

  /** Throws once stop() was called, so a start interrupted by Ctrl-C goes no further. */
  private check(): void {
    if (this.stopping) throw new CliError('stopped while starting', 130);
  }

  private startNode(name: string, entry: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
    const log = openSync(logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawnNode(entry, args, env, log);
    } finally {
      closeSync(log);
    }
    const exited = () => child.exitCode !== null || child.signalCode !== null;
    let stopped = false;
    child.once('exit', (code, sig) => {
      if (!stopped && !this.stopping) this.o.onExit?.(name, code, sig);
    });
    this.o.onProcess?.({ role: name, pid: child.pid!, marker: entry });
    this.parts.push({
      name,
      stop: async () => {
        stopped = true;
        if (exited()) return;
        // The launcher passes SIGTERM on to its workers, which wait for their trainers to checkpoint (60 s at most).
        signal(child.pid!, 'SIGTERM');
        if (!(await waitUntil(exited, 90_000))) signal(child.pid!, 'SIGKILL', true);
        await waitUntil(exited, 5_000);
      },
      force: () => signal(child.pid!, 'SIGKILL', true),
    });
    return child;
  }
}

/**
 * Runs a TypeScript entry of this repository in a process group of its own (a Ctrl-C in the terminal does not reach it
 * or its children: the caller stops it), stopping by itself when the caller dies. `out`: its stdout and stderr.
 */
export function spawnNode(entry: string, args: string[], env: NodeJS.ProcessEnv, out: number | 'inherit'): ChildProcess {
  // execArgv carries tsx's loader, so the child runs the TypeScript sources like this process does.
  return spawn(process.execPath, [...process.execArgv, '--import', PARENT_WATCH, join(ROOT, entry), ...args], {
    cwd: ROOT,
    env: { ...env, ABLATE_EXIT_WITH_PARENT: '1' },
    detached: true,
    stdio: ['ignore', out, out],
  });
}

/**
 * First SIGINT/SIGTERM: `stop`. Another one more than a second later: `force`. One Ctrl-C can arrive twice within
 * milliseconds (the terminal sends it to npm too, which passes it on), and that is still one.
 */
export function onStopSignals(stop: (sig: NodeJS.Signals) => void, force: () => void): void {
  let first = 0;
  const on = (sig: NodeJS.Signals) => {
    if (!first) {
      first = Date.now();
      stop(sig);
    } else if (Date.now() - first > 1000) force();
  };
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
}

export async function startLocalStack(o: StackOptions): Promise<LocalStack> {
  const stack = new LocalStack(o);
  await stack.start();
  return stack;
}

async function waitForHealth(client: AblateClient, api: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (api.exitCode !== null) throw new CliError(`the API exited with code ${api.exitCode}; see its log, ${logFile}`);
    try {
      if ((await client.health()).status === 'ok') return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new CliError(`the API did not become healthy within ${timeoutMs / 1000}s; see its log, ${logFile}`);
}
