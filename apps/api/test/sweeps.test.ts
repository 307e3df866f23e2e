// POST/GET /sweeps against the real Postgres and Redis (no worker): storage, delivery by the reconciler, dedupe,
// validation, idempotency.
import { MAX_AXES, MAX_TRIALS_PER_SWEEP, TrialConfig } from '@ablate/spec';
import { describe, expect, it } from 'vitest';
import { useTestApp, waitFor } from '../../../tests/helpers/index.js';

const spec = {
  name: 'api test',
  base: { dataset: { name: 'procedural', trainSize: 64, testSize: 32 }, model: 'tiny_cnn', optimizer: { name: 'sgd', lr: 0.1 }, epochs: 1 },
  axes: { model: ['tiny_cnn', 'mlp'], optimizer: ['sgd', 'adam'] },
  seeds: [0, 1],
};

async function stored() {
  return {
    sweeps: await testbed.env.db.sweep.count(),
    trials: await testbed.env.db.trial.count(),
    /** Queued in Postgres: what the reconciler delivers. */
    queued: await testbed.env.db.trial.count({ where: { status: 'queued' } }),
  };
}

const testbed = useTestApp();

describe('POST /sweeps', () => {
  it('stores the sweep and its trials; the reconciler delivers one job per trial, keyed by trial id and generation', async () => {
    const r = await testbed.app.inject({ method: 'POST', url: '/sweeps', payload: spec });
    expect(r.statusCode).toBe(201);
    const body = r.json();
    expect(body).toMatchObject({ trials: 8, created: 8, reused: 0, queued: 8 });
    const trials = await testbed.env.db.trial.findMany({ select: { id: true, status: true, config: true } });
    expect(trials).toHaveLength(8);
    expect(trials.every((t) => t.status === 'queued')).toBe(true);
    expect(await stored()).toEqual({ sweeps: 1, trials: 8, queued: 8 });
    await waitFor(async () => (await testbed.env.queue.counts()).prioritized === 8, 10_000, 'the deliveries');
    const states = await testbed.env.queue.states(trials.map((t) => ({ queue: 'trials', jobId: `${t.id}.0` })));
    expect(states).toEqual(trials.map(() => 'prioritized'));
    const sweep = await testbed.env.db.sweep.findUniqueOrThrow({ where: { id: body.id } });
    // The spec is stored exactly as submitted; the resolved form carries defaults and axis labels.
    expect(sweep.spec).toEqual(spec);
    expect(sweep.resolved).toMatchObject({ trials: 8, backend: 'any', axes: [{ key: 'model', labels: ['tiny_cnn', 'mlp'] }, { key: 'optimizer' }] });
  });

  it('does not create or queue any trial twice when the same sweep is posted again', async () => {
    const before = await stored();
    const r = await testbed.app.inject({ method: 'POST', url: '/sweeps', payload: { ...spec, name: 'again' } });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ trials: 8, created: 0, reused: 8 });
    expect(await stored()).toEqual({ ...before, sweeps: before.sweeps + 1 });
  });

  it('reuses the overlapping trials of a different sweep', async () => {
    const r = await testbed.app.inject({
      method: 'POST',
      url: '/sweeps',
      payload: { ...spec, axes: { model: ['tiny_cnn'], optimizer: ['sgd', { name: 'sgd', lr: 0.05 }] } },
    });
    expect(r.json()).toMatchObject({ trials: 4, created: 2, reused: 2 });
  });

  it('returns the plan without storing anything for dryRun', async () => {
    const before = await stored();
    const r = await testbed.app.inject({ method: 'POST', url: '/sweeps?dryRun=true', payload: spec });
    expect(r.statusCode).toBe(200);
    expect(r.json().cells).toHaveLength(8);
    expect(await stored()).toEqual(before);
  });

  it('shows zip, exclude and include in a dry run: the grid, the rows each rule dropped, the rows added', async () => {
    const r = await testbed.app.inject({
      method: 'POST',
      url: '/sweeps?dryRun=true',
      payload: {
        ...spec,
        axes: { ...spec.axes, batchSize: [16, 32] },
        zip: [['model', 'batchSize']],
        exclude: [{ model: 'mlp', optimizer: 'adam' }],
        include: [{ model: 'mlp', optimizer: 'adam', batchSize: 8 }],
      },
    });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.shape).toEqual({ gridRows: 4, zip: [['model', 'batchSize']], excluded: [{ rule: 0, rows: 1 }], includedRows: 1 });
    const rows = [...new Set(body.cells.map((c: { labels: object }) => JSON.stringify(c.labels)))];
    expect(rows).toEqual([
      JSON.stringify({ model: 'tiny_cnn', optimizer: 'sgd', batchSize: '16' }),
      JSON.stringify({ model: 'tiny_cnn', optimizer: 'adam', batchSize: '16' }),
      JSON.stringify({ model: 'mlp', optimizer: 'sgd', batchSize: '32' }),
      JSON.stringify({ model: 'mlp', optimizer: 'adam', batchSize: '8' }),
    ]);
    expect(body.trials).toBe(8);
    const bad = await testbed.app.inject({ method: 'POST', url: '/sweeps?dryRun=true', payload: { ...spec, exclude: [{ model: 'resnet18' }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues).toContainEqual({ path: 'exclude.0', message: expect.stringContaining('matches no cell') });
  });

  it.each([
    ['unknown model', { ...spec, axes: { model: ['resnet9000'] } }, 'axes.model.0.name', /Unknown model 'resnet9000'/],
    ['misspelt model', { ...spec, axes: { model: ['tiny_cn'] } }, 'axes.model.0.name', /Did you mean 'tiny_cnn'/],
    ['empty axis', { ...spec, axes: { ...spec.axes, loss: [] } }, 'axes.loss', /at least one value/],
    ['wrong type', { ...spec, base: { ...spec.base, epochs: 'ten' } }, 'base.epochs', /expected number/],
    ['wrong seed type', { ...spec, seeds: ['a'] }, 'seeds.0', /expected number/],
    [
      'a 10^6-cell grid',
      {
        ...spec,
        seeds: [0],
        axes: { epochs: Array.from({ length: 1000 }, (_, i) => i + 1), batchSize: Array.from({ length: 1000 }, (_, i) => i + 1) },
      },
      'axes',
      /1,000,000 trials/,
    ],
    ['missing name', { ...spec, name: undefined }, 'name', /expected string/],
    ['unknown top-level field', { ...spec, axis: {} }, '', /axis/],
  ])('rejects %s with a 400 naming the field, storing and enqueuing nothing', async (_what, body, path, message) => {
    const before = await stored();
    const r = await testbed.app.inject({ method: 'POST', url: '/sweeps', payload: body as object });
    expect(r.statusCode).toBe(400);
    const err = r.json();
    expect(err.code).toBe('SWEEP_ERR_INVALID_SPEC');
    expect(err.issues.map((i: { path: string }) => i.path)).toContain(path);
    expect(err.message).toMatch(message);
    expect(await stored()).toEqual(before);
  });

  it.each(['dryRun[]=true', 'dryRun[0]=', 'dryRun[a]=', 'dryRun=true&dryRun=true', 'dryRun=yes', 'dryrun=true'])(
    'refuses the query ?%s with a 400 naming it, storing nothing',
    async (query) => {
      const before = await stored();
      const r = await testbed.app.inject({ method: 'POST', url: `/sweeps?${query}`, payload: spec });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().code).toBe('API_ERR_BAD_REQUEST');
      expect(r.json().message).toMatch(/^querystring/);
      expect(r.json().message).toContain(query.split('=')[0]!.split('&')[0]!.replace(/\[.*$/, ''));
      expect(await stored()).toEqual(before);
    },
  );

  it('refuses a field path through __proto__/constructor/prototype, and the same server then takes a valid sweep', async () => {
    const poisons = [
      [{ ...spec, axes: { 'optimizer.__proto__.x': [1] } }, 'axes.optimizer.__proto__.x', '__proto__'],
      [{ ...spec, axes: { 'model.constructor.prototype.polluted': [1] } }, 'axes.model.constructor.prototype.polluted', 'constructor'],
      [{ ...spec, axes: {}, variants: [{ label: 'v', set: { 'loss.prototype': 1 } }] }, 'variants.0.set.loss.prototype', 'prototype'],
    ] as const;
    for (const [body, path, segment] of poisons) {
      const r = await testbed.app.inject({ method: 'POST', url: '/sweeps', payload: body });
      expect(r.statusCode, path).toBe(400);
      expect(r.json().issues, path).toContainEqual({ path, message: expect.stringContaining(`'${segment}'`) });
    }
    // Nothing reached a prototype: a fresh object has no stray keys, and valid work goes on in the same process.
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>).x ?? ({} as Record<string, unknown>).polluted).toBeUndefined();
    const ok = await testbed.app.inject({ method: 'POST', url: '/sweeps', payload: { ...spec, name: 'after poison' } });
    expect(ok.statusCode, ok.body).toBe(201);
    const read = await testbed.app.inject({ method: 'GET', url: `/sweeps/${ok.json().id}` });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ name: 'after poison', trialCount: 8 });
  });

  it(`caps the axes at ${MAX_AXES} with a 400, and answers a maximal legal spec (${MAX_AXES} axes, ${MAX_TRIALS_PER_SWEEP} trials)`, async () => {
    // Every scalar leaf of a resolved config is a legal single-valued axis; one more axis carries the grid.
    const leaves: [string, unknown][] = [];
    const walk = (o: object, prefix: string) => {
      for (const [k, v] of Object.entries(o)) {
        if (v && typeof v === 'object' && !Array.isArray(v)) walk(v, `${prefix}${k}.`);
        else if (!Array.isArray(v)) leaves.push([`${prefix}${k}`, v]);
      }
    };
    walk(TrialConfig.parse(spec.base), '');
    leaves.push(['augmentation', 'none']);
    const single = leaves.filter(([p]) => !['optimizer.lr', 'seed', 'schemaVersion'].includes(p)).slice(0, MAX_AXES - 1);
    expect(single).toHaveLength(MAX_AXES - 1);
    const seeds = Array.from({ length: 10 }, (_, i) => i);
    const axes: Record<string, unknown[]> = { 'optimizer.lr': Array.from({ length: MAX_TRIALS_PER_SWEEP / seeds.length }, (_, i) => (i + 1) / 1000) };
    for (const [p, v] of single) axes[p] = [v];
    const before = await stored();
    const tooMany = await testbed.app.inject({ method: 'POST', url: '/sweeps', payload: { ...spec, seeds, axes: { ...axes, 'model.extra': [1] } } });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().issues).toContainEqual({ path: 'axes', message: expect.stringContaining(`at most ${MAX_AXES} axes`) });
    expect(await stored()).toEqual(before);
    // Stored and enqueued for real: the whole write path must take the largest legal sweep.
    const max = await testbed.app.inject({ method: 'POST', url: '/sweeps', payload: { ...spec, name: 'maximal', seeds, axes } });
    expect(max.statusCode, max.body.slice(0, 500)).toBe(201);
    const { trials, created, reused, queued, axes: planned } = max.json();
    // Earlier tests in this file trained nothing but stored the lr=0.1 cells of seeds 0 and 1: those are reused.
    expect({ trials, sum: created + reused, queued }).toEqual({
      trials: MAX_TRIALS_PER_SWEEP,
      sum: MAX_TRIALS_PER_SWEEP,
      queued: MAX_TRIALS_PER_SWEEP,
    });
    expect(created).toBeGreaterThan(MAX_TRIALS_PER_SWEEP - 10);
    expect(planned).toHaveLength(MAX_AXES);
    expect(await stored()).toEqual({ sweeps: before.sweeps + 1, trials: before.trials + created, queued: before.queued + created });
  }, 120_000);

  it('rejects malformed JSON with a 400', async () => {
    const r = await testbed.app.inject({ method: 'POST', url: '/sweeps', headers: { 'content-type': 'application/json' }, payload: '{"name": ' });
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe('API_ERR_INVALID_JSON');
  });
});

