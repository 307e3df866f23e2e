// Server-side plots end to end: a real worker trains a 2-row × 2-seed sweep and runs an LR range test, so every plot
// reads artifacts of the exact shapes the worker stores; synthetic trials (built with core's own evaluationReport)
// cover named classes and a 100-class matrix. Every registered plot is rendered as SVG (parsed, its marks counted)
// and PNG (decoded, not blank, text drawn); one PNG of each is kept under .tmp/plots/ for a person to look at.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMParser, type Element as XmlElement } from '@xmldom/xmldom';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluationReport, thinCurve } from '../../../packages/core/src/metrics/report.js';
import { ROOT, useTestApp, waitFor } from '../../../tests/helpers/index.js';
import { UnknownPlotError } from '../src/plots/errors.js';
import { listPlots, plotFor } from '../src/plots/registry.js';
import { FONT_DIR, PNG_SCALE } from '../src/plots/render.js';
import { COLORS } from '../src/plots/theme.js';

const OUT = join(ROOT, '.tmp/plots');
const dataset = { name: 'procedural', classes: 4, trainSize: 512, testSize: 128, imageSize: 16 };
const trainSweep = {
  name: 'plots 2 rows x 2 seeds',
  base: {
    dataset,
    model: { name: 'tiny_cnn', width: 8 },
    optimizer: { name: 'adam', lr: 3e-3 },
    schedule: { name: 'step', stepSize: 1, gamma: 0.7 },
    epochs: 3,
    batchSize: 32,
  },
  axes: {
    optimizer: [
      { name: 'adam', lr: 3e-3 },
      { name: 'adam', lr: 1e-2 },
    ],
  },
  seeds: [0, 1],
};
const lrSweep = {
  name: 'plots lr finder',
  base: {
    kind: 'lr_finder',
    dataset,
    model: { name: 'tiny_cnn', width: 8 },
    optimizer: { name: 'sgd', momentum: 0.9 },
    epochs: 1,
    batchSize: 32,
    lrFinder: { iterations: 30, startLr: 1e-5, endLr: 10 },
  },
};

const testbed = useTestApp();
const ids = {
  trainSweep: '',
  lrSweep: '',
  train: '',
  lrFinder: '',
  running: 'plots-running-trial',
  cifar: 'plots-cifar10-like',
  c100: 'plots-100-classes',
};

/** A trial stored directly, its artifacts computed by core's evaluationReport and shaped as train.ts emitReport stores them. */
async function seedTrial(id: string, classes: number, datasetName: string, n: number) {
  let s = classes;
  const rand = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const labels = Int32Array.from({ length: n }, (_, i) => i % classes);
  const scores = new Float64Array(n * classes);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += scores[i * classes + c] = Math.exp(2 * rand() + (c === labels[i] ? 1.5 : 0));
    for (let c = 0; c < classes; c++) scores[i * classes + c]! /= sum;
  }
  const { curves, ...numbers } = evaluationReport(scores, labels, classes);
  const json = (v: unknown) => JSON.parse(JSON.stringify(v));
  await testbed.env.db.trial.create({
    data: {
      id,
      groupKey: id,
      seed: 0,
      status: 'done',
      config: { kind: 'train', dataset: { name: datasetName }, model: { name: 'resnet18' }, optimizer: { name: 'sgd', lr: 0.1 }, epochs: 3, seed: 0 },
      finishedAt: new Date(),
      epochs: {
        create: [1, 2, 3].map((epoch) => ({
          epoch,
          trainLoss: 2 / epoch,
          trainAcc: 1 - 0.5 / epoch,
          testLoss: 2.2 / epoch,
          testTop1: 0.8 - 0.4 / epoch,
          testTop5: 0.95,
          lr: 0.1 / epoch,
          seconds: 1,
          attempt: 1,
        })),
      },
      artifacts: {
        create: [
          { kind: 'evaluation', data: json({ ...numbers, tta: { name: 'none' }, scores: 'softmax' }) },
          {
            kind: 'curves',
            data: json({
              note: 'curves thinned for storage (areas computed on the full curves)',
              roc: curves.roc.map((c) => c && thinCurve(c, 200)),
              rocMicro: thinCurve(curves.rocMicro),
              rocMacro: { ...thinCurve(curves.rocMacro), auc: curves.rocMacro.auc },
              prMicro: thinCurve(curves.prMicro),
            }),
          },
        ],
      },
    },
  });
}

