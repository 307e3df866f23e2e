// The Prisma client over node-postgres (driver adapter: no query engine binary, works offline).
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.js';

export type Db = InstanceType<typeof PrismaClient>;

/**
 * `connectTimeoutMs` bounds how long a query waits for a connection when the server is down or unreachable (the API
 * must answer 503 within 2 s; workers retry).
 */
export function createDb(databaseUrl: string, opts: { max?: number; connectTimeoutMs?: number } = {}): Db {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: opts.max ?? 10,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 1_500,
    idleTimeoutMillis: 10_000,
  });
  return new PrismaClient({ adapter });
}

export { Prisma } from './generated/prisma/client.js';
export type { Sweep, Trial, EpochMetric, Artifact, SweepTrial, Worker } from './generated/prisma/client.js';
export { SweepStatus, TrialStatus } from './generated/prisma/enums.js';
