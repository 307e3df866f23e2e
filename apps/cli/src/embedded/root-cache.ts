// Where root's embedded Postgres lives: a root-owned folder the `postgres` user can traverse, holding the server's
// binaries (copied once per package version), one data folder per running throwaway server (the demo's), and the data
// folders of `ablate up` homes that user cannot reach (persistent/), all owned by that user.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { EmbeddedPostgresUnreachableError } from './errors.js';
import { alive } from './processes.js';

/** Overrides the folder root's embedded Postgres runs from (binaries cache and data folders). */
export const EMBEDDED_PG_DIR_ENV = 'ABLATE_EMBEDDED_PG_DIR';

/** The account Postgres runs as. */
export interface Account {
  name: string;
  uid: number;
  gid: number;
}

export interface RootPostgresHome {
  /** Holds the server's bin/, lib/ and share/, readable and runnable by the account. */
  binaries: string;
  /** Parent of the per-server data folders. */
  dataRoot: string;
  /** Parent of the persistent data folders kept here for homes the account cannot reach (made when first needed). */
  persistentRoot: string;
}

export interface NativeServer {
  /** The package's native/ folder (bin, lib, share). */
  dir: string;
  /** Cache key: package and version, e.g. linux-x64-18.4.0-beta.17. */
  key: string;
}

function candidateDirs(): string[] {
  const set = process.env[EMBEDDED_PG_DIR_ENV];
  if (set) return [resolve(set)];
  return ['/var/cache/ablate/embedded-postgres', join(tmpdir(), 'ablate-embedded-postgres')];
}

/**
 * The first candidate folder that `account` can reach and run the server from, with the binaries cached in it.
 * Throws EmbeddedPostgresUnreachableError, naming each folder and why, when there is none.
 */
export function prepareRootPostgres(account: Account): RootPostgresHome {
  const native = nativeServer();
  const problems: string[] = [];
  const blocked: string[] = [];
  for (const base of candidateDirs()) {
    try {
      makeTraversable(base);
      const st = statSync(base);
      if (st.uid !== 0 || (st.mode & 0o022) !== 0) {
        problems.push(`${base} must be owned and writable by root alone (owner uid ${st.uid}, mode ${octal(st.mode)})`);
        continue;
      }
      const wall = firstBlocked(base, account);
      if (wall) {
        const w = statSync(wall);
        problems.push(`the ${account.name} user cannot enter ${wall} (mode ${octal(w.mode)}, owner uid ${w.uid}), so it cannot reach ${base}`);
        blocked.push(wall);
        continue;
      }
      const binaries = cacheBinaries(base, native);
      const notRunnable = ['bin/initdb', 'bin/postgres'].map((p) => join(binaries, p)).find((p) => !test(account, '-x', p));
      if (notRunnable) {
        problems.push(`the ${account.name} user cannot run ${notRunnable} (a file system mounted noexec?)`);
        continue;
      }
      const dataRoot = join(base, 'data');
      makeTraversable(dataRoot);
      return { binaries, dataRoot, persistentRoot: join(base, 'persistent') };
    } catch (err) {
      problems.push(`${base}: ${(err as Error).message}`);
    }
  }
  throw new EmbeddedPostgresUnreachableError(
    [
      `embedded Postgres cannot start as root: Postgres refuses to run as root, so it runs as the '${account.name}' user (uid ${account.uid}), which must reach its binaries and data folder, and cannot:`,
      ...problems.map((p) => `  - ${p}`),
      'Do one of:',
      '  - set DATABASE_URL to a running Postgres, so no embedded one is started;',
      `  - set ${EMBEDDED_PG_DIR_ENV} to a folder whose every parent other users may enter (mode o+x), e.g. /var/cache/ablate/embedded-postgres;`,
      ...(blocked.length ? [`  - let that user through: chmod o+x ${[...new Set(blocked)].join(' ')};`] : []),
      '  - run as a non-root user.',
    ].join('\n'),
  );
}

