// The trials queues on both backends: payloads are validated before they are added, a trial's generation is one job, jobs are
// routed by backend requirement, and a worker receives only the queues it consumes, never more trials at once than
// its concurrency (Redis in production and tests; Postgres for the embedded demo).
import { TrialConfig, configHash } from '@ablate/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestEnv, waitFor, type TestEnv } from '../../../tests/helpers/index.js';
import { openTrialQueue, startTrialWorkers, type QueueConnection, type TrialWorkers } from '../src/index.js';

const trial = (epochs: number, backend: 'any' | 'gpu' | 'wasm' = 'any') => {
  const config = TrialConfig.parse({ dataset: 'procedural', model: 'mlp', optimizer: 'sgd', epochs });
  return { trialId: configHash(config), generation: 0, sweepId: 's1', config, backend };
};

let env: TestEnv;
beforeAll(async () => {
  env = await setupTestEnv();
});
afterAll(async () => {
  await env.close();
});

describe.each(['redis', 'postgres'] as const)('trials queue on %s', (kind) => {
  const conn = (): QueueConnection =>
    kind === 'redis' ? env.queueConnection : { kind, url: env.databaseUrl, schema: `bullmq_${env.prefix.replace(/-/g, '_')}` };

  it('validates payloads, keys jobs by trial id and generation, and delivers them to a worker', async () => {
    const queue = openTrialQueue(conn());
    let workers: TrialWorkers | undefined;
    const payload = trial(1);
    try {
      await expect(queue.enqueue([{ ...payload, trialId: 'not-a-hash' }])).rejects.toThrow(/trialId/);
      await expect(queue.enqueue([{ ...payload, config: { ...payload.config, epochs: 0 } }])).rejects.toThrow(/epochs/);
      expect((await queue.counts()).waiting).toBe(0);
      await queue.enqueue([payload]);
      await queue.enqueue([payload]);
      expect((await queue.counts()).waiting).toBe(1);
      const seen: unknown[] = [];
      workers = startTrialWorkers(conn(), ['trials'], async (job) => {
        seen.push({ id: job.id, data: job.data });
        return 'ok';
      });
      await waitFor(async () => seen.length === 1, 20_000, 'the job');
      expect(seen[0]).toEqual({ id: `${payload.trialId}.0`, data: payload });
      await waitFor(async () => (await queue.counts()).completed === 1, 10_000, 'completion');
      // What the reconciler asks of the queue: the state of a delivery, 'unknown' when the queue does not have it.
      expect(
        await queue.states([
          { queue: 'trials', jobId: `${payload.trialId}.0` },
          { queue: 'trials', jobId: `${payload.trialId}.1` },
        ]),
      ).toEqual(['completed', 'unknown']);
      // A new generation of the same trial is a new delivery.
      await queue.enqueue([{ ...payload, generation: 1 }]);
      await waitFor(async () => seen.length === 2, 20_000, 'the second generation');
    } finally {
      await workers?.close();
      await queue.obliterate().catch(() => undefined);
      await queue.close();
    }
  });
});

describe('routing by backend requirement', () => {
  it('puts a GPU-only trial where only GPU workers look, and shares one concurrency limit across queues', async () => {
    const queue = openTrialQueue(env.queueConnection);
    const cpuSeen: string[] = [];
    const gpuSeen: string[] = [];
    let running = 0;
    let maxRunning = 0;
    let cpu: TrialWorkers | undefined;
    let gpu: TrialWorkers | undefined;
    try {
      const [anyA, anyB, gpuOnly] = [trial(2), trial(3), trial(4, 'gpu')];
      await queue.enqueue([anyA, anyB, gpuOnly]);
      const byQueue = await queue.countsByQueue();
      expect([byQueue.trials!.waiting, byQueue['trials-gpu']!.waiting]).toEqual([2, 1]);
      // A CPU worker consumes only `trials`.
      cpu = startTrialWorkers(env.queueConnection, ['trials', 'trials-wasm'], async (job) => {
        cpuSeen.push(job.data.trialId);
      });
      await waitFor(async () => cpuSeen.length === 2, 20_000, 'the CPU worker');
      await new Promise((r) => setTimeout(r, 500));
      expect(cpuSeen.sort()).toEqual([anyA.trialId, anyB.trialId].sort());
      expect((await queue.countsByQueue())['trials-gpu']!.waiting).toBe(1);
      await cpu.close();
      // A GPU worker consumes both; with concurrency 1 it never runs two at once.
      await queue.enqueue([trial(5)]);
      gpu = startTrialWorkers(
        env.queueConnection,
        ['trials', 'trials-gpu'],
        async (job) => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          await new Promise((r) => setTimeout(r, 300));
          gpuSeen.push(job.data.trialId);
          running--;
        },
        { concurrency: 1 },
      );
      await waitFor(async () => gpuSeen.length === 2, 20_000, 'the GPU worker');
      expect(gpuSeen).toContain(gpuOnly.trialId);
      expect(maxRunning).toBe(1);
    } finally {
      await cpu?.close();
      await gpu?.close();
      await queue.obliterate().catch(() => undefined);
      await queue.close();
    }
  });
});
