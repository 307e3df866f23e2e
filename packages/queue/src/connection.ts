// Where the trial queue lives: Redis (production, tests) or Postgres (BullMQ's Postgres backend: the embedded demo,
// where no Redis server exists). Both give the same Queue/Worker classes, so nothing above this file cares.
import { Queue, Worker, createPostgresBackend, withBackend } from 'bullmq';

export type QueueConnection =
  | { kind: 'redis'; url: string /** Key prefix, so tests and deployments never share keys. */; prefix?: string }
  | { kind: 'postgres'; url: string /** Schema holding BullMQ's tables. */; schema?: string };

/** Queue and Worker constructors plus connection options for one backend. */
export function queueBackend(conn: QueueConnection) {
  if (conn.kind === 'redis') {
    // Options, not an ioredis instance: BullMQ then owns the connection and closes it with the queue/worker.
    const connection = { url: conn.url, maxRetriesPerRequest: null };
    // A producer that fails fast: while Redis is down its commands reject at once instead of queueing (the API answers
    // 503 or the reconciler retries on its next pass); workers keep the default and wait for Redis to return.
    const failFast = { url: conn.url, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 1500 };
    return {
      Queue: Queue as unknown as typeof Queue,
      Worker: Worker as unknown as typeof Worker,
      queueOptions: (o: { failFast?: boolean } = {}) => ({ connection: o.failFast ? failFast : connection, prefix: conn.prefix ?? 'ablate' }),
      workerOptions: () => ({ connection, prefix: conn.prefix ?? 'ablate' }),
    };
  }
  const pgBackend = withBackend(createPostgresBackend);
  const connection = { connectionString: conn.url, schema: conn.schema ?? 'bullmq', migrate: true };
  return {
    Queue: pgBackend.Queue as unknown as typeof Queue,
    Worker: pgBackend.Worker as unknown as typeof Worker,
    queueOptions: (_o: { failFast?: boolean } = {}) => ({ connection }) as never,
    workerOptions: () => ({ connection }) as never,
  };
}

/** Reads the queue location from the environment: ABLATE_QUEUE=redis|postgres, REDIS_URL, DATABASE_URL. */
export function queueConnectionFromEnv(env: NodeJS.ProcessEnv = process.env): QueueConnection {
  const kind = env.ABLATE_QUEUE ?? 'redis';
  if (kind === 'postgres') {
    if (!env.DATABASE_URL) throw new Error('ABLATE_QUEUE=postgres needs DATABASE_URL');
    return { kind, url: env.DATABASE_URL, schema: env.ABLATE_QUEUE_SCHEMA };
  }
  if (kind !== 'redis') throw new Error(`ABLATE_QUEUE must be 'redis' or 'postgres', got '${kind}'`);
  return { kind, url: env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix: env.ABLATE_QUEUE_PREFIX };
}
