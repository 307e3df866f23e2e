// The per-machine launcher (npm run worker): SIGUSR2 drains the machine — its worker finishes the trial it is
// training, takes no other, exits 0 and is not restarted, and then the launcher exits 0.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT, stopProcess, useTestApp, waitFor, workerEnv } from './helpers/index.js';

const testbed = useTestApp();

describe('the launcher', () => {
  it('drains its workers on SIGUSR2 and does not restart them', async () => {
    const { app, env } = testbed;
    const launcher = spawn(process.execPath, ['--import', 'tsx', `${ROOT}apps/worker/src/launch.ts`, '--cpu', '1'], {
      cwd: ROOT,
      env: workerEnv(env, { ABLATE_BACKEND: 'wasm' }),
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let stderr = '';
    launcher.stderr!.on('data', (d) => {
      stderr += d;
    });
    const exit = new Promise<number | null>((r) => launcher.once('exit', (code) => r(code)));
    try {
      const base = {
        dataset: { name: 'procedural', classes: 4, trainSize: 2048, testSize: 32, imageSize: 8 },
        model: 'tiny_cnn',
        optimizer: 'sgd',
        epochs: 6,
      };
      const r = await app.inject({
        method: 'POST',
        url: '/sweeps',
        payload: { name: 'launcher drain', base, axes: { 'optimizer.lr': [0.01, 0.02] } },
      });
      expect(r.statusCode).toBe(201);
      await waitFor(async () => (await env.db.trial.count({ where: { status: 'running' } })) === 1, 60_000, 'a trial to start');
      launcher.kill('SIGUSR2');
      expect(await exit).toBe(0);
      expect(stderr).toContain('stopped cleanly (drained); not restarting it');
      const trials = await env.db.trial.findMany({ orderBy: { startedAt: 'asc' } });
      expect(trials.map((t) => [t.status, t.interruptions])).toEqual([
        ['done', 0],
        ['queued', 0],
      ]);
      const workers = (await app.inject({ method: 'GET', url: '/workers?all=true' })).json().items;
      expect(workers.map((w: { state: string; reason: string }) => [w.state, w.reason])).toEqual([['stopped', 'drained']]);
    } finally {
      await stopProcess(launcher);
    }
  }, 120_000);
});
