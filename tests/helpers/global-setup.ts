// Once per test run: a fresh, migrated template database that each test file clones, and a Redis key prefix
// unique to this run. Never touches a developer's data; everything is dropped at the end.
import { randomBytes } from 'node:crypto';
import { createDatabase, dropDatabase, migrate } from '@ablate/db';
import { Redis } from 'ioredis';
import type { TestProject } from 'vitest/node';

const PG = process.env.ABLATE_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env.ABLATE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabaseUrl: string;
    redisUrl: string;
    runId: string;
  }
}

export default async function setup(project: TestProject) {
  const runId = randomBytes(4).toString('hex');
  const url = new URL(PG);
  url.pathname = `/ablate_test_tpl_${runId}`;
  const template = url.toString();
  await createDatabase(template);
  await migrate(template);
  project.provide('templateDatabaseUrl', template);
  project.provide('redisUrl', REDIS);
  project.provide('runId', runId);
  return async () => {
    await dropDatabase(template);
    const redis = new Redis(REDIS);
    const keys = await redis.keys(`ablate-test-${runId}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  };
}
