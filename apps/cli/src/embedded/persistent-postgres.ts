// `ablate up`'s Postgres: its data folder persists in the ablate home (`<home>/postgres`), initdb runs on the first
// start only, and the server runs in its own process group so it stops last. As root, when the `postgres` user cannot
// enter the home (a checkout under /root or a mode-700 `mktemp -d`), the data folder lives in root's embedded-Postgres
// folder instead, named after the home's real path, and `<home>/POSTGRES_DATA` names it (first line).
// A server left running on the data folder by a run that was killed is used as it is; a postmaster.pid whose server
// is gone is removed (Postgres then recovers from its write-ahead log, as after a power cut).
import { createHash } from 'node:crypto';
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { freePort } from './ports.js';
import { adoptCluster, initCluster, readPostmaster, startCluster, type Cluster, type Postmaster, type RunningCluster } from './cluster.js';
import { EmbeddedPostgresStartError, EmbeddedPostgresUnreachableError, HomeInUseError } from './errors.js';
import { UP_MARKER } from './home-lock.js';
import { CREDENTIALS, databaseUrlFor, type EmbeddedServer, type ServerHome, type ServerOptions, serverHome } from './postgres.js';
import { alive, commandLine, exited, parentOf, runs, waitUntil } from './processes.js';
import { firstBlocked, makeTraversable, octal } from './root-cache.js';

/** The file in the home that names the data folder when it cannot be in the home. */
export const POINTER_FILE = 'POSTGRES_DATA';

export interface PersistentPostgresOptions extends ServerOptions {
  /** The ablate home (`.ablate` by default). */
  home: string;
}

export async function startPersistentPostgres(o: PersistentPostgresOptions): Promise<EmbeddedServer> {
  const server = serverHome();
  const pgdata = dataFolder(o.home, server, o.say);
  const cluster: Cluster = { binaries: server.binaries, pgdata, account: server.account, logFile: join(o.logDir, 'postgres.log') };
  const found = await settleRunning(pgdata, o.say);
  let running: RunningCluster;
  if (found) {
    o.say(`Postgres from an earlier run that was killed is still running on ${pgdata} (pid ${found.pid}, port ${found.port}): using it`);
    running = adoptCluster(found);
  } else {
    if (existsSync(join(pgdata, 'PG_VERSION'))) o.say(`using the database in ${pgdata}`);
    else {
      o.say(`creating the database in ${pgdata} (first start)`);
      await initOnce(cluster);
    }
    const port = await freePort();
    const as = server.account ? ` as user ${server.account.name}` : '';
    o.say(`starting embedded Postgres on port ${port}${as} (binaries in ${server.binaries})`);
    // Crash recovery after a killed run can take a while on a busy machine.
    running = await startCluster(cluster, { port, detached: true, timeoutMs: 180_000 });
  }
  return { databaseUrl: databaseUrlFor(running.port), dataDir: pgdata, stop: () => running.stop(), force: () => running.force() };
}

/**
 * The data folder: `<home>/postgres` when the server's account can reach it (always, for a normal user); as root with a
 * home the `postgres` user cannot enter, a folder under root's embedded-Postgres folder, keyed by the home's real path.
 */
function dataFolder(home: string, server: ServerHome, say: (line: string) => void): string {
  const inHome = join(home, 'postgres');
  const { account, root } = server;
  if (!account || !root) return inHome;
  const blocked = firstBlocked(home, account);
  const wall = blocked && `the ${account.name} user, which Postgres runs as, cannot enter ${blocked} (mode ${octal(statSync(blocked).mode)})`;
  if (existsSync(join(inHome, 'PG_VERSION'))) {
    if (!wall) return inHome;
    throw new EmbeddedPostgresUnreachableError(
      `the database of ${home} is in ${inHome}, but ${wall}. Let that user through (chmod o+x ${blocked}), or move the home to a folder it can enter.`,
    );
  }
  if (!wall) return inHome;
  const pointer = join(home, POINTER_FILE);
  // A home that was moved keeps its data: the pointer it carries names the folder.
  const named = existsSync(pointer)
    ? readFileSync(pointer, 'utf8')
        .split('\n')
        .find((l) => l.startsWith('/'))
    : undefined;
  const key = createHash('sha256').update(realpathSync(home)).digest('hex').slice(0, 16);
  const pgdata =
    named && existsSync(join(named, 'PG_VERSION')) ? named : join(root.persistentRoot, `${basename(dirname(realpathSync(home)))}-${key}`);
  makeTraversable(root.persistentRoot);
  writeFileSync(
    pointer,
    [
      pgdata,
      `# The Postgres data of this ablate home is not in it but in the folder above (owned by that user): ${wall}.`,
      '# Deleting this home does not delete that folder.',
      '',
    ].join('\n'),
  );
  say(`${wall}, so the Postgres data of ${home} lives in ${pgdata} (noted in ${pointer})`);
  return pgdata;
}

/**
 * What runs on the data folder now: a ready server (returned, to be used as it is); a server still starting or
 * stopping (waited for); a postmaster.pid whose server is gone (removed, said). Undefined when none runs.
 */
async function settleRunning(pgdata: string, say: (line: string) => void): Promise<Postmaster | undefined> {
  const pm = readPostmaster(pgdata);
  if (!pm) return undefined;
  if (!runs(pm.pid, pgdata)) {
    rmSync(join(pgdata, 'postmaster.pid'), { force: true });
    const why = alive(pm.pid) ? `pid ${pm.pid} is now another program (${commandLine(pm.pid)})` : `its server, pid ${pm.pid}, is gone`;
    say(`removed a stale postmaster.pid from ${pgdata} (${why}): the last run was killed; Postgres recovers its data on start`);
    return undefined;
  }
  // Not left by a killed run but run by a live `ablate up` (on a copy of this home that shares its data folder).
  const parent = parentOf(pm.pid);
  if (parent && parent !== process.pid && runs(parent, UP_MARKER)) {
    throw new HomeInUseError(`Postgres on ${pgdata} (pid ${pm.pid}) belongs to another running ablate up (pid ${parent}); stop that one first`);
  }
  // Started by a run that was killed while the server was starting up or shutting down: let it get there.
  const settled = await waitUntil(() => exited(pm.pid) || readPostmaster(pgdata)?.status === 'ready', 120_000, 250);
  if (exited(pm.pid)) return undefined;
  if (!settled)
    throw new EmbeddedPostgresStartError(`Postgres pid ${pm.pid} on ${pgdata} did not become ready within 120s; stop it (kill ${pm.pid})`);
  return readPostmaster(pgdata);
}

/**
 * initdb into a scratch folder beside the data folder, then renamed into place: a run killed during initdb leaves no
 * half-made data folder behind that the next start would take for a database.
 */
async function initOnce(cluster: Cluster): Promise<void> {
  const parent = dirname(cluster.pgdata);
  const prefix = `.${basename(cluster.pgdata)}-init-`;
  mkdirSync(parent, { recursive: true });
  for (const name of readdirSync(parent)) if (name.startsWith(prefix)) rmSync(join(parent, name), { recursive: true, force: true });
  const scratch = mkdtempSync(join(parent, prefix));
  try {
    if (cluster.account) chownSync(scratch, cluster.account.uid, cluster.account.gid);
    const pgdata = join(scratch, 'pgdata');
    await initCluster({ ...cluster, pgdata }, { ...CREDENTIALS, scratch });
    renameSync(pgdata, cluster.pgdata);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
