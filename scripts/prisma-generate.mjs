// Generates the Prisma client without network access. Every Prisma CLI command first fetches the native
// schema-engine; pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file skips that, and `generate` needs no engine.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
}
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
env.CHECKPOINT_DISABLE = '1';
const cli = require.resolve('prisma/build/index.js');
const r = spawnSync(process.execPath, [cli, 'generate', '--no-hints'], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
