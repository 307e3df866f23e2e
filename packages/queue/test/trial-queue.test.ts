// The trials queue on both backends: payloads are validated before they are added, a trial id is one job,
// and a worker receives what was enqueued (Redis in production and tests; Postgres for the embedded demo).
import { TrialConfig, configHash } from '@ablate/spec';
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestEnv, waitFor, type TestEnv } from '../../../tests/helpers/index.js';
import { openTrialQueue, startTrialWorker, type QueueConnection } from '../src/index.js';

const config = TrialConfig.parse({ dataset: 'procedural', model: 'mlp', optimizer: 'sgd', epochs: 1 });
const payload = { trialId: configHash(config), sweepId: 's1', config, backend: 'any' as const };

let env: TestEnv;
beforeAll(async () => {
  env = await setupTestEnv();
});
afterAll(async () => {
  await env.close();
});

describe.each(['redis', 'postgres'] as const)('trials queue on %s', (kind) => {
  const conn = (): QueueConnection => (kind === 'redis' ? env.queueConnection : { kind, url: env.databaseUrl, schema: `bullmq_${env.prefix.replace(/-/g, '_')}` });

  it('validates payloads, keys jobs by trial id and delivers them to a worker', async () => {
    const queue = openTrialQueue(conn());
    let worker: Worker | undefined;
    try {
      await expect(queue.enqueue([{ ...payload, trialId: 'not-a-hash' }])).rejects.toThrow(/trialId/);
      await expect(queue.enqueue([{ ...payload, config: { ...config, epochs: 0 } }])).rejects.toThrow(/epochs/);
      expect((await queue.counts()).waiting).toBe(0);
      await queue.enqueue([payload]);
      await queue.enqueue([payload]);
      expect((await queue.counts()).waiting).toBe(1);
      const seen: unknown[] = [];
      worker = startTrialWorker(conn(), async (job) => {
        seen.push({ id: job.id, data: job.data });
        return 'ok';
      });
      await waitFor(async () => seen.length === 1, 20_000, 'the job');
      expect(seen[0]).toEqual({ id: payload.trialId, data: payload });
      await waitFor(async () => (await queue.counts()).completed === 1, 10_000, 'completion');
    } finally {
      await worker?.close();
      await queue.obliterate().catch(() => undefined);
      await queue.close();
    }
  });
});
