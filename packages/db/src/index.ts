// @ablate/db: Prisma client, offline migrations, and the queries api and worker share.
export * from './client.js';
export * from './leader.js';
export * from './migrate.js';
export * from './unavailable.js';
export * from './queries/idempotency.js';
export * from './queries/lease.js';
export * from './queries/lifecycle.js';
export * from './queries/reconcile.js';
export * from './queries/sweeps.js';
export * from './queries/trials.js';
export * from './queries/workers.js';
export * from './queries/keys.js';
