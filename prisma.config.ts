// Prisma CLI configuration (Prisma 7 reads no .env itself). Offline, only `generate`/`validate`/`format` run here
// (see scripts/prisma-generate.mjs); migrations are applied by packages/db/src/migrate.ts.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/ablate' },
});