beforeAll(async () => {
  const { app, env } = testbed;
  testbed.startWorker();
  const a = await app.inject({ method: 'POST', url: '/sweeps', payload: trainSweep });
  const b = await app.inject({ method: 'POST', url: '/sweeps', payload: lrSweep });
  expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
  ids.trainSweep = a.json().id;
  ids.lrSweep = b.json().id;
  await seedTrial(ids.cifar, 10, 'cifar10', 300);
  await seedTrial(ids.c100, 100, 'cifar100', 3000);
  // Running, with a lease far in the future, so the reconciler leaves it alone: it has no epoch yet.
  await env.db.trial.create({
    data: {
      id: ids.running,
      groupKey: ids.running,
      seed: 0,
      status: 'running',
      config: { kind: 'train', dataset: { name: 'procedural' } },
      leaseExpiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  // Trials are seen through a sweep of the key's project: hold the seeded ones in one.
  await env.db.sweep.create({
    data: {
      id: 'plots-seeded',
      name: 'seeded trials',
      spec: {},
      resolved: { axes: [], seeds: [0] },
      trialCount: 3,
      cells: { create: [ids.cifar, ids.c100, ids.running].map((trialId, index) => ({ trialId, index, labels: {} })) },
    },
  });
  await waitFor(
    async () => {
      const s = await env.db.sweepTrial.findMany({ where: { sweepId: { in: [ids.trainSweep, ids.lrSweep] } }, include: { trial: true } });
      return s.length === 5 && s.every((c) => c.trial.status === 'done' || c.trial.status === 'failed') ? s : undefined;
    },
    240_000,
    'the 4 training trials and the LR range test',
  );
  const cells = await env.db.sweepTrial.findMany({ where: { sweepId: { in: [ids.trainSweep, ids.lrSweep] } }, include: { trial: true } });
  expect(cells.map((c) => c.trial.status)).toEqual(['done', 'done', 'done', 'done', 'done']);
  ids.train = cells.find((c) => c.sweepId === ids.trainSweep)!.trialId;
  ids.lrFinder = cells.find((c) => c.sweepId === ids.lrSweep)!.trialId;
  mkdirSync(OUT, { recursive: true });
}, 300_000);

// --- reading what came back ---

function parseSvg(body: string) {
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, msg) => level !== 'warning' && errors.push(msg) }).parseFromString(body, 'image/svg+xml');
  expect(errors, 'the SVG is well-formed XML').toEqual([]);
  const root = doc.documentElement!;
  expect(root.nodeName).toBe('svg');
  const all = [...(doc.getElementsByTagName('*') as unknown as Iterable<XmlElement>)];
  const groups = (cls: string) => all.filter((e) => e.nodeName === 'g' && (e.getAttribute('class') ?? '').split(' ').includes(cls));
  /** The drawn items (path, text) of the vega mark named `name` (vega-lite layer name + '_marks'). */
  const items = (name: string) =>
    groups(`${name}_marks`).flatMap((g) => [...(g.childNodes as unknown as Iterable<XmlElement>)].filter((c) => c.nodeType === 1));
  /** Lines and areas: one group per series. */
  const series = (name: string) => groups(`${name}_marks`).length;
  const texts = (cls?: string) =>
    (cls ? groups(cls) : [root]).flatMap((g) =>
      [...(g.getElementsByTagName('text') as unknown as Iterable<XmlElement>)].map((t) => t.textContent ?? ''),
    );
  return { width: Number(root.getAttribute('width')), height: Number(root.getAttribute('height')), items, series, texts };
}

type Svg = ReturnType<typeof parseSvg>;

