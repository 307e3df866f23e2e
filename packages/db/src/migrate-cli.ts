// `npm run db:migrate`: creates the database named by DATABASE_URL if needed and applies pending migrations.
import { createDatabase, migrate } from './migrate.js';

const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write('DATABASE_URL is not set (e.g. postgresql://postgres@127.0.0.1:5432/ablate)\n');
  process.exit(2);
}
await createDatabase(url);
const applied = await migrate(url);
process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
