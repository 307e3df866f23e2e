// The fault-injection harness against real servers: private Redis and Postgres that keep or lose data across restarts,
// refuse connections while stopped, stall while frozen, leave nothing behind, and never touch the shared servers.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis, type RedisOptions } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type PostgresServer, startPostgresServer } from './postgres-server.js';
import { type RedisServer, startRedisServer } from './redis-server.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** 'R', 'S', 'T' (stopped) …; undefined once the process is gone (a zombie counts as gone: it can run nothing). */
function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2)[0];
    return state === 'Z' || state === 'X' ? undefined : state;
  } catch {
    return undefined;
  }
}

async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Runs fn and returns how long it took to reject, with the error. */
async function rejection(fn: () => Promise<unknown>): Promise<{ err: NodeJS.ErrnoException; ms: number }> {
  const t0 = Date.now();
  try {
    await fn();
  } catch (err) {
    return { err: err as NodeJS.ErrnoException, ms: Date.now() - t0 };
  }
  throw new Error('expected a rejection');
}

// The shared servers' identities before and after: the harness must never stop, restart or flush them.
let sharedBefore: { redisRunId: string; pgStartedAt: string };

async function sharedIdentity(): Promise<typeof sharedBefore> {
  const redis = new Redis(inject('redisUrl'), { lazyConnect: true });
  await redis.connect();
  const info = await redis.info('server');
  redis.disconnect();
  const client = new pg.Client({ connectionString: inject('templateDatabaseUrl') });
  await client.connect();
  const { rows } = await client.query<{ t: string }>('SELECT pg_postmaster_start_time()::text AS t');
  await client.end();
  return { redisRunId: /run_id:(\w+)/.exec(info)![1]!, pgStartedAt: rows[0]!.t };
}

beforeAll(async () => {
  sharedBefore = await sharedIdentity();
});

describe('private Redis', () => {
  let redis: RedisServer;
  const clients: Redis[] = [];
  const client = (options: RedisOptions = {}) => {
    const c = new Redis(redis.url, { maxRetriesPerRequest: 0, ...options });
    c.on('error', () => {}); // reconnect attempts while the server is down are expected
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await redis?.close();
  });

  it('runs on its own port in its own folder, outside the repository', () => {
    expect(redis.port).not.toBe(6379);
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(redis.running).toBe(true);
    expect(processState(redis.pid!)).toBeDefined();
    expect(relative(REPO, redis.dir).startsWith('..')).toBe(true);
  });

  it('keeps its keys across restart({keepData: true}) and loses them with keepData: false', async () => {
    const c = client();
    await c.set('k', 'kept');
    const oldPid = redis.pid;
    await redis.restart({ keepData: true, downMs: 50 });
    expect(redis.pid).not.toBe(oldPid);
    expect(await c.get('k')).toBe('kept'); // ioredis reconnects to the same port
    await redis.restart({ keepData: false });
    expect(await c.get('k')).toBeNull();
  });

  it('while stopped, a command fails fast and a new connection is refused; start() serves the same port again', async () => {
    const c = client({ enableOfflineQueue: false });
    await until(() => c.status === 'ready', 'the client to connect');
    await c.ping();
    await redis.stop({ keepData: false });
    expect(redis.running).toBe(false);
    await until(() => c.status !== 'ready', 'the client to notice');
    const offline = await rejection(() => c.ping());
    expect(offline.ms).toBeLessThan(500);
    const fresh = client({ lazyConnect: true, retryStrategy: () => null });
    const errors: Error[] = [];
    fresh.on('error', (err) => errors.push(err));
    const refused = await rejection(() => fresh.connect());
    expect(refused.ms).toBeLessThan(1_000);
    expect(errors.map((e) => e.message).join('; ')).toMatch(/ECONNREFUSED/);
    await redis.start();
    await until(() => c.status === 'ready', 'the client to reconnect');
    expect(await c.ping()).toBe('PONG');
  });

  it('freeze() makes PING time out on an open connection; thaw() answers again', async () => {
    const c = client({ commandTimeout: 300 });
    expect(await c.ping()).toBe('PONG');
    redis.freeze();
    await until(() => processState(redis.pid!) === 'T', 'Redis to stop');
    const frozen = await rejection(() => c.ping());
    expect(frozen.err.message).toMatch(/timed out/i);
    redis.thaw();
    expect(await c.ping()).toBe('PONG');
  });

  it('close() kills it, even frozen, removes its folder and its exit hook, and can be called twice', async () => {
    const exitHooks = process.listenerCount('exit');
    const other = await startRedisServer();
    expect(process.listenerCount('exit')).toBe(exitHooks + 1);
    const pid = other.pid!;
    other.freeze();
    await Promise.all([other.close(), other.close()]);
    expect(processState(pid)).toBeUndefined();
    expect(existsSync(other.dir)).toBe(false);
    expect(other.running).toBe(false);
    expect(process.listenerCount('exit')).toBe(exitHooks);
  });
});