describe('GET', () => {
  it('/sweeps/:id gives status counts; unknown ids are 404 with a code', async () => {
    const { id } = (await testbed.app.inject({ method: 'POST', url: '/sweeps', payload: { ...spec, name: 'status' } })).json();
    const r = await testbed.app.inject({ method: 'GET', url: `/sweeps/${id}` });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ id, name: 'status', status: 'queued', trialCount: 8, counts: { queued: 8, total: 8 }, seeds: [0, 1] });
    for (const url of ['/sweeps/nope', '/sweeps/nope/table', '/experiments/nope']) {
      const nf = await testbed.app.inject({ method: 'GET', url });
      expect(nf.statusCode, url).toBe(404);
      expect(nf.json().code, url).toMatch(/_ERR_NOT_FOUND$/);
    }
  });

  it('/sweeps/:id/table lists every configuration with n=0 before anything ran, in every format', async () => {
    const { id } = (await testbed.app.inject({ method: 'POST', url: '/sweeps', payload: { ...spec, name: 'table' } })).json();
    const json = (await testbed.app.inject({ method: 'GET', url: `/sweeps/${id}/table` })).json();
    expect(json.rows).toHaveLength(4);
    expect(json.rows.every((r: { n: number; expected: number }) => r.n === 0 && r.expected === 2)).toBe(true);
    const md = await testbed.app.inject({ method: 'GET', url: `/sweeps/${id}/table?format=markdown` });
    expect(md.headers['content-type']).toMatch(/markdown/);
    expect(md.body.split('\n')[0]).toBe('| model | optimizer | top-1 (%) | n |');
    const csv = await testbed.app.inject({ method: 'GET', url: `/sweeps/${id}/table?format=csv` });
    expect(csv.body.split('\n')).toHaveLength(6);
    expect((await testbed.app.inject({ method: 'GET', url: `/sweeps/${id}/table?format=xml` })).statusCode).toBe(400);
  });

  it('/sweeps/:id/table?baseline= adds Δ with a 95 % CI per row; a baseline naming no row is a 400 naming the parameter', async () => {
    const { id } = (await testbed.app.inject({ method: 'POST', url: '/sweeps', payload: { ...spec, name: 'baseline table', seeds: [7, 8] } })).json();
    // Results written as a worker would: every trial done with a test top-1.
    const cells = await testbed.env.db.sweepTrial.findMany({ where: { sweepId: id }, include: { trial: true } });
    for (const c of cells) {
      const labels = c.labels as Record<string, string>;
      const v = 0.5 + (labels.model === 'mlp' ? 0.1 : 0) + (labels.optimizer === 'adam' ? 0.02 : 0) + c.trial.seed / 1000;
      await testbed.env.db.trial.update({ where: { id: c.trialId }, data: { status: 'done', testTop1: v, finalMetrics: { testTop1: v } } });
    }
    const url = (q: string) => `/sweeps/${id}/table?${q}`;
    for (const q of ['baseline=model%3Dtiny_cnn%3Boptimizer%3Dsgd', `baseline=${encodeURIComponent('{"model":"tiny_cnn","optimizer":"sgd"}')}`]) {
      const t = (await testbed.app.inject({ method: 'GET', url: url(q) })).json();
      expect(t.baseline).toEqual({ model: 'tiny_cnn', optimizer: 'sgd' });
      const mlpAdam = t.rows.find((r: { labels: Record<string, string> }) => r.labels.model === 'mlp' && r.labels.optimizer === 'adam');
      // The same seeds in both rows: paired; the per-seed differences are all 0.12, so the interval is the point.
      expect(mlpAdam.delta).toMatchObject({ method: 'paired', df: 1, excludesZero: true });
      expect(mlpAdam.delta.estimate).toBeCloseTo(0.12, 12);
      expect(mlpAdam.delta.low).toBeCloseTo(0.12, 12);
    }
    const md = (await testbed.app.inject({ method: 'GET', url: url('baseline=model%3Dtiny_cnn%3Boptimizer%3Dsgd&format=markdown') })).body;
    expect(md).toContain('| tiny_cnn | sgd | 50.75 ± 0.07 | 2 | baseline |');
    expect(md).toContain('| mlp | adam | 62.75 ± 0.07 | 2 | +12.00 [+12.00, +12.00] * |');
    // Pivoted: optimizer across, each cell compared with tiny_cnn's cell in its column.
    const pv = (await testbed.app.inject({ method: 'GET', url: url('cols=optimizer&baseline=model%3Dtiny_cnn') })).json();
    expect([pv.rowAxes, pv.colAxes, pv.columns]).toEqual([['model'], ['optimizer'], [{ optimizer: 'sgd' }, { optimizer: 'adam' }]]);
    expect(pv.rows[1].labels).toEqual({ model: 'mlp' });
    expect(pv.rows[1].cells.map((c: { delta: { estimate: number } }) => c.delta.estimate)).toEqual([
      expect.closeTo(0.1, 12),
      expect.closeTo(0.1, 12),
    ]);
    const tex = await testbed.app.inject({ method: 'GET', url: url('cols=optimizer&format=latex') });
    expect(tex.headers['content-type']).toMatch(/latex/);
    // The best cell of each column in bold: mlp in both; tiny_cnn (with its _ escaped) in neither.
    expect(tex.body).toContain('mlp & \\textbf{60.75 $\\pm$ 0.07} & \\textbf{62.75 $\\pm$ 0.07} \\\\');
    expect(tex.body).toContain('tiny\\_cnn & 50.75 $\\pm$ 0.07 & 52.75 $\\pm$ 0.07 \\\\');
    const html = await testbed.app.inject({ method: 'GET', url: url('format=html') });
    expect(html.body).toContain('<th>model</th><th>optimizer</th><th>top-1 (%)</th>');
    for (const [q, code, path] of [
      ['cols=loss', 'TABLE_ERR_BAD_AXES', 'query'],
      ['baseline=model%3Dresnet9', 'TABLE_ERR_UNKNOWN_BASELINE', 'query.baseline'],
      ['baseline=nonsense', 'API_ERR_BAD_REQUEST', 'querystring.baseline'],
    ]) {
      const r = await testbed.app.inject({ method: 'GET', url: url(q!) });
      expect(r.statusCode, q).toBe(400);
      expect(r.json().code).toBe(code);
      expect(r.json().issues[0].path).toBe(path);
    }
  });

  it('/sweeps/:id/table?reduce=best|lastK reduces each trial over its epochs (computed in Postgres), final by default', async () => {
    const { id } = (
      await testbed.app.inject({
        method: 'POST',
        url: '/sweeps',
        payload: { ...spec, name: 'reduced table', axes: { model: ['tiny_cnn'] }, seeds: [3, 4] },
      })
    ).json();
    const cells = await testbed.env.db.sweepTrial.findMany({ where: { sweepId: id }, include: { trial: true } });
    // Per trial (seed s): test top-1 0.5, 0.7 + s/100, 0.6 over epochs 1..3; test loss 1.0, 0.8, 0.9; final = epoch 3.
    for (const c of cells) {
      const s = c.trial.seed;
      const epochs = [0.5, 0.7 + s / 100, 0.6];
      const losses = [1.0, 0.8, 0.9];
      await testbed.env.db.epochMetric.createMany({
        data: epochs.map((v, i) => ({
          trialId: c.trialId,
          epoch: i + 1,
          trainLoss: 1,
          trainAcc: 0.5,
          testLoss: losses[i]!,
          testTop1: v,
          testTop5: 1,
          lr: 0.1,
          seconds: 1,
          attempt: 1,
        })),
      });
      await testbed.env.db.trial.update({
        where: { id: c.trialId },
        data: { status: 'done', testTop1: 0.6, finalMetrics: { testTop1: 0.6, testLoss: 0.9 } },
      });
    }
    const table = async (q: string) => (await testbed.app.inject({ method: 'GET', url: `/sweeps/${id}/table?${q}` })).json();
    expect((await table('')).rows[0].mean).toBeCloseTo(0.6, 12);
    const best = await table('reduce=best');
    // Seeds 3 and 4: best epochs 0.73 and 0.74.
    expect([best.reduce, best.rows[0].mean, best.rows[0].n]).toEqual(['best epoch', expect.closeTo(0.735, 12), 2]);
    // For a loss the best epoch is the lowest.
    expect((await table('reduce=best&metric=testLoss')).rows[0].mean).toBeCloseTo(0.8, 12);
    // Last 2 epochs: (0.73 + 0.6) / 2 and (0.74 + 0.6) / 2 → 0.6675.
    const last2 = await table('reduce=lastK&k=2');
    expect([last2.reduce, last2.rows[0].mean]).toEqual(['mean of the last 2 epochs', expect.closeTo(0.6675, 12)]);
    expect((await table('reduce=lastK&k=50')).rows[0].mean).toBeCloseTo((0.5 + 0.735 + 0.6) / 3, 12);
    const bad = await testbed.app.inject({ method: 'GET', url: `/sweeps/${id}/table?reduce=best&metric=rocAucMacro` });
    expect([bad.statusCode, bad.json().issues[0].path]).toEqual([400, 'querystring.reduce']);
    // The long export: one line per trial × epoch, axis labels and every config field as columns.
    const exp = await testbed.app.inject({ method: 'GET', url: `/sweeps/${id}/export.csv` });
    expect(exp.headers['content-type']).toMatch(/text\/csv/);
    const [head, ...lines] = exp.body.trim().split('\n');
    const cols = head!.split(',');
    expect(cols.slice(0, 5)).toEqual(['trialId', 'index', 'seed', 'status', 'axis:model']);
    expect(cols).toEqual(
      expect.arrayContaining(['config.optimizer.name', 'config.optimizer.lr', 'config.epochs', 'config.seed', 'epoch', 'testTop1']),
    );
    expect(lines).toHaveLength(6);
    const at = (line: string, col: string) => line.split(',')[cols.indexOf(col)];
    expect(lines.map((l) => [at(l, 'seed'), at(l, 'epoch'), at(l, 'axis:model'), at(l, 'config.optimizer.name')])).toEqual([
      ['3', '1', 'tiny_cnn', 'sgd'],
      ['3', '2', 'tiny_cnn', 'sgd'],
      ['3', '3', 'tiny_cnn', 'sgd'],
      ['4', '1', 'tiny_cnn', 'sgd'],
      ['4', '2', 'tiny_cnn', 'sgd'],
      ['4', '3', 'tiny_cnn', 'sgd'],
    ]);
    expect(Number(at(lines[1]!, 'testTop1'))).toBeCloseTo(0.73, 12);
    const one = await testbed.app.inject({ method: 'GET', url: `/experiments/${cells[0]!.trialId}/epochs.csv` });
    expect(one.body.split('\n')[0]).toBe('epoch,trainLoss,trainAcc,testLoss,testTop1,testTop5,lr,seconds,attempt');
    expect(one.body.trim().split('\n')).toHaveLength(4);
    expect((await testbed.app.inject({ method: 'GET', url: '/experiments/nope/epochs.csv' })).statusCode).toBe(404);
  });

  it('/health reports the database and the queue; /docs serves the OpenAPI document', async () => {
    expect((await testbed.app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok' });
    const doc = (await testbed.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/sweeps', '/sweeps/{id}', '/sweeps/{id}/table', '/experiments/{id}', '/health']));
    const ui = await testbed.app.inject({ method: 'GET', url: '/docs' });
    expect([ui.statusCode, ui.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
  });
});
