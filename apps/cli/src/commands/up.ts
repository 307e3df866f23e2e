// `ablate up` (`npm start`): the whole service on this machine, kept between runs. Embedded Postgres whose data
// persists in a home folder (.ablate in the current directory; --dir or ABLATE_HOME), the queue on it, the API with the
// dashboard on a fixed port (3000; --port or PORT; taken: it says so and exits 1), one worker per core (--workers), logs
// in <home>/logs, checkpoints in <home>/store. Ctrl-C or SIGTERM stops the workers first (running trials checkpoint and
// resume at the next start, no attempt used), then the API, then Postgres, and exits 0; a second Ctrl-C kills them.
import { localKeyFile } from '../api-key.js';
import { chmodSync, existsSync, mkdirSync, realpathSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { CliError } from '../client.js';
import { lockHome, type LockRecord, type LockedProcess } from '../embedded/home-lock.js';
import { assertPortFree } from '../embedded/ports.js';
import { runs, signal, waitUntil } from '../embedded/processes.js';
import { LocalStack, onStopSignals } from './services.js';

export interface UpOptions {
  dir?: string;
  port?: number;
  workers?: number;
}

export const DEFAULT_PORT = 3000;

export async function up(o: UpOptions): Promise<void> {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const home = openHome(o.dir ?? process.env.ABLATE_HOME ?? '.ablate');
  const port = o.port ?? portFromEnv() ?? DEFAULT_PORT;
  const apiUrl = `http://127.0.0.1:${port}`;
  const workers = o.workers ?? availableParallelism();
  const { lock, stale } = lockHome(home, apiUrl);
  let exitCode = 0;
  try {
    const logDir = join(home, 'logs');
    const started: LockedProcess[] = [];
    let requestStop: (code: number) => void = () => undefined;
    const stopRequested = new Promise<number>((r) => {
      requestStop = r;
    });
    const stack = new LocalStack({
      workers,
      logDir,
      say,
      home,
      port,
      storeDir: join(home, 'store'),
      runsDir: join(home, 'runs'),
      onProcess: (p) => {
        started.push(p);
        lock.record(started);
      },
      onExit: (role, code, sig) => {
        say(`${role} exited unexpectedly (${sig ?? `code ${code}`}); see ${logDir}`);
        // Without the API nothing works: stop the rest. Without workers (all drained) the API still serves results.
        if (role === 'API') requestStop(1);
      },
    });
    onStopSignals(
      (sig) => {
        say(
          `\n${sig}: stopping the workers (running trials checkpoint and resume at the next start), then the API, then Postgres; Ctrl-C again to force`,
        );
        requestStop(0);
        void stack.stop();
      },
      () => {
        say('forced: killing the workers, the API and Postgres; trials resume from their last checkpoint');
        stack.force();
        lock.release();
        process.exit(130);
      },
    );
    if (stale) await awaitLeftovers(stale, say);
    await assertPortFree(port, '127.0.0.1', 'pass --port N (or set PORT) to use another');
    try {
      await stack.start();
      // The embedded database's URL is printed (it only listens on 127.0.0.1); a given one may hold a password.
      const db = process.env.DATABASE_URL ? '"$DATABASE_URL"' : stack.databaseUrl;
      if (!stack.isStopping)
        say(
          [
            '',
            // The key rides in the fragment (never sent to a server); the dashboard keeps it and clears it from the bar.
            `ablate is up: dashboard at ${stack.apiUrl}/#key=${stack.apiKey}`,
            `  CLI:   export ABLATE_API_URL=${stack.apiUrl}   (then e.g. npx ablate sweeps; from this folder the CLI finds the key in ${localKeyFile(home)})`,
            `  data:  ${home} (database, checkpoints in store/, logs in logs/)`,
            `  more workers here: DATABASE_URL=${db} ABLATE_QUEUE=${stack.queue} npx ablate worker --count N`,
            '  Ctrl-C stops it; trials still running then resume at the next start.',
          ].join('\n'),
        );
    } catch (err) {
      // A Ctrl-C during start-up stops what had started; anything else is a failure to start.
      if (!stack.isStopping) throw err;
    }
    exitCode = await stopRequested;
    await stack.stop();
    say('stopped');
  } finally {
    lock.release();
  }
  process.exit(exitCode);
}

/** The home folder, made when missing; as root, enterable by others, so the `postgres` user may keep its data there. */
function openHome(dir: string): string {
  const home = resolve(dir);
  if (!existsSync(home)) {
    mkdirSync(home, { recursive: true });
    if (process.getuid?.() === 0) chmodSync(home, 0o755);
  }
  return realpathSync(home);
}

function portFromEnv(): number | undefined {
  const v = process.env.PORT;
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v) || Number(v) > 65535) throw new CliError(`PORT must be a port number, got '${v}'`);
  return Number(v);
}

/**
 * The API and workers of a run killed with -9 stop by themselves (they watch their parent) and may still be doing so:
 * a worker checkpoints its trial first. Waited for, so the API's port is free and each trial goes back to queued.
 */
async function awaitLeftovers(stale: LockRecord, say: (line: string) => void): Promise<void> {
  say(`the last ablate up on this folder (pid ${stale.pid}) did not stop cleanly (killed?)`);
  const left = stale.processes.filter((p) => runs(p.pid, p.marker));
  if (!left.length) return;
  say(`waiting for its ${left.map((p) => `${p.role} (pid ${p.pid})`).join(' and ')} to finish stopping`);
  if (await waitUntil(() => !left.some((p) => runs(p.pid, p.marker)), 90_000, 250)) return;
  for (const p of left) if (runs(p.pid, p.marker)) signal(p.pid, 'SIGKILL', true);
  say('they did not stop within 90 s and were killed');
}
