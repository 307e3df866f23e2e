// The Prisma client over node-postgres (driver adapter: no query engine binary, works offline).
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.js';

export type Db = InstanceType<typeof PrismaClient>;

export function createDb(databaseUrl: string, opts: { max?: number } = {}): Db {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: opts.max ?? 10 });
  return new PrismaClient({ adapter });
}

export { Prisma } from './generated/prisma/client.js';
export type { Sweep, Trial, EpochMetric, Artifact, SweepTrial } from './generated/prisma/client.js';
export { SweepStatus, TrialStatus } from './generated/prisma/enums.js';
