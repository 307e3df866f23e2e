// Starts the API: parse env, connect Postgres, the queue and the blob store, start the reconciler (it leads when no
// other process does), listen; on SIGTERM/SIGINT close everything and exit.
import { createDatabase, createDb, migrate } from '@ablate/db';
import { openTrialQueue, queueConnectionFromEnv } from '@ablate/queue';
import { dataRootsFromEnv } from '@ablate/spec';
import { openStoreFromEnv } from '@ablate/store';
import { buildApp } from './app.js';
import { parseEnv } from './env.js';
import { apiLogOptions } from './log-options.js';
import { ensureLocalKey } from './local-key.js';
import { Reconciler } from './reconciler/reconciler.js';

const env = parseEnv();
if (env.MIGRATE_ON_START) {
  await createDatabase(env.DATABASE_URL);
  await migrate(env.DATABASE_URL);
}
const db = createDb(env.DATABASE_URL);
if (env.ABLATE_KEY_FILE) await ensureLocalKey(db, env.ABLATE_KEY_FILE);
const store = openStoreFromEnv(process.env);
const trialQueue = openTrialQueue(queueConnectionFromEnv(process.env), {
  onError: (err) => app.log.warn({ err: err.message }, 'queue unreachable (reconnecting)'),
});
const app = await buildApp({
  db,
  trialQueue,
  store,
  auth: env.ABLATE_AUTH,
  corsOrigins: env.ABLATE_CORS_ORIGINS,
  dataRoots: dataRootsFromEnv(process.env),
  logger: { level: env.LOG_LEVEL, base: { service: 'ablate-api' }, ...apiLogOptions },
});
const reconciler = env.RECONCILER
  ? new Reconciler({
      databaseUrl: env.DATABASE_URL,
      db,
      queue: trialQueue,
      log: app.log.child({ component: 'reconciler' }) as never,
      intervalMs: env.RECONCILER_INTERVAL_MS,
      leaseGraceMs: env.LEASE_GRACE_MS,
    }).start()
  : undefined;

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 10_000).unref();
  await reconciler?.stop();
  await app.close();
  await trialQueue.close();
  await store.close();
  await db.$disconnect();
  clearTimeout(force);
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

await app.listen({ host: env.HOST, port: env.PORT });
