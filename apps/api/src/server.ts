// Starts the API: parse env, connect Postgres and the queue, listen; on SIGTERM/SIGINT close everything and exit.
import { createDatabase, createDb, migrate } from '@ablate/db';
import { openTrialQueue, queueConnectionFromEnv } from '@ablate/queue';
import { redactingLogOptions } from '@ablate/spec';
import { buildApp } from './app.js';
import { parseEnv } from './env.js';

const env = parseEnv();
if (env.MIGRATE_ON_START) {
  await createDatabase(env.DATABASE_URL);
  await migrate(env.DATABASE_URL);
}
const db = createDb(env.DATABASE_URL);
const trialQueue = openTrialQueue(queueConnectionFromEnv(process.env));
const app = await buildApp({ db, trialQueue, logger: { level: env.LOG_LEVEL, base: { service: 'ablate-api' }, ...redactingLogOptions } });

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 10_000).unref();
  await app.close();
  await trialQueue.close();
  await db.$disconnect();
  clearTimeout(force);
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

await app.listen({ host: env.HOST, port: env.PORT });