function checkPng(buf: Buffer, svg: Svg, file: string) {
  expect([...buf.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const png = PNG.sync.read(buf);
  expect(Math.abs(png.width - svg.width * PNG_SCALE)).toBeLessThanOrEqual(2);
  expect(Math.abs(png.height - svg.height * PNG_SCALE)).toBeLessThanOrEqual(2);
  expect(png.width).toBeGreaterThan(300);
  expect(png.width).toBeLessThan(5000);
  let inked = 0;
  let darkInTitle = 0;
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const i = (y * png.width + x) * 4;
      const lum = (png.data[i]! + png.data[i + 1]! + png.data[i + 2]!) / 3;
      if (lum < 245) inked++;
      // The title's text sits in the top 20 SVG pixels at the left: with no font loaded it would be blank.
      if (y < 20 * PNG_SCALE + 16 && x < png.width / 2 && lum < 80) darkInTitle++;
    }
  }
  expect(inked / (png.width * png.height), 'share of non-white pixels').toBeGreaterThan(0.02);
  expect(darkInTitle, 'title text drawn in the PNG').toBeGreaterThan(100);
  writeFileSync(join(OUT, file), buf);
}

async function get(url: string, headers: Record<string, string> = {}) {
  return testbed.app.inject({ method: 'GET', url, headers });
}

/** What each trial plot must show, on the trained trial; a plot registered without an entry here fails the loop. */
const TRIAL_EXPECTATIONS: Record<string, { trial: () => string; check(svg: Svg): void }> = {
  curves: {
    trial: () => ids.train,
    check(svg) {
      // Two panels, train and test in each.
      expect(svg.series('loss_panel')).toBe(2);
      expect(svg.series('accuracy_panel')).toBe(2);
      expect(svg.texts()).toEqual(expect.arrayContaining(['loss', 'accuracy', 'train', 'test']));
    },
  },
  lr: {
    trial: () => ids.train,
    check(svg) {
      expect(svg.texts('role-axis-title')).toEqual(expect.arrayContaining(['epoch']));
    },
  },
  confusion: {
    trial: () => ids.train,
    check(svg) {
      expect(svg.items('cells')).toHaveLength(16);
      expect(svg.items('counts')).toHaveLength(16);
      const labels = svg.texts('role-axis-label');
      for (const c of ['0', '1', '2', '3'])
        expect(
          labels.filter((l) => l === c),
          `class ${c} on both axes`,
        ).toHaveLength(2);
      // The counts add up to the test set.
      expect(svg.items('counts').reduce((a, t) => a + Number(t.textContent), 0)).toBe(dataset.testSize);
    },
  },
  roc: {
    trial: () => ids.train,
    check(svg) {
      expect(svg.series('per_class')).toBe(4);
      expect(svg.series('averages')).toBe(2);
      const legend = svg.texts('role-legend-label');
      expect(
        legend.some((l) => /^micro-average \(AUC 0\.\d{3}\)$/.test(l)),
        legend.join(' | '),
      ).toBe(true);
      expect(
        legend.some((l) => /^macro-average \(AUC 0\.\d{3}\)$/.test(l)),
        legend.join(' | '),
      ).toBe(true);
      expect(legend.filter((l) => /^\d \(AUC (0\.\d{3}|1\.000)\)$/.test(l))).toHaveLength(4);
    },
  },
  pr: {
    trial: () => ids.train,
    check(svg) {
      expect(svg.series('per_class')).toBe(4);
      expect(svg.series('averages')).toBe(2);
      const legend = svg.texts('role-legend-label');
      expect(
        legend.some((l) => /^micro-average \(AP (0\.\d{3}|1\.000)\)$/.test(l)),
        legend.join(' | '),
      ).toBe(true);
      expect(
        legend.some((l) => /^macro-average \(AP (0\.\d{3}|1\.000)\)$/.test(l)),
        legend.join(' | '),
      ).toBe(true);
    },
  },
  lr_finder: {
    trial: () => ids.lrFinder,
    check(svg) {
      expect(svg.items('suggested_rule')).toHaveLength(1);
      expect(svg.series('trace')).toBe(1);
      expect(svg.series('smoothed')).toBe(1);
      expect(svg.texts('suggested_label_marks')[0]).toMatch(/^suggested lr \d/);
    },
  },
};

