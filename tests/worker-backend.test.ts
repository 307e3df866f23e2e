// Workers and backends: a worker records the backend it loaded, refuses to start on a backend it was told it must
// not use, and never receives a trial whose sweep requires a backend it does not have.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT, stopProcess, useTestApp, waitFor, workerEnv } from './helpers/index.js';

const testbed = useTestApp();

function runWorker(extra: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
    cwd: ROOT,
    env: workerEnv(testbed.env, { LOG_LEVEL: 'info', ...extra }),
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((r) => child.on('exit', (code) => r({ code, out })));
}

describe('worker backends', () => {
  it('refuses to start when the backend cannot load or does not satisfy WORKER_REQUIRE', async () => {
    const gpu = await runWorker({ ABLATE_BACKEND: 'tensorflow-gpu' });
    expect(gpu.code).toBe(1);
    expect(gpu.out).toContain('cannot load the backend; not starting');
    const required = await runWorker({ ABLATE_BACKEND: 'wasm', WORKER_REQUIRE: 'gpu' });
    expect(required.code).toBe(1);
    expect(required.out).toContain('does not satisfy WORKER_REQUIRE=gpu');
  }, 60_000);

  it('gives two workers started with one name two ids, both visible in GET /workers with backend, device and versions', async () => {
    const a = testbed.startWorker({ ABLATE_BACKEND: 'wasm', WORKER_NAME: 'vm-cpu0' });
    const b = testbed.startWorker({ ABLATE_BACKEND: 'wasm', WORKER_NAME: 'vm-cpu0' });
    try {
      const items = await waitFor(
        async () => {
          const r = (await testbed.app.inject({ method: 'GET', url: '/workers' })).json().items as { id: string; name: string }[];
          const same = r.filter((w) => w.name === 'vm-cpu0');
          return same.length === 2 ? same : undefined;
        },
        30_000,
        'both workers',
      );
      expect(new Set(items.map((w) => w.id)).size).toBe(2);
      for (const w of items) {
        expect(w.id).toMatch(/^vm-cpu0\.\d+\.[0-9a-f]{4}$/);
        expect(w).toMatchObject({ backend: 'wasm', device: 'cpu', live: true, state: 'idle', versions: { node: process.version } });
      }
    } finally {
      await Promise.all([stopProcess(a), stopProcess(b)]);
    }
    // A stopped worker says so, and leaves the default list.
    const all = (await testbed.app.inject({ method: 'GET', url: '/workers?all=true' })).json().items as {
      name: string;
      state: string;
      live: boolean;
    }[];
    expect(all.filter((w) => w.name === 'vm-cpu0').map((w) => [w.state, w.live])).toEqual([
      ['stopped', false],
      ['stopped', false],
    ]);
  }, 60_000);

  it('leaves a GPU-only sweep queued on a CPU worker and trains an any-backend sweep', async () => {
    const worker = testbed.startWorker({ ABLATE_BACKEND: 'wasm' });
    try {
      const base = {
        dataset: { name: 'procedural', classes: 4, trainSize: 64, testSize: 32, imageSize: 8 },
        model: 'mlp',
        optimizer: 'adam',
        epochs: 1,
      };
      const gpu = (await testbed.app.inject({ method: 'POST', url: '/sweeps', payload: { name: 'gpu only', base, backend: 'gpu' } })).json();
      const any = (await testbed.app.inject({ method: 'POST', url: '/sweeps', payload: { name: 'anywhere', base: { ...base, epochs: 2 } } })).json();
      await waitFor(
        async () => (await testbed.app.inject({ method: 'GET', url: `/sweeps/${any.id}` })).json().status === 'done',
        60_000,
        'the any-backend sweep',
      );
      const t = await testbed.env.db.trial.findFirstOrThrow({ where: { config: { path: ['epochs'], equals: 2 } } });
      expect([t.backend, t.device, t.queue]).toEqual(['wasm', 'cpu', 'trials']);
      const g = (await testbed.app.inject({ method: 'GET', url: `/sweeps/${gpu.id}` })).json();
      // It says what it waits for, and its delivery sits where only GPU workers look.
      expect(g).toMatchObject({ status: 'queued', counts: { queued: 1 }, waitingFor: 'gpu worker' });
      expect((await testbed.env.queue.countsByQueue())['trials-gpu']!.prioritized).toBe(1);
      const a = (await testbed.app.inject({ method: 'GET', url: `/sweeps/${any.id}` })).json();
      expect(a.waitingFor).toBeNull();
    } finally {
      await stopProcess(worker);
    }
  }, 90_000);
});
