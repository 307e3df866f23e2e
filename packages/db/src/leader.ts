// Leader election through a Postgres session advisory lock held on a dedicated connection: whoever holds it leads
// (the reconciler); the lock goes with the connection, so a leader that dies or loses Postgres frees it at once.
import pg from 'pg';

export class LeaderLock {
  private client: pg.Client | undefined;

  constructor(
    private readonly databaseUrl: string,
    private readonly key: number,
  ) {}

  get held(): boolean {
    return this.client !== undefined;
  }

  /** True when this process holds the lock (now or already); false when another does. Throws when Postgres is unreachable. */
  async acquire(): Promise<boolean> {
    if (this.client) return true;
    const client = new pg.Client({ connectionString: this.databaseUrl, connectionTimeoutMillis: 2_000 });
    client.on('error', () => void this.release());
    try {
      await client.connect();
      const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [this.key]);
      if (!r.rows[0]?.ok) {
        await client.end();
        return false;
      }
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    this.client = client;
    return true;
  }

  /** Whether the lock's connection still answers (a lost connection means a lost lock). */
  async alive(): Promise<boolean> {
    if (!this.client) return false;
    try {
      await this.client.query('SELECT 1');
      return true;
    } catch {
      await this.release();
      return false;
    }
  }

  async release(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (c) await c.end().catch(() => undefined);
  }
}
