// GET /leaderboard on a real database: finished trials of every sweep grouped by configuration (a trial shared by two
// sweeps counts once), ranked by mean over seeds with a 95 % t interval, ties flagged, filters and pages; and the
// builder on its own.
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../../tests/helpers/index.js';
import { buildLeaderboard } from '../src/tables/leaderboard.js';

const testbed = useTestApp();

describe('buildLeaderboard', () => {
  const t = (g: string, seed: number, value: number) => ({ groupKey: g, seed, config: { model: { name: g }, seed }, value });

  it('ranks by mean, lower first for a loss, and flags a configuration whose interval overlaps the one above', () => {
    const rows = [t('a', 0, 0.8), t('a', 1, 0.82), t('b', 0, 0.79), t('b', 1, 0.83), t('c', 0, 0.3), t('c', 1, 0.31)];
    const lb = buildLeaderboard(rows, { better: 'higher' });
    expect(lb.map((e) => [e.rank, e.groupKey, e.tiedWithAbove])).toEqual([
      [1, 'a', false],
      [2, 'b', true],
      [3, 'c', false],
    ]);
    expect(lb[0]!.config).toEqual({ model: { name: 'a' } });
    // mean 0.81, sd √0.0002, t(0.975, 1) = 12.706204736174698 (SciPy).
    const half = (12.706204736174698 * Math.sqrt(0.0002)) / Math.sqrt(2);
    expect(lb[0]!.ci!.low).toBeCloseTo(0.81 - half, 10);
    expect(buildLeaderboard(rows, { better: 'lower' }).map((e) => e.groupKey)).toEqual(['c', 'a', 'b']);
  });
});

describe('GET /leaderboard', () => {
  it('ranks configurations across sweeps, counts a shared trial once, filters and pages', async () => {
    const { app, env } = testbed;
    const base = { dataset: { name: 'procedural', trainSize: 64, testSize: 32 }, optimizer: { name: 'sgd', lr: 0.1 }, epochs: 2 };
    const post = async (name: string, axes: Record<string, unknown[]>, extra: Record<string, unknown> = {}) =>
      (await app.inject({ method: 'POST', url: '/sweeps', payload: { name, base: { ...base, ...extra }, axes, seeds: [0, 1, 2] } })).json()
        .id as string;
    await post('one', { model: ['tiny_cnn', 'mlp'] });
    // Shares tiny_cnn's three trials with the first sweep, adds resnet20.
    await post('two', { model: ['tiny_cnn', 'resnet20'] });
    // Another dataset size: other configurations (filtered out below by epochs).
    await post('three', { model: ['mlp'] }, { epochs: 3 });
    const score: Record<string, number> = { tiny_cnn: 0.7, mlp: 0.6, resnet20: 0.71 };
    for (const tr of await env.db.trial.findMany()) {
      const c = tr.config as { model: { name: string }; epochs: number };
      const v = score[c.model.name]! + tr.seed / 100 + (c.epochs === 3 ? 0.2 : 0);
      await env.db.trial.update({ where: { id: tr.id }, data: { status: 'done', testTop1: v, finalMetrics: { testTop1: v, testLoss: 1 - v } } });
    }
    const lb = (await app.inject({ method: 'GET', url: '/leaderboard?dataset=procedural&epochs=2' })).json();
    expect(lb.total).toBe(3);
    expect(lb.items.map((e: { summary: string; n: number; rank: number }) => [e.rank, e.summary.split(',')[0], e.n])).toEqual([
      [1, 'resnet20', 3],
      [2, 'tiny_cnn', 3],
      [3, 'mlp', 3],
    ]);
    // resnet20 (0.72 ± 0.01) and tiny_cnn (0.71 ± 0.01) overlap; mlp (0.61) does not.
    expect(lb.items.map((e: { tiedWithAbove: boolean }) => e.tiedWithAbove)).toEqual([false, true, false]);
    expect(lb.items[0].ci.low).toBeLessThan(lb.items[0].mean);
    // Any config field; a loss ranks lowest first; pages.
    const mlp = (await app.inject({ method: 'GET', url: '/leaderboard?where=model.name%3Dmlp' })).json();
    expect(mlp.items.map((e: { config: { epochs: number } }) => e.config.epochs)).toEqual([3, 2]);
    const loss = (await app.inject({ method: 'GET', url: '/leaderboard?metric=testLoss&epochs=2&limit=1&offset=0' })).json();
    expect([loss.total, loss.items.length, loss.items[0].summary.split(',')[0]]).toEqual([3, 1, 'resnet20']);
    const md = (await app.inject({ method: 'GET', url: '/leaderboard?epochs=2&format=markdown' })).body;
    expect(md.split('\n')[0]).toBe('| rank | configuration | top-1 (%) | 95 % CI | n |');
    expect(md).toContain('| 2 (tie) | tiny_cnn, sgd lr=0.1');
    const csv = (await app.inject({ method: 'GET', url: '/leaderboard?epochs=2&format=csv' })).body.split('\n');
    expect(csv[0]).toBe('rank,tied_with_above,group_key,configuration,n,seeds,mean,std,ci_low,ci_high');
    expect(csv[1]).toMatch(/^1,0,[0-9a-f]+,"resnet20, sgd lr=0\.1, .*",3,0;1;2,0\.72/);
    const bad = await app.inject({ method: 'GET', url: '/leaderboard?where=model.name' });
    expect([bad.statusCode, bad.json().issues[0].path]).toEqual([400, 'querystring.where']);
  });
});
