// @ablate/queue: where trial jobs live (Redis or Postgres) and the only way to add or consume them.
export * from './connection.js';
export * from './trial-queue.js';
export { UnrecoverableError } from 'bullmq';
