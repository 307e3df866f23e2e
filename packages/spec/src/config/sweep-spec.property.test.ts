// Properties of the sweep parser and its expansion (fast-check, seeded): the grid has exactly the product of its axis
// lengths times the seeds cells (zipped axes counting once), trial ids do not depend on key order or a JSON round trip,
// and planning never throws, whatever JSON it is given: it returns issues.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planSweep, SweepRequest, SweepSpec } from './sweep-spec.js';

/** fast-check's seed for this file: printed, and set with ABLATE_PROPERTY_SEED to replay a failure. */
const seed = Number(process.env.ABLATE_PROPERTY_SEED ?? 20261129);
const params = (numRuns: number) => ({ seed, numRuns });

const base = {
  dataset: { name: 'procedural', classes: 4, trainSize: 64, testSize: 32, imageSize: 8 },
  model: 'mlp',
  optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9 },
  epochs: 2,
};

/** Axes whose values are always valid and pairwise distinct, each at most 3 long. */
const AXIS_VALUES = {
  'optimizer.lr': fc.uniqueArray(fc.double({ min: 1e-4, max: 1, noNaN: true }), { minLength: 1, maxLength: 3 }),
  epochs: fc.uniqueArray(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 3 }),
  batchSize: fc.uniqueArray(fc.integer({ min: 1, max: 256 }), { minLength: 1, maxLength: 3 }),
  model: fc.subarray(['mlp', { name: 'tiny_cnn', width: 4 }, { name: 'mlp', hidden: 16, label: 'mlp16' }], { minLength: 1 }),
  augmentation: fc.subarray(['none', 'crop_flip'], { minLength: 1 }),
} as const;
type AxisKey = keyof typeof AXIS_VALUES;

const axesArb = fc
  .subarray(Object.keys(AXIS_VALUES) as AxisKey[], { minLength: 1, maxLength: 4 })
  .chain((keys) => fc.record(Object.fromEntries(keys.map((k) => [k, AXIS_VALUES[k]])) as Record<AxisKey, fc.Arbitrary<unknown[]>>));
const seedsArb = fc.uniqueArray(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 3 });

const plan = (spec: unknown) => {
  const parsed = SweepSpec.parse(spec);
  const { plan: p, issues } = planSweep(parsed);
  expect(issues).toEqual([]);
  return p!;
};

/** The same JSON value with the keys of every object in another order (`order` picks a permutation per object). */
function reorder(v: unknown, order: () => number): unknown {
  if (Array.isArray(v)) return v.map((x) => reorder(x, order));
  if (v && typeof v === 'object') {
    const entries = Object.entries(v).map(([k, x]) => [k, reorder(x, order)] as const);
    const shuffled = entries.map((e) => ({ e, r: order() })).sort((a, b) => a.r - b.r);
    return Object.fromEntries(shuffled.map((s) => s.e));
  }
  return v;
}

describe('sweep spec properties', () => {
  it(`expands to the product of the axis lengths times the seeds, one distinct trial per cell (seed ${seed})`, () => {
    fc.assert(
      fc.property(axesArb, seedsArb, (axes, seeds) => {
        const p = plan({ name: 'p', base, axes, seeds });
        const expected = Object.values(axes).reduce((n, values) => n * values.length, 1) * seeds.length;
        expect(p.cells).toHaveLength(expected);
        expect(new Set(p.cells.map((c) => c.trialId)).size).toBe(expected);
        expect(p.shape.gridRows * seeds.length).toBe(expected);
      }),
      params(60),
    );
  });

  it('counts a zipped group once: n × the other axes × the seeds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }).chain((n) =>
          fc.record({
            lrs: fc.uniqueArray(fc.double({ min: 1e-4, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
            epochs: fc.uniqueArray(fc.integer({ min: 1, max: 50 }), { minLength: n, maxLength: n }),
          }),
        ),
        fc.subarray(['none', 'crop_flip'], { minLength: 1 }),
        seedsArb,
        ({ lrs, epochs }, augmentation, seeds) => {
          const p = plan({ name: 'z', base, axes: { 'optimizer.lr': lrs, epochs, augmentation }, zip: [['optimizer.lr', 'epochs']], seeds });
          expect(p.cells).toHaveLength(lrs.length * augmentation.length * seeds.length);
          // Zipped values move together: the i-th learning rate always comes with the i-th epoch count.
          for (const c of p.cells) expect(lrs.indexOf(c.config.optimizer.lr as number)).toBe(epochs.indexOf(c.config.epochs));
        },
      ),
      params(40),
    );
  });

  it('gives the same trial ids whatever the order of keys in base and in axis values, and after a JSON round trip', () => {
    fc.assert(
      fc.property(axesArb, seedsArb, fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })), (axes, seeds, stream) => {
        const spec = { name: 'k', base, axes, seeds };
        const ids = plan(spec).cells.map((c) => c.trialId);
        const it = stream[Symbol.iterator]();
        const order = () => it.next().value as number;
        // The axes' own order is the grid's order (cells are numbered by it): keep it, shuffle everything inside.
        const shuffled = {
          ...spec,
          base: reorder(base, order),
          axes: Object.fromEntries(Object.entries(axes).map(([k, values]) => [k, reorder(values, order)])),
        };
        expect(plan(shuffled).cells.map((c) => c.trialId)).toEqual(ids);
        expect(plan(JSON.parse(JSON.stringify(shuffled))).cells.map((c) => c.trialId)).toEqual(ids);
      }),
      params(40),
    );
  });

  it('never throws on arbitrary JSON: the parser and the planner answer with issues', () => {
    const check = (input: unknown) => {
      const parsed = SweepSpec.safeParse(input);
      if (parsed.success) planSweep(parsed.data);
      SweepRequest.safeParse(input);
    };
    fc.assert(fc.property(fc.jsonValue(), check), params(300));
    // Shaped like a sweep, so most inputs get past the schema and into the planner.
    const key = fc.constantFrom('model', 'optimizer', 'optimizer.lr', 'epochs', 'variant', 'seed', 'zzz', 'a..b', '__proto__', 'constructor.x', '');
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom('mlp', 'tiny_cnn', 'sgd', 'adam', 0.1, 2),
      fc.record({ name: fc.constantFrom('sgd', 'mlp', 'x'), label: fc.string() }, { requiredKeys: [] }),
    );
    const spec = fc.record(
      {
        name: fc.string({ maxLength: 5 }),
        base: fc.oneof(fc.constant(base), fc.dictionary(key, value, { maxKeys: 4 })),
        axes: fc.dictionary(key, fc.array(value, { minLength: 1, maxLength: 3 }), { maxKeys: 3 }),
        variants: fc.array(fc.record({ label: fc.string({ minLength: 1, maxLength: 4 }), set: fc.dictionary(key, value, { maxKeys: 2 }) }), {
          minLength: 1,
          maxLength: 3,
        }),
        zip: fc.array(fc.array(key, { minLength: 2, maxLength: 3 }), { maxLength: 2 }),
        exclude: fc.array(fc.dictionary(key, value, { minKeys: 1, maxKeys: 2 }), { maxLength: 2 }),
        include: fc.array(fc.dictionary(key, value, { maxKeys: 3 }), { maxLength: 2 }),
        seeds: fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 2 }),
      },
      { requiredKeys: ['name', 'base', 'seeds'] },
    );
    fc.assert(fc.property(spec, check), params(300));
  });
});
