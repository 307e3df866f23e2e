// Sweep expansion: grid order, labels, component switching, and the field-level errors a bad spec gets.
import { describe, expect, it } from 'vitest';
import { configHash } from './hash.js';
import { TrialConfig } from './trial-config.js';
import { MAX_AXES, MAX_FIELD_PATH_SEGMENTS, MAX_TRIALS_PER_SWEEP, planSweep, SweepRequest, SweepSpec } from './sweep-spec.js';

const base = {
  dataset: { name: 'procedural', trainSize: 100, testSize: 50 },
  model: 'tiny_cnn',
  optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 5e-4 },
  epochs: 2,
};

function issuesOf(body: unknown) {
  const r = SweepRequest.safeParse(body);
  expect(r.success).toBe(false);
  return r.error!.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('planSweep', () => {
  it('expands the grid with seeds innermost, labels per axis and one trial id per cell', () => {
    const plan = SweepRequest.parse({
      name: 'g',
      base,
      axes: { model: ['tiny_cnn', 'mlp'], optimizer: ['sgd', { name: 'adam', lr: 1e-3 }], augmentation: ['none', 'crop_flip'] },
      seeds: [0, 1, 2],
    });
    expect(plan.cells).toHaveLength(2 * 2 * 2 * 3);
    expect(plan.cells.slice(0, 3).map((c) => c.seed)).toEqual([0, 1, 2]);
    expect(plan.axes.map((a) => a.labels)).toEqual([
      ['tiny_cnn', 'mlp'],
      ['sgd', 'adam(lr=0.001)'],
      ['none', 'crop_flip'],
    ]);
    expect(new Set(plan.cells.map((c) => c.trialId)).size).toBe(24);
    // Seeds of one configuration share a group key; different configurations don't.
    expect(new Set(plan.cells.map((c) => c.groupKey)).size).toBe(8);
    const adam = plan.cells.find((c) => c.labels.optimizer === 'adam(lr=0.001)')!;
    // Switching component keeps the base options Adam takes (weightDecay) and drops SGD-only ones (momentum).
    expect(adam.config.optimizer).toEqual({
      name: 'adam',
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 5e-4,
      amsgrad: false,
      weightDecayExclude: 'none',
    });
    const crop = plan.cells.find((c) => c.labels.augmentation === 'crop_flip')!;
    expect(crop.config.augmentation).toEqual([
      { name: 'random_crop', padding: 4 },
      { name: 'hflip', p: 0.5 },
    ]);
  });

  it('gives the same trial ids whatever the key order or shorthand of the submission', () => {
    const a = SweepRequest.parse({ name: 'a', base, axes: { loss: ['ce'] }, seeds: [7] });
    const b = SweepRequest.parse({
      name: 'b',
      seeds: [7],
      axes: { loss: [{ name: 'ce' }] },
      base: {
        epochs: 2,
        optimizer: { weightDecay: 5e-4, momentum: 0.9, lr: 0.1, name: 'sgd' },
        model: { name: 'tiny_cnn', width: 8 },
        dataset: { testSize: 50, trainSize: 100, name: 'procedural' },
      },
    });
    expect(a.cells[0]!.trialId).toBe(b.cells[0]!.trialId);
  });

  it('supports dot-path axes and scalar axes', () => {
    const plan = SweepRequest.parse({ name: 'lr', base, axes: { 'optimizer.lr': [0.1, 0.01], epochs: [1, 3] } });
    expect(plan.cells.map((c) => [c.config.optimizer.lr, c.config.epochs])).toEqual([
      [0.1, 1],
      [0.1, 3],
      [0.01, 1],
      [0.01, 3],
    ]);
    expect(plan.axes[0]!.labels).toEqual(['0.1', '0.01']);
  });

  it('names an unknown model with a "did you mean"', () => {
    const issues = issuesOf({ name: 'x', base, axes: { model: ['tiny_cnm', 'resnet5'] } });
    expect(issues.map((i) => i.path)).toEqual(['axes.model.0.name', 'axes.model.1.name']);
    expect(issues[0]!.message).toMatch(/^Unknown model 'tiny_cnm'\. Did you mean 'tiny_cnn'\? Registered: tiny_cnn, mlp, resnet18, /);
    expect(issues[1]!.message).toMatch(/^Unknown model 'resnet5'\. Did you mean 'resnet50' or /);
  });

  it('rejects an empty axis', () => {
    expect(issuesOf({ name: 'x', base, axes: { loss: [] } })).toEqual([{ path: 'axes.loss', message: 'an axis needs at least one value' }]);
  });

  it('rejects wrong types with the path of the field', () => {
    const issues = issuesOf({ name: 'x', base: { ...base, epochs: 'ten' }, axes: { 'optimizer.lr': [0.1, 'fast'] } });
    expect(issues.map((i) => i.path).sort()).toEqual(['axes.optimizer.lr.1', 'base.epochs']);
    expect(issuesOf({ name: 7, base })[0]!.path).toBe('name');
    expect(issuesOf({ name: 'x', base, seeds: [1.5] })[0]!.path).toBe('seeds.0');
  });

  it('rejects a grid over the limit before expanding it', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    const t0 = performance.now();
    const issues = issuesOf({ name: 'huge', base, axes: { epochs: many(1000), batchSize: many(1000) } });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('axes');
    expect(issues[0]!.message).toContain('1,000,000 trials');
    expect(issues[0]!.message).toContain(MAX_TRIALS_PER_SWEEP.toLocaleString('en-US'));
  });

  it('rejects duplicate axis values, unknown fields, seeds as an axis and options no component takes', () => {
    expect(issuesOf({ name: 'x', base, axes: { model: ['mlp', 'mlp'] } })[0]).toMatchObject({ path: 'axes.model.1' });
    expect(issuesOf({ name: 'x', base, axes: { modle: ['mlp'] } })[0]).toMatchObject({ path: 'axes.modle' });
    expect(issuesOf({ name: 'x', base, axes: { seed: [1, 2] } })[0]).toMatchObject({ path: 'axes.seed' });
    expect(issuesOf({ name: 'x', base: { ...base, optimizer: { name: 'sgd', weightdecay: 1 } }, axes: { optimizer: ['adam'] } })[0]).toMatchObject({
      path: 'base.optimizer.weightdecay',
    });
    expect(issuesOf({ name: 'x', base, axes: { augmentation: ['hflip+rotate9'] } })[0]).toMatchObject({ path: 'axes.augmentation.0.1.name' });
  });

  it('refuses field paths that would reach a prototype, and leaves every prototype untouched', () => {
    const cases: [string, string][] = [
      ['optimizer.__proto__.x', '__proto__'],
      ['constructor', 'constructor'],
      ['model.constructor.prototype.y', 'constructor'],
      ['loss.prototype', 'prototype'],
    ];
    for (const [key, segment] of cases) {
      expect(issuesOf({ name: 'x', base, axes: { [key]: [1] } }), key).toEqual([
        { path: `axes.${key}`, message: expect.stringContaining(`'${segment}'`) },
      ]);
      expect(issuesOf({ name: 'x', base, variants: [{ label: 'v', set: { [key]: 1 } }] }), key).toEqual([
        { path: `variants.0.set.${key}`, message: expect.stringContaining(`'${segment}'`) },
      ]);
    }
    // A base field named like an Object.prototype member is an unknown field, not a crash.
    expect(issuesOf({ name: 'x', base: { ...base, constructor: { x: 1 }, toString: { y: 2 } } }).map((i) => i.path)).toEqual([
      'base.constructor',
      'base.toString',
    ]);
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it(`caps axes at ${MAX_AXES}, variant fields at ${MAX_AXES} and field paths at ${MAX_FIELD_PATH_SEGMENTS} segments`, () => {
    const axes = Object.fromEntries(Array.from({ length: MAX_AXES + 1 }, (_, i) => [`optimizer.x${i}`, [1]]));
    expect(issuesOf({ name: 'x', base, axes })).toEqual([{ path: 'axes', message: expect.stringContaining(`at most ${MAX_AXES} axes`) }]);
    const set = Object.fromEntries(Array.from({ length: MAX_AXES + 1 }, (_, i) => [`optimizer.x${i}`, 1]));
    expect(issuesOf({ name: 'x', base, variants: [{ label: 'v', set }] })).toEqual([
      { path: 'variants.0.set', message: expect.stringContaining(`at most ${MAX_AXES} fields`) },
    ]);
    const deep = ['optimizer', ...Array.from({ length: MAX_FIELD_PATH_SEGMENTS }, () => 'a')].join('.');
    expect(issuesOf({ name: 'x', base, axes: { [deep]: [1] } })).toEqual([
      { path: `axes.${deep}`, message: expect.stringContaining(`${MAX_FIELD_PATH_SEGMENTS} segments`) },
    ]);
    expect(issuesOf({ name: 'x', base, axes: { 'optimizer..lr': [1] } })[0]).toMatchObject({
      path: 'axes.optimizer..lr',
      message: expect.stringContaining('empty segment'),
    });
  });

  it('rejects two cells that resolve to the same trial', () => {
    // width 8 is tiny_cnn's default, so both labels name one configuration.
    const issues = issuesOf({ name: 'x', base, axes: { model: ['tiny_cnn', { name: 'tiny_cnn', width: 8, label: 'tiny8' }] } });
    expect(issues.some((i) => i.message.includes('same'))).toBe(true);
  });

  it('expands variants (several fields per step of a path) as the outermost axis, crossed with axes and seeds', () => {
    const plan = SweepRequest.parse({
      name: 'path',
      base,
      seeds: [0, 1],
      variants: [
        { label: 'tiny/SGD/CE', set: {} },
        { label: '+smooth CE', set: { loss: { name: 'label_smoothing', smoothing: 0.1 } } },
        { label: 'mlp/Adam/smooth CE/TTA', set: { model: 'mlp', optimizer: { name: 'adam', lr: 1e-3 }, loss: 'label_smoothing', tta: 'hflip' } },
      ],
      axes: { epochs: [2, 3] },
    });
    expect(plan.axes.map((a) => a.key)).toEqual(['variant', 'epochs']);
    expect(plan.cells.length).toBe(12);
    const last = plan.cells.at(-1)!;
    expect(last.labels).toEqual({ variant: 'mlp/Adam/smooth CE/TTA', epochs: '3' });
    expect(last.config).toMatchObject({
      model: { name: 'mlp' },
      optimizer: { name: 'adam', lr: 1e-3, weightDecay: 5e-4 },
      loss: { name: 'label_smoothing', smoothing: 0.1 },
      tta: { name: 'hflip' },
    });
    expect(plan.cells[0]!.config.loss).toEqual({ name: 'ce' });
  });

  it('names the variant and field of a bad variant', () => {
    expect(
      issuesOf({
        name: 'x',
        base,
        variants: [
          { label: 'a', set: {} },
          { label: 'b', set: { model: 'resnt20' } },
        ],
      }),
    ).toEqual([{ path: 'variants.1.set.model.name', message: expect.stringMatching(/Did you mean 'resnet20'/) }]);
    expect(
      issuesOf({
        name: 'x',
        base,
        variants: [
          { label: 'a', set: { colour: 1 } },
          { label: 'a', set: {} },
        ],
      }).map((i) => i.path),
    ).toEqual(['variants.0.set.colour', 'variants.1.label']);
  });

  it('returns issues instead of throwing from planSweep', () => {
    const spec = SweepSpec.parse({ name: 'x', base: { ...base, epochs: 0 } });
    const { plan, issues } = planSweep(spec);
    expect(plan).toBeUndefined();
    expect(issues[0]).toMatchObject({ path: ['base', 'epochs'] });
  });
});

describe('zip, exclude and include', () => {
  const grid = {
    name: 'z',
    base,
    axes: { model: ['tiny_cnn', 'mlp'], batchSize: [32, 64], optimizer: ['sgd', { name: 'adam', lr: 1e-3 }] },
    seeds: [0, 1],
  };
  const rowsOf = (plan: { cells: { labels: Record<string, string>; seed: number }[] }) =>
    [...new Set(plan.cells.map((c) => JSON.stringify(c.labels)))].map((l) => JSON.parse(l) as Record<string, string>);

  it('zip moves axes together: 2 zipped × 2 crossed rows, each axis keeps its column', () => {
    const plan = SweepRequest.parse({ ...grid, zip: [['model', 'batchSize']] });
    expect(plan.cells).toHaveLength(2 * 2 * 2);
    expect(rowsOf(plan)).toEqual([
      { model: 'tiny_cnn', batchSize: '32', optimizer: 'sgd' },
      { model: 'tiny_cnn', batchSize: '32', optimizer: 'adam(lr=0.001)' },
      { model: 'mlp', batchSize: '64', optimizer: 'sgd' },
      { model: 'mlp', batchSize: '64', optimizer: 'adam(lr=0.001)' },
    ]);
    for (const c of plan.cells) expect(c.config.batchSize).toBe(c.labels.model === 'mlp' ? 64 : 32);
    expect(plan.shape).toMatchObject({ gridRows: 4, zip: [['model', 'batchSize']], includedRows: 0 });
  });

  it('zip refuses unequal lengths, unknown axes and an axis in two groups', () => {
    const unequal = issuesOf({ ...grid, axes: { ...grid.axes, batchSize: [32, 64, 128] }, zip: [['model', 'batchSize']] });
    expect(unequal).toContainEqual({ path: 'zip.0', message: expect.stringContaining('equal lengths; model: 2, batchSize: 3') });
    const unknown = issuesOf({ ...grid, zip: [['model', 'epochs']] });
    expect(unknown).toContainEqual({ path: 'zip.0.1', message: expect.stringContaining("'epochs' is not an axis") });
    const twice = issuesOf({
      ...grid,
      zip: [
        ['model', 'batchSize'],
        ['model', 'optimizer'],
      ],
    });
    expect(twice).toContainEqual({ path: 'zip.1.0', message: expect.stringContaining('already in zip group 0') });
  });

  it('exclude drops the grid rows matching every field of an entry: by label, by value or by config path', () => {
    const plan = SweepRequest.parse({
      ...grid,
      exclude: [
        { model: 'mlp', optimizer: 'adam(lr=0.001)' }, // labels
        { model: 'tiny_cnn', batchSize: 64, 'optimizer.name': 'sgd' }, // value and a resolved-config path
      ],
    });
    const rows = rowsOf(plan);
    expect(rows).toHaveLength(8 - 2 - 1);
    expect(rows).not.toContainEqual({ model: 'mlp', batchSize: '32', optimizer: 'adam(lr=0.001)' });
    expect(rows).not.toContainEqual({ model: 'tiny_cnn', batchSize: '64', optimizer: 'sgd' });
    expect(plan.cells).toHaveLength(5 * 2);
    expect(plan.shape.excluded).toEqual([
      { rule: 0, rows: 2 },
      { rule: 1, rows: 1 },
    ]);
    // A partial object matches a component by the options it gives.
    const byObject = SweepRequest.parse({ ...grid, exclude: [{ optimizer: { name: 'adam' } }] });
    expect(rowsOf(byObject).every((r) => r.optimizer === 'sgd')).toBe(true);
  });

  it('exclude refuses an entry that matches nothing, and a bad field path', () => {
    expect(issuesOf({ ...grid, exclude: [{ model: 'resnet18' }] })).toContainEqual({
      path: 'exclude.0',
      message: expect.stringContaining('matches no cell'),
    });
    expect(issuesOf({ ...grid, exclude: [{ 'bogus.field': 1 }] })).toContainEqual({
      path: 'exclude.0.bogus.field',
      message: expect.stringContaining("unknown config field 'bogus'"),
    });
  });

  it('an excluded combination may be invalid: exclusion happens before validation', () => {
    // mlp at batch size 0 would be invalid; it is excluded, so the sweep is fine.
    const plan = SweepRequest.parse({ ...grid, axes: { model: ['tiny_cnn', 'mlp'], batchSize: [32, 0] }, exclude: [{ batchSize: 0 }] });
    expect(rowsOf(plan)).toEqual([
      { model: 'tiny_cnn', batchSize: '32' },
      { model: 'mlp', batchSize: '32' },
    ]);
  });

  it('include adds cells beyond the grid, with labels of their own, after exclusion', () => {
    const plan = SweepRequest.parse({
      ...grid,
      exclude: [{ optimizer: 'adam(lr=0.001)' }],
      include: [{ model: 'mlp', batchSize: 16, optimizer: { name: 'adam', lr: 3e-3, label: 'adam-fast' } }],
    });
    const rows = rowsOf(plan);
    expect(rows).toHaveLength(4 + 1);
    expect(rows.at(-1)).toEqual({ model: 'mlp', batchSize: '16', optimizer: 'adam-fast' });
    const extra = plan.cells.filter((c) => c.labels.optimizer === 'adam-fast');
    expect(extra.map((c) => c.seed)).toEqual([0, 1]);
    expect(extra[0]!.config).toMatchObject({ batchSize: 16, optimizer: { name: 'adam', lr: 3e-3 }, model: { name: 'mlp' } });
    // New labels are appended to their axes, so tables order them after the grid's.
    expect(plan.axes.find((a) => a.key === 'optimizer')!.labels).toEqual(['sgd', 'adam(lr=0.001)', 'adam-fast']);
    expect(plan.shape.includedRows).toBe(1);
  });

  it('include needs every axis, only axes, and no repeat of a grid row', () => {
    expect(issuesOf({ ...grid, include: [{ model: 'mlp' }] })).toContainEqual({
      path: 'include.0',
      message: expect.stringContaining('missing: batchSize, optimizer'),
    });
    expect(issuesOf({ ...grid, include: [{ model: 'mlp', batchSize: 32, optimizer: 'sgd', epochs: 3 }] })).toContainEqual({
      path: 'include.0.epochs',
      message: expect.stringContaining('not an axis'),
    });
    expect(issuesOf({ ...grid, include: [{ model: 'mlp', batchSize: 32, optimizer: 'sgd' }] })).toContainEqual({
      path: 'include.0',
      message: expect.stringContaining("repeats the grid's row"),
    });
    expect(issuesOf({ ...grid, include: [{ model: 'mlp', batchSize: -1, optimizer: 'sgd' }] })).toContainEqual({
      path: 'include.0',
      message: expect.stringContaining('is invalid'),
    });
  });

  it('variants zip and include by label', () => {
    const plan = SweepRequest.parse({
      name: 'v',
      base,
      variants: [
        { label: 'small', set: { model: 'tiny_cnn' } },
        { label: 'mlp', set: { model: 'mlp' } },
      ],
      axes: { batchSize: [32, 64] },
      zip: [['variant', 'batchSize']],
      include: [{ variant: 'mlp', batchSize: 128 }],
    });
    expect(rowsOf(plan)).toEqual([
      { variant: 'small', batchSize: '32' },
      { variant: 'mlp', batchSize: '64' },
      { variant: 'mlp', batchSize: '128' },
    ]);
    expect(issuesOf({ name: 'v', base, variants: [{ label: 'a', set: { model: 'mlp' } }], include: [{ variant: 'b' }] })).toContainEqual({
      path: 'include.0.variant',
      message: expect.stringContaining("no variant labelled 'b'"),
    });
  });

  it('a row parsed once gives each seed the config and trial id a parse of its own would', () => {
    const plan = SweepRequest.parse({ ...grid, seeds: [3, 7] });
    for (const c of plan.cells) {
      const own = TrialConfig.parse(structuredClone(c.config));
      expect(own).toEqual(c.config);
      expect(c.config.seed).toBe(c.seed);
      expect(configHash(own)).toBe(c.trialId);
    }
  });
});
