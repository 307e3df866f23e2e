// `npm start` (ablate up) from a fresh folder under a mode-700 parent, as `mktemp -d` and /root are: embedded Postgres
// whose data outlives the server, the API and a worker; a sweep trained over HTTP; Ctrl-C stops everything and exits 0;
// the next start finds the same sweeps and tables, and resumes the trial a Ctrl-C interrupted without using an attempt.
// Then the runs that did not stop cleanly: one killed with -9 (its Postgres is found running and used), and one whose
// Postgres was killed too (its stale postmaster.pid is removed). Also `ablate worker` against the running server.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../apps/cli/src/embedded/ports.js';
import { ROOT, waitFor } from './helpers/index.js';

/** What `npm start` runs. */
const START = ['--import', 'tsx', 'apps/cli/src/main.ts', 'up'];
const isRoot = process.getuid?.() === 0;

const base = {
  dataset: { name: 'procedural', classes: 4, trainSize: 512, testSize: 128, imageSize: 16 },
  model: { name: 'tiny_cnn', width: 8 },
  optimizer: { name: 'adam', lr: 3e-3 },
  epochs: 2,
  batchSize: 32,
};
const SHORT = { name: 'up: 2 trials', base, axes: { 'optimizer.lr': [3e-3, 1e-2] } };
// Several seconds an epoch on the wasm backend, so a Ctrl-C lands while it trains.
const LONG_EPOCHS = 8;
const LONG = { name: 'up: interrupted', base: { ...base, dataset: { ...base.dataset, trainSize: 2048 }, epochs: LONG_EPOCHS } };

/** One `ablate up`, in a process group of its own as a terminal's foreground job is. */
class Up {
  readonly child: ChildProcess;
  out = '';
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [...START, ...args], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (d) => (this.out += d));
    this.child.stderr!.on('data', (d) => (this.out += d));
    this.exited = new Promise((r) => this.child.once('exit', (code) => r(code)));
  }

  waitForOutput(text: string, timeoutMs = 150_000): Promise<true> {
    return waitFor(
      async () => {
        if (this.child.exitCode !== null) throw new Error(`ablate up exited (${this.child.exitCode}) before printing '${text}':\n${this.out}`);
        return this.out.includes(text);
      },
      timeoutMs,
      `'${text}' in:\n${this.out}`,
    );
  }

  /** Ctrl-C in its terminal: SIGINT to the whole foreground process group. */
  interrupt(): void {
    process.kill(-this.child.pid!, 'SIGINT');
  }

  kill(): void {
    killGroup(this.child.pid!);
  }
}

/**
 * The processes of a process group that still run, as `pid state command` lines (/proc). Zombies do not count: an
 * orphan that has exited waits there until init reaps it, which in some containers takes a while.
 */
function groupMembers(pgid: number): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // pid (comm) state ppid pgrp …: the comm may hold spaces and parentheses, so split after the last ')'.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) !== pgid || state === 'Z') continue;
      out.push(`${pid} ${state} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')}`);
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

function groupAlive(pgid: number): boolean {
  return groupMembers(pgid).length > 0;
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    /* gone */
  }
}

