// Applies prisma/migrations/*/migration.sql without the Prisma schema engine (which cannot be downloaded offline).
// Bookkeeping goes into Prisma's own `_prisma_migrations` table with Prisma's checksum (sha256 of the file), so
// `prisma migrate deploy/status` on a machine that has the engine sees the same history.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redactSecrets } from '@ablate/spec';
import pg from 'pg';

export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../prisma/migrations');
/** Arbitrary constant shared by every ablate process: only one migrates at a time. */
const ADVISORY_LOCK_KEY = 727_073_691;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** A migration or database-setup failure; its message never carries a password (URLs and driver text are redacted). */
export class MigrationError extends Error {
  readonly code = 'ERR_MIGRATION';
  constructor(message: string, options?: { cause?: unknown }) {
    super(redactSecrets(message), options);
    this.name = new.target.name;
  }
}

/** Applies pending migrations in order, each in its own transaction; returns the names applied. */
export async function migrate(databaseUrl: string, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = readMigrations(dir);
  const client = await connect(databaseUrl);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const applied = new Map(rows.map((r) => [r.migration_name, r]));
    for (const r of rows) {
      if (!r.finished_at) throw new MigrationError(`migration ${r.migration_name} started but never finished; resolve it by hand`);
    }
    const done: string[] = [];
    for (const m of migrations) {
      const prev = applied.get(m.name);
      if (prev) {
        if (prev.checksum !== m.checksum) throw new MigrationError(`migration ${m.name} was edited after it was applied (checksum differs)`);
        continue;
      }
      try {
        await client.query('BEGIN');
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ($1, $2, now(), $3, 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await client.query('COMMIT');
        done.push(m.name);
      } catch (err) {
        await client.query('ROLLBACK');
        throw new MigrationError(`migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
    }
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

/** Creates a database (if missing) through a connection to another one on the same server. */
export async function createDatabase(databaseUrl: string): Promise<void> {
  await withServer(databaseUrl, async (client, name) => {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!exists.rowCount) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  });
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  await withServer(databaseUrl, (client, name) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`));
}

/** Runs `fn` on a connection to the `postgres` database of the server `databaseUrl` points at. */
async function withServer<T>(databaseUrl: string, fn: (client: pg.Client, name: string) => Promise<T>): Promise<T> {
  const { admin, name } = splitDatabaseUrl(databaseUrl);
  const client = await connect(admin);
  try {
    return await fn(client, name);
  } finally {
    await client.end();
  }
}

/** A connected client, or a MigrationError that names the server (MigrationError redacts the password) and the driver's reason. */
async function connect(databaseUrl: string): Promise<pg.Client> {
  try {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    return client;
  } catch (err) {
    throw new MigrationError(`cannot connect to ${databaseUrl}: ${(err as Error).message}`, { cause: err });
  }
}

function splitDatabaseUrl(databaseUrl: string): { admin: string; name: string } {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    // Node's ERR_INVALID_URL carries the whole input (password included) in `input`: never rethrow it.
    throw new MigrationError(`database URL is not a valid URL: ${databaseUrl}`);
  }
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) throw new MigrationError(`database URL has no database name: ${databaseUrl}`);
  url.pathname = '/postgres';
  return { admin: url.toString(), name };
}
