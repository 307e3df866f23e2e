// @ablate/db: Prisma client, offline migrations, and the queries api and worker share.
export * from './client.js';
export * from './migrate.js';
export * from './queries/sweeps.js';
export * from './queries/trials.js';