/** A fresh data folder for one server, owned by `account`. Folders left by stacks whose process is gone go first. */
export function createDataDir(dataRoot: string, account: Account): string {
  for (const name of readdirSync(dataRoot)) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    if (pid && pid !== process.pid && !alive(pid)) rmSync(join(dataRoot, name), { recursive: true, force: true });
  }
  const dir = mkdtempSync(join(dataRoot, `${process.pid}-`));
  chownSync(dir, account.uid, account.gid);
  return dir;
}

/** The server package embedded-postgres itself loads, resolved from embedded-postgres as it does. */
export function nativeServer(): NativeServer {
  const fromHere = createRequire(import.meta.url);
  const entry = createRequire(fromHere.resolve('embedded-postgres')).resolve(`@embedded-postgres/${platform()}-${arch()}`);
  const pkgDir = resolve(dirname(entry), '..');
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { name: string; version: string };
  return { dir: join(pkgDir, 'native'), key: `${pkg.name.replace(/^@embedded-postgres\//, '')}-${pkg.version}` };
}

/**
 * The binaries under base/<key>, copied there once. Filled under a temporary name and renamed, so a concurrent start
 * sees the whole tree or none of it. Copied rather than hard-linked: widening a hard link's mode would change the
 * checkout's own file.
 */
function cacheBinaries(base: string, native: NativeServer): string {
  const dir = join(base, native.key);
  if (existsSync(join(dir, 'bin', 'postgres'))) return dir;
  const tmp = mkdtempSync(join(base, `.${native.key}-`));
  try {
    for (const part of ['bin', 'lib', 'share']) {
      // verbatimSymlinks keeps lib/'s relative links relative (else they would point back into the checkout).
      cpSync(join(native.dir, part), join(tmp, part), { recursive: true, verbatimSymlinks: true });
    }
    openUp(tmp);
    try {
      renameSync(tmp, dir);
    } catch (err) {
      if (!existsSync(join(dir, 'bin', 'postgres'))) throw err; // else another process got there first
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

/** Folders 0755; files readable by all, runnable by all where the owner may run them, writable by the owner only. */
function openUp(path: string): void {
  const st = lstatSync(path);
  if (st.isSymbolicLink()) return;
  if (st.isDirectory()) {
    chmodSync(path, 0o755);
    for (const entry of readdirSync(path)) openUp(join(path, entry));
    return;
  }
  const mode = st.mode & 0o777;
  chmodSync(path, (mode | 0o444 | (mode & 0o100 ? 0o111 : 0)) & ~0o022);
}

/** Creates the missing parts of `dir` with mode 0755 (set explicitly: the umask may be 077). */
export function makeTraversable(dir: string): void {
  for (const d of ancestors(dir)) {
    if (existsSync(d)) continue;
    try {
      mkdirSync(d, { mode: 0o755 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    chmodSync(d, 0o755);
  }
}

/** The first folder on the way to `path` that `account` may not enter; undefined when it reaches `path`. */
export function firstBlocked(path: string, account: Account): string | undefined {
  // The kernel's own check, run as that user: no guessing from mode bits, ACLs or groups.
  const r = spawnSync('/bin/sh', ['-c', 'for d; do [ -x "$d" ] || { printf %s "$d"; exit 1; }; done', 'sh', ...ancestors(path)], {
    uid: account.uid,
    gid: account.gid,
    encoding: 'utf8',
  });
  if (r.error) throw r.error;
  return r.status === 0 ? undefined : r.stdout || path;
}

/** `test <flag> <path>` as `account`. */
function test(account: Account, flag: string, path: string): boolean {
  return spawnSync('/bin/sh', ['-c', 'test "$1" "$2"', 'sh', flag, path], { uid: account.uid, gid: account.gid, stdio: 'ignore' }).status === 0;
}

/** `/a/b/c` → `/`, `/a`, `/a/b`, `/a/b/c`. */
function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let d = resolve(path); ; d = dirname(d)) {
    out.unshift(d);
    if (dirname(d) === d) return out;
  }
}

export function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}
