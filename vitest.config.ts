// One vitest run for the monorepo: every *.test.ts in the repository (unit tests beside the code, integration tests in
// apps/*/test and tests/). Every run gets its own Postgres template database and Redis key prefix (tests/helpers/global-setup.ts).
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Everywhere, so a test in a new folder cannot be silently left out; the exclusions are named.
    include: ['**/*.test.ts'],
    exclude: [
      ...configDefaults.exclude,
      'packages/db/src/generated/**',
      // Files with known failures that tests/meta/test-command.test.ts runs under its own config.
      'tests/meta/fixtures/**',
      '.tmp/**',
      '.ablate/**',
      'runs/**',
      '**/dist/**',
    ],
    globalSetup: ['tests/helpers/global-setup.ts'],
    // Training is CPU-bound and tfjs-wasm is single-threaded: one fork per core.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