describe('private Postgres', () => {
  let server: PostgresServer;
  const connect = async (options: pg.ClientConfig = {}) => {
    const c = new pg.Client({ connectionString: server.url(), connectionTimeoutMillis: 2_000, ...options });
    c.on('error', () => {}); // a stop terminates open sessions; the tests look at the query results
    await c.connect();
    return c;
  };
  const rows = async () => {
    const c = await connect();
    try {
      return (await c.query<{ v: string }>('SELECT v FROM kept ORDER BY v')).rows.map((r) => r.v);
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    server = await startPostgresServer();
  });
  afterAll(() => server?.close());

  it('lives outside the repository, in a data folder the postgres user owns when we are root', async () => {
    expect(server.port).not.toBe(5432);
    expect(server.url('x')).toBe(`postgresql://postgres@127.0.0.1:${server.port}/x`);
    expect(relative(REPO, server.dataDir).startsWith('..')).toBe(true);
    const c = await connect();
    const { rows: shown } = await c.query<{ data_directory: string }>('SHOW data_directory');
    await c.end();
    expect(shown[0]!.data_directory).toBe(server.dataDir);
    const owner = process.getuid!() === 0 ? Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout) : process.getuid!();
    expect(statSync(server.dataDir).uid).toBe(owner);
    expect(statSync(dirname(server.dataDir)).uid).toBe(owner);
    expect(statSync(server.dataDir).mode & 0o777).toBe(0o700);
  });

  it('stop() refuses connections fast; start() brings the rows back, after a fast or an immediate stop', async () => {
    const c = await connect();
    await c.query('CREATE TABLE kept (v text)');
    await c.query("INSERT INTO kept VALUES ('before')");
    await c.end();
    await server.stop();
    expect(server.running).toBe(false);
    const refused = await rejection(() => connect());
    expect(refused.err.code).toBe('ECONNREFUSED');
    expect(refused.ms).toBeLessThan(1_000);
    await server.start();
    expect(await rows()).toEqual(['before']);

    const d = await connect();
    await d.query("INSERT INTO kept VALUES ('committed')");
    await server.restart({ immediate: true, downMs: 50 }); // crash recovery replays the WAL
    await d.end().catch(() => {});
    expect(await rows()).toEqual(['before', 'committed']);
  });

  it('freeze() stalls an open session and new connections; thaw() answers again', async () => {
    const open = await connect({ query_timeout: 300 });
    await open.query('SELECT 1');
    server.freeze();
    await until(() => processState(server.pid!) === 'T', 'the postmaster to stop');
    const stalled = await rejection(() => open.query('SELECT 1'));
    expect(stalled.err.message).toMatch(/timeout/i);
    const fresh = await rejection(() => connect({ connectionTimeoutMillis: 300 }));
    expect(fresh.err.message).toMatch(/timeout/i);
    server.thaw();
    await open.end().catch(() => {});
    expect(await rows()).toEqual(['before', 'committed']);
  });

  it('close() kills the postmaster and its backends, even frozen, and removes the data folder', async () => {
    const exitHooks = process.listenerCount('exit');
    const c = await connect();
    const backend = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const postmaster = server.pid!;
    server.freeze();
    await until(() => processState(backend) === 'T', 'the backend to stop');
    await Promise.all([server.close(), server.close()]);
    await c.end().catch(() => {});
    expect(processState(postmaster)).toBeUndefined();
    expect(processState(backend)).toBeUndefined();
    expect(existsSync(dirname(server.dataDir))).toBe(false);
    expect(server.running).toBe(false);
    expect(process.listenerCount('exit')).toBe(exitHooks - 1);
  });
});

it('leaves the shared Redis and Postgres alone', async () => {
  expect(await sharedIdentity()).toEqual(sharedBefore);
});
