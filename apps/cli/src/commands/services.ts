// Starts what a sweep needs on one machine without Docker: an embedded Postgres (unless DATABASE_URL is given),
// the API, and N worker processes. The queue is Redis when REDIS_URL is given, else BullMQ's Postgres backend.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redactSecrets } from '@ablate/spec';
import { AblateClient, CliError } from '../client.js';
import { startEmbeddedPostgres } from '../embedded/postgres.js';
import { stopProcess } from '../stop-process.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');

export interface LocalStack {
  apiUrl: string;
  databaseUrl: string;
  queue: 'redis' | 'postgres';
  logDir: string;
  stop(): Promise<void>;
}

export interface StackOptions {
  workers: number;
  logDir: string;
  /** Print a line per step. */
  say: (line: string) => void;
}

export async function startLocalStack(o: StackOptions): Promise<LocalStack> {
  mkdirSync(o.logDir, { recursive: true });
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  };
  try {
    let databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) {
      const pg = await startEmbeddedPostgres({ port: await freePort(), say: o.say });
      cleanups.push(() => pg.stop());
      databaseUrl = pg.databaseUrl;
    } else {
      o.say(`using DATABASE_URL ${redactSecrets(databaseUrl)}`);
    }
    const redisUrl = process.env.REDIS_URL;
    const queue = redisUrl ? 'redis' : 'postgres';
    o.say(redisUrl ? `queue: Redis at ${redactSecrets(redisUrl)}` : 'queue: BullMQ on Postgres (no Redis needed)');
    const env = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      ABLATE_QUEUE: queue,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      ABLATE_RUNS_DIR: process.env.ABLATE_RUNS_DIR ?? join(o.logDir, 'runs'),
      // Checkpoints and TensorBoard files of the local stack, shared by its API and workers.
      ABLATE_STORE_DIR: process.env.ABLATE_STORE_DIR ?? join(o.logDir, 'store'),
    };

    const apiPort = await freePort();
    const api = startProcess(
      'apps/api/src/server.ts',
      { ...env, PORT: String(apiPort), HOST: '127.0.0.1', MIGRATE_ON_START: 'true' },
      join(o.logDir, 'api.log'),
    );
    cleanups.push(() => stopProcess(api));
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await waitForHealth(new AblateClient(apiUrl), api, 60_000);
    o.say(`API on ${apiUrl} (OpenAPI at ${apiUrl}/docs)`);

    for (let i = 0; i < o.workers; i++) {
      const w = startProcess('apps/worker/src/main.ts', { ...env, WORKER_NAME: `demo-worker-${i + 1}` }, join(o.logDir, `worker-${i + 1}.log`));
      cleanups.push(() => stopProcess(w));
    }
    o.say(`${o.workers} worker process(es) started; logs in ${o.logDir}`);
    return { apiUrl, databaseUrl, queue, logDir: o.logDir, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function startProcess(entry: string, env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const log = createWriteStream(logFile, { flags: 'a' });
  // execArgv carries tsx's loader, so the children run the TypeScript sources like this process does.
  const child = spawn(process.execPath, [...process.execArgv, join(ROOT, entry)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  return child;
}

async function waitForHealth(client: AblateClient, api: ChildProcess, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (api.exitCode !== null) throw new CliError(`the API exited with code ${api.exitCode}; see its log`);
    try {
      if ((await client.health()).status === 'ok') return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new CliError(`the API did not become healthy within ${timeoutMs / 1000}s`);
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolvePort(addr.port) : reject(new Error('no port'))));
    });
  });
}