describe('trial plots', () => {
  it('has expectations for every registered trial plot', () => {
    expect(Object.keys(TRIAL_EXPECTATIONS).sort()).toEqual(
      listPlots('trial')
        .map((p) => p.name)
        .sort(),
    );
  });

  for (const plot of listPlots('trial')) {
    it(`${plot.name}: SVG with its marks, PNG drawn, cacheable once the trial is done`, async () => {
      const expectation = TRIAL_EXPECTATIONS[plot.name]!;
      const url = `/experiments/${expectation.trial()}/plots/${plot.name}`;
      const s = await get(`${url}.svg`);
      expect(s.statusCode, s.body.slice(0, 300)).toBe(200);
      expect(s.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(s.headers['cache-control']).toBe('private, max-age=86400');
      const svg = parseSvg(s.body);
      expectation.check(svg);
      const p = await get(`${url}.png`);
      expect(p.statusCode).toBe(200);
      expect(p.headers['content-type']).toBe('image/png');
      checkPng(p.rawPayload, svg, `trial-${plot.name}.png`);
      // The browser's revalidation: same plot, same ETag, no body.
      const again = await get(`${url}.svg`, { 'if-none-match': String(s.headers.etag) });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
    });
  }

  it('names the classes a dataset has (CIFAR-10) on both axes and in the ROC legend', async () => {
    const names = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
    const conf = parseSvg((await get(`/experiments/${ids.cifar}/plots/confusion.svg`)).body);
    expect(conf.items('cells')).toHaveLength(100);
    for (const n of names)
      expect(
        conf.texts('role-axis-label').filter((l) => l === n),
        n,
      ).toHaveLength(2);
    const roc = parseSvg((await get(`/experiments/${ids.cifar}/plots/roc.svg`)).body);
    for (const n of names)
      expect(
        roc.texts('role-legend-label').some((l) => l.startsWith(`${n} (AUC `)),
        n,
      ).toBe(true);
  });

  it('renders a 100-class confusion matrix (10,000 cells, no counts) within a few hundred ms', async () => {
    const timings: Record<string, number[]> = { svg: [], png: [] };
    let body = '';
    for (let k = 0; k < 3; k++) {
      for (const ext of ['svg', 'png'] as const) {
        const t0 = performance.now();
        const r = await get(`/experiments/${ids.c100}/plots/confusion.${ext}`);
        timings[ext]!.push(Math.round(performance.now() - t0));
        expect(r.statusCode).toBe(200);
        if (ext === 'svg') body = r.body;
        else writeFileSync(join(OUT, 'trial-confusion-100-classes.png'), r.rawPayload);
      }
    }
    const svg = parseSvg(body);
    expect(svg.items('cells')).toHaveLength(10_000);
    expect(svg.items('counts')).toHaveLength(0);
    expect(svg.texts('role-axis-label').filter((l) => l === '99')).toHaveLength(2);
    // PNG and ROC with 100 per-class curves too; the last of three runs (warm) is the one that counts.
    const roc = await get(`/experiments/${ids.c100}/plots/roc.png`);
    expect(roc.statusCode).toBe(200);
    writeFileSync(join(OUT, 'timings-100-classes.json'), `${JSON.stringify(timings)}\n`);
    // A bound loose enough for a shared 2-core CI machine; measured numbers are in the file above.
    expect(Math.min(...timings.svg!)).toBeLessThan(3000);
    expect(Math.min(...timings.png!)).toBeLessThan(4000);
  });

  it('draws the lr trace per step for an LR range test', async () => {
    const svg = parseSvg((await get(`/experiments/${ids.lrFinder}/plots/lr.svg`)).body);
    expect(svg.texts('role-axis-title')).toEqual(expect.arrayContaining(['step']));
  });
});

describe('sweep plots', () => {
  it('has a test below for every registered sweep plot', () => {
    expect(
      listPlots('sweep')
        .map((p) => p.name)
        .sort(),
    ).toEqual(['bars', 'curves']);
  });

  it('bars: one bar per table row with error bars; the baseline row marked; PNG drawn', async () => {
    const table = (await get(`/sweeps/${ids.trainSweep}/table`)).json();
    expect(table.rows).toHaveLength(2);
    const base = `optimizer=${table.rows[0].labels.optimizer}`;
    const r = await get(`/sweeps/${ids.trainSweep}/plots/bars.svg?baseline=${encodeURIComponent(base)}`);
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    expect(r.headers['cache-control']).toBe('no-cache');
    const svg = parseSvg(r.body);
    const bars = svg.items('bars');
    expect(bars).toHaveLength(2);
    expect(bars.map((b) => b.getAttribute('fill'))).toEqual([COLORS.baseline, COLORS.bar]);
    expect(svg.items('error_bars')).toHaveLength(2);
    expect(svg.texts('role-axis-title').some((t) => t.includes('± 1 sample std'))).toBe(true);
    expect(svg.texts('values_marks')[0]).toMatch(/baseline$/);
    expect(svg.texts('values_marks')[1]).toMatch(/Δ [+−]\d/);
    // The same rows, in the same order, as the table.
    const rows: string[] = table.rows.map((x: { labels: { optimizer: string } }) => x.labels.optimizer);
    expect(svg.texts('role-axis-label').filter((l) => rows.includes(l))).toEqual(rows);
    const png = await get(`/sweeps/${ids.trainSweep}/plots/bars.png?baseline=${encodeURIComponent(base)}&errorBars=ci95`);
    expect(png.statusCode).toBe(200);
    const ci = parseSvg((await get(`/sweeps/${ids.trainSweep}/plots/bars.svg?baseline=${encodeURIComponent(base)}&errorBars=ci95`)).body);
    expect(ci.texts('role-axis-title').some((t) => t.includes('95 % CI'))).toBe(true);
    checkPng(png.rawPayload, ci, 'sweep-bars.png');
  });

  it('bars: takes the table’s metric and reduce', async () => {
    const best = parseSvg((await get(`/sweeps/${ids.trainSweep}/plots/bars.svg?metric=testLoss&reduce=best`)).body);
    expect(best.texts('role-title-text')[0]).toBe('Ablation: test loss');
    expect(best.texts('role-title-subtitle').join(' ')).toContain('best epoch');
    expect(best.items('bars')).toHaveLength(2);
    const bad = await get(`/sweeps/${ids.trainSweep}/plots/bars.svg?metric=suggestedLr&reduce=best`);
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'API_ERR_BAD_REQUEST']);
    const noRow = await get(`/sweeps/${ids.trainSweep}/plots/bars.svg?baseline=optimizer%3Dnope`);
    expect([noRow.statusCode, noRow.json().code]).toEqual([400, 'TABLE_ERR_UNKNOWN_BASELINE']);
    const unknown = await get(`/sweeps/${ids.trainSweep}/plots/bars.svg?colour=red`);
    expect([unknown.statusCode, unknown.json().code]).toEqual([400, 'API_ERR_BAD_REQUEST']);
  });

  it('curves: one mean line and one band per row; PNG drawn', async () => {
    const r = await get(`/sweeps/${ids.trainSweep}/plots/curves.svg`);
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    const svg = parseSvg(r.body);
    expect(svg.series('mean_line')).toBe(2);
    expect(svg.series('band')).toBe(2);
    expect(svg.texts('role-title-subtitle').join(' ')).toContain("band: the seeds' min..max");
    const std = parseSvg((await get(`/sweeps/${ids.trainSweep}/plots/curves.svg?band=std&metric=testLoss`)).body);
    expect(std.texts('role-title-subtitle').join(' ')).toContain('± 1 sample std');
    expect(std.texts('role-title-text')[0]).toBe('test loss per epoch');
    const png = await get(`/sweeps/${ids.trainSweep}/plots/curves.png`);
    expect(png.statusCode).toBe(200);
    checkPng(png.rawPayload, svg, 'sweep-curves.png');
  });
});

