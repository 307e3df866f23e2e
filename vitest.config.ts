// One vitest run for the monorepo: unit tests beside the code, integration tests in apps/*/test and tests/.
// Every run gets its own Postgres template database and Redis key prefix (tests/helpers/global-setup.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    // Training is CPU-bound and tfjs-wasm is single-threaded: one fork per core.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