describe('ablate up (npm start)', () => {
  const made: string[] = [];
  let home = '';
  let env: NodeJS.ProcessEnv = {};
  let port = 0;
  let api = '';
  let pgdata = '';
  let up: Up | undefined;
  let shortId = '';
  let shortTable: unknown;
  let longId = '';

  // The key `up` made for this machine's CLI and dashboard (the same on every start: the file is kept).
  const auth = () => ({ authorization: `Bearer ${readFileSync(join(home, 'api-key'), 'utf8').trim()}` });
  const get = async (path: string) => {
    const r = await fetch(`${api}${path}`, { headers: auth() });
    expect(r.status, `GET ${path}`).toBe(200);
    return r.json();
  };
  const post = async (path: string, body: unknown) => {
    const r = await fetch(`${api}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth() },
      body: JSON.stringify(body),
    });
    expect(r.status, `POST ${path}`).toBe(201);
    return r.json();
  };
  const sweepDone = (id: string, timeoutMs: number) =>
    waitFor(
      async () => {
        const s = await get(`/sweeps/${id}`);
        return s.counts.queued === 0 && s.counts.running === 0 ? s : undefined;
      },
      timeoutMs,
      `sweep ${id} to finish`,
    );
  const start = async (what: string) => {
    up = new Up(['--dir', home, '--port', String(port), '--workers', '1'], env);
    await up.waitForOutput(`dashboard at ${api}/`);
    // The dashboard link carries the key the API keeps for this machine (mode 600), the same across restarts.
    const key = readFileSync(join(home, 'api-key'), 'utf8').trim();
    expect(up.out).toContain(`dashboard at ${api}/#key=${key}`);
    expect(statSync(join(home, 'api-key')).mode & 0o777).toBe(0o600);
    // The data folder: in the home, or (root, the postgres user kept out by the mode-700 parent) where the home's note says.
    pgdata = /(?:using|creating) the database in (\S+)/.exec(up.out)?.[1] ?? /still running on (\S+)/.exec(up.out)?.[1] ?? '';
    expect(pgdata, `${what}:\n${up.out}`).not.toBe('');
    return up;
  };
  /** Every process of the running server: Postgres, the API and the launcher (each leading its own process group). */
  const serverProcesses = () => {
    const lock = JSON.parse(readFileSync(join(home, 'up.lock'), 'utf8')) as { processes: { role: string; pid: number }[] };
    const postgres = Number(readFileSync(join(pgdata, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return [{ role: 'Postgres', pid: postgres }, ...lock.processes];
  };
  const expectAllGone = (processes: { role: string; pid: number }[]) => {
    for (const p of processes)
      expect(groupAlive(p.pid), `${p.role} (process group ${p.pid}) still running:\n${groupMembers(p.pid).join('\n')}`).toBe(false);
    expect(existsSync(join(pgdata, 'postmaster.pid')), 'postmaster.pid left behind').toBe(false);
  };

  beforeAll(async () => {
    const outer = mkdtempSync(join(tmpdir(), 'ablate-up-'));
    chmodSync(outer, 0o700);
    made.push(outer);
    home = join(outer, 'home');
    env = { ...process.env, ABLATE_BACKEND: 'wasm' };
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
    delete env.ABLATE_HOME;
    delete env.PORT;
    if (isRoot) {
      // Root's embedded Postgres folder for this test only (binaries, and the data the postgres user cannot keep in home).
      const cache = mkdtempSync(join(tmpdir(), 'ablate-up-pg-'));
      chmodSync(cache, 0o755);
      made.push(cache);
      env.ABLATE_EMBEDDED_PG_DIR = join(cache, 'pg');
    }
    port = await freePort();
    api = `http://127.0.0.1:${port}`;
  });

  afterAll(() => {
    // Whatever a failed test left running.
    up?.kill();
    if (pgdata && existsSync(join(pgdata, 'postmaster.pid'))) killGroup(Number(readFileSync(join(pgdata, 'postmaster.pid'), 'utf8').split('\n')[0]));
    if (existsSync(join(home, 'up.lock'))) {
      for (const p of JSON.parse(readFileSync(join(home, 'up.lock'), 'utf8')).processes) killGroup(p.pid);
    }
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  it('starts from nothing, trains a sweep, and stops on Ctrl-C with exit 0 and no process left, mid-trial', async () => {
    const first = await start('first start');
    expect(first.out).toContain('creating the database in');
    expect(first.out).toContain('queue: BullMQ on Postgres');
    expect(first.out).toContain(`export ABLATE_API_URL=${api}`);
    if (isRoot) {
      // The postgres user cannot enter the mode-700 parent: the data lives in root's folder, and the home says where.
      expect(readFileSync(join(home, 'POSTGRES_DATA'), 'utf8').split('\n')[0]).toBe(pgdata);
      expect(pgdata.startsWith(env.ABLATE_EMBEDDED_PG_DIR!)).toBe(true);
    } else {
      expect(pgdata).toBe(join(home, 'postgres'));
    }

    shortId = (await post('/sweeps', SHORT)).id;
    const s = await sweepDone(shortId, 120_000);
    expect(s).toMatchObject({ status: 'done', counts: { done: 2, total: 2 } });
    shortTable = await get(`/sweeps/${shortId}/table`);
    expect((shortTable as { rows: unknown[] }).rows).toHaveLength(2);

    longId = (await post('/sweeps', LONG)).id;
    await waitFor(
      async () => {
        const t = (await get(`/sweeps/${longId}/trials`)).items[0];
        return t.status === 'running' && t.epochsDone >= 1;
      },
      120_000,
      'the long trial to finish an epoch',
    );
    const processes = serverProcesses();
    expect(processes.map((p) => p.role)).toEqual(['Postgres', 'API', 'workers']);
    first.interrupt();
    expect(await first.exited, first.out).toBe(0);
    expect(first.out).toContain('stopped');
    expectAllGone(processes);
  }, 240_000);

  it('starts again on the same data: no initdb, the same sweeps and table, and the interrupted trial resumes', async () => {
    const second = await start('second start');
    expect(second.out).toContain('using the database in');
    expect(second.out).not.toContain('creating the database');
    expect(await get(`/sweeps/${shortId}`)).toMatchObject({ status: 'done', counts: { done: 2 } });
    expect(await get(`/sweeps/${shortId}/table`)).toEqual(shortTable);

    await sweepDone(longId, 150_000);
    const trial = (await get(`/sweeps/${longId}/trials`)).items[0];
    // The Ctrl-C was an interruption, not an attempt; the trial went on from the checkpoint its worker wrote on SIGTERM.
    expect(trial).toMatchObject({ status: 'done', attempts: 1, interruptions: 1, epochsDone: LONG_EPOCHS });
    const e = await get(`/experiments/${trial.id}`);
    expect(e.runtime.resumedFrom.epochsDone).toBeGreaterThanOrEqual(1);
    expect(e.epochs.map((m: { epoch: number }) => m.epoch)).toEqual(Array.from({ length: LONG_EPOCHS }, (_, i) => i + 1));
  }, 240_000);

  it('refuses a second ablate up on the same folder, and a taken port', async () => {
    const again = new Up(['--dir', home, '--port', String(await freePort()), '--workers', '1'], env);
    expect(await again.exited).toBe(1);
    expect(again.out).toContain(`another ablate up (pid ${up!.child.pid}`);

    const blocker = createServer();
    const taken = await new Promise<number>((r) => blocker.listen(0, '127.0.0.1', () => r((blocker.address() as { port: number }).port)));
    try {
      const other = new Up(['--dir', join(home, '..', 'other'), '--port', String(taken), '--workers', '1'], env);
      expect(await other.exited).toBe(1);
      expect(other.out).toContain(`port ${taken} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  }, 60_000);

  it('ablate worker: a readable error without DATABASE_URL; with it, a named worker that stops on Ctrl-C', async () => {
    const cli = (args: string[], extra: NodeJS.ProcessEnv) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', 'worker', ...args], {
        cwd: ROOT,
        env: { ...env, ...extra },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      return { child, out: () => out, exited: new Promise<number | null>((r) => child.once('exit', (code) => r(code))) };
    };
    const missing = cli(['--count', '1'], {});
    expect(await missing.exited).toBe(1);
    expect(missing.out()).toContain('DATABASE_URL is not set');

    const databaseUrl = /DATABASE_URL=(\S+)/.exec(up!.out)![1]!;
    const w = cli(['--count', '1', '--name', 'extra'], { DATABASE_URL: databaseUrl, ABLATE_QUEUE: 'postgres' });
    try {
      await waitFor(
        async () => (await get('/workers')).items.some((x: { name: string }) => x.name === 'extra-cpu0'),
        90_000,
        `worker extra-cpu0 to register:\n${w.out()}`,
      );
      process.kill(-w.child.pid!, 'SIGINT');
      expect(await w.exited, w.out()).toBe(0);
      const all = (await get('/workers?all=true')).items.filter((x: { name: string }) => x.name === 'extra-cpu0');
      expect(all.map((x: { state: string }) => x.state)).toEqual(['stopped']);
      expect(groupAlive(w.child.pid!)).toBe(false);
    } finally {
      killGroup(w.child.pid!);
    }
  }, 120_000);

  it('after kill -9 of ablate up, the next start uses the Postgres still running on the data, and stops it on Ctrl-C', async () => {
    const killed = up!;
    killed.kill();
    await killed.exited;
    const third = await start('start after kill -9');
    expect(third.out).toContain('did not stop cleanly');
    expect(third.out).toMatch(/is still running on \S+ \(pid \d+, port \d+\): using it/);
    expect(await get(`/sweeps/${shortId}/table`)).toEqual(shortTable);
    const processes = serverProcesses();
    third.interrupt();
    expect(await third.exited, third.out).toBe(0);
    expectAllGone(processes);
  }, 180_000);

  it('after kill -9 of everything, Postgres included, the stale postmaster.pid is removed and the data is there', async () => {
    await start('start before killing everything');
    const processes = serverProcesses();
    up!.kill();
    for (const p of processes) killGroup(p.pid);
    await up!.exited;
    await waitFor(async () => !processes.some((p) => groupAlive(p.pid)), 30_000, 'the killed processes to go');
    expect(existsSync(join(pgdata, 'postmaster.pid'))).toBe(true);

    const fifth = await start('start after a stale postmaster.pid');
    expect(fifth.out).toContain('removed a stale postmaster.pid');
    expect(await get(`/sweeps/${shortId}/table`)).toEqual(shortTable);
    expect(await get(`/sweeps/${longId}`)).toMatchObject({ status: 'done' });
    const last = serverProcesses();
    fifth.interrupt();
    expect(await fifth.exited, fifth.out).toBe(0);
    expectAllGone(last);
  }, 240_000);
});