describe('plot errors', () => {
  const code = async (url: string) => {
    const r = await get(url);
    return { status: r.statusCode, code: r.json().code as string, message: r.json().message as string };
  };

  it('fails an unknown plot name with "did you mean"', async () => {
    expect(() => plotFor('trial', 'curvs')).toThrow(UnknownPlotError);
    expect(await code(`/experiments/${ids.train}/plots/curvs.svg`)).toMatchObject({
      status: 404,
      code: 'PLOT_ERR_UNKNOWN',
      message: expect.stringContaining("Did you mean 'curves'"),
    });
    expect(await code(`/experiments/${ids.train}/plots/bars.png`)).toMatchObject({
      status: 404,
      code: 'PLOT_ERR_UNKNOWN',
      message: expect.stringContaining('curves, lr, confusion'),
    });
    expect(await code(`/sweeps/${ids.trainSweep}/plots/bar.svg`)).toMatchObject({
      status: 404,
      code: 'PLOT_ERR_UNKNOWN',
      message: expect.stringContaining("Did you mean 'bars'"),
    });
  });

  it('fails an extension other than .svg and .png', async () => {
    expect(await code(`/experiments/${ids.train}/plots/curves.jpg`)).toMatchObject({ status: 400, code: 'PLOT_ERR_BAD_FORMAT' });
    expect(await code(`/experiments/${ids.train}/plots/curves`)).toMatchObject({ status: 400, code: 'PLOT_ERR_BAD_FORMAT' });
    expect(await code(`/sweeps/${ids.trainSweep}/plots/bars.pdf`)).toMatchObject({ status: 400, code: 'PLOT_ERR_BAD_FORMAT' });
  });

  it('fails a missing trial or sweep', async () => {
    expect(await code('/experiments/nope/plots/curves.svg')).toMatchObject({ status: 404, code: 'EXPERIMENT_ERR_NOT_FOUND' });
    expect(await code('/sweeps/nope/plots/bars.svg')).toMatchObject({ status: 404, code: 'SWEEP_ERR_NOT_FOUND' });
  });

  it('says which data is missing and why', async () => {
    expect(await code(`/experiments/${ids.running}/plots/curves.svg`)).toMatchObject({
      status: 409,
      code: 'PLOT_ERR_NO_DATA',
      message: expect.stringMatching(/needs epoch metrics.*it is running/),
    });
    expect(await code(`/experiments/${ids.running}/plots/confusion.png`)).toMatchObject({
      status: 409,
      message: expect.stringContaining('the evaluation report'),
    });
    expect(await code(`/experiments/${ids.train}/plots/lr_finder.svg`)).toMatchObject({
      status: 409,
      code: 'PLOT_ERR_NO_DATA',
      message: expect.stringContaining('not an LR range test'),
    });
    expect(await code(`/experiments/${ids.lrFinder}/plots/confusion.svg`)).toMatchObject({
      status: 409,
      message: expect.stringContaining('it is an LR range test'),
    });
    expect(await code(`/sweeps/${ids.lrSweep}/plots/bars.svg`)).toMatchObject({ status: 409, code: 'PLOT_ERR_NO_DATA' });
  });

  it('lets browsers cache only what is finished', async () => {
    const running = await testbed.env.db.trial.update({
      where: { id: ids.running },
      data: {
        epochs: { create: { epoch: 1, trainLoss: 1, trainAcc: 0.5, testLoss: 1, testTop1: 0.5, testTop5: 1, lr: 0.1, seconds: 1, attempt: 1 } },
      },
    });
    expect(running.status).toBe('running');
    const r = await get(`/experiments/${ids.running}/plots/curves.svg`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(r.headers.etag).toBeTruthy();
  });
});

describe('plot routes in the OpenAPI document', () => {
  it('lists one path per plot with its image types', async () => {
    const doc = (await get('/docs/json')).json();
    for (const p of listPlots('trial')) {
      const op = doc.paths[`/experiments/{id}/plots/${p.name}.{format}`]?.get;
      expect(op, p.name).toBeDefined();
      expect(Object.keys(op.responses['200'].content)).toEqual(['image/svg+xml', 'image/png']);
    }
    for (const p of listPlots('sweep')) expect(doc.paths[`/sweeps/{id}/plots/${p.name}.{format}`]?.get, p.name).toBeDefined();
    expect(doc.paths['/sweeps/{id}/plots/bars.{format}'].get.parameters.map((x: { name: string }) => x.name)).toEqual(
      expect.arrayContaining(['metric', 'baseline', 'reduce', 'errorBars']),
    );
  });

  it('has the DejaVu Sans the PNGs are drawn with (Debian: fonts-dejavu-core)', () => {
    expect(existsSync(join(FONT_DIR, 'DejaVuSans.ttf'))).toBe(true);
  });
});
