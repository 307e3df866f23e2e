// The reconciler on its own (`npm run reconciler`), for deployments that run it apart from the API. Any number may
// run: one leads (Postgres advisory lock), the others stand by and take over when it stops.
import { createDb } from '@ablate/db';
import { openTrialQueue, queueConnectionFromEnv } from '@ablate/queue';
import { redactingLogOptions } from '@ablate/spec';
import { pino } from 'pino';
import { parseEnv } from '../env.js';
import { Reconciler } from './reconciler.js';

const env = parseEnv();
const log = pino({ level: env.LOG_LEVEL, base: { service: 'ablate-reconciler' }, ...redactingLogOptions });
const db = createDb(env.DATABASE_URL, { max: 4 });
const queue = openTrialQueue(queueConnectionFromEnv(process.env), {
  onError: (err) => log.warn({ err: err.message }, 'queue unreachable (reconnecting)'),
});
const reconciler = new Reconciler({
  databaseUrl: env.DATABASE_URL,
  db,
  queue,
  log,
  intervalMs: env.RECONCILER_INTERVAL_MS,
  leaseGraceMs: env.LEASE_GRACE_MS,
}).start();
log.info('reconciler started');

async function shutdown() {
  await reconciler.stop();
  await queue.close();
  await db.$disconnect();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
