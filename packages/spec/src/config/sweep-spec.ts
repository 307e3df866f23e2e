// A sweep as submitted (base config + axes + seeds) and its expansion into trial cells.
import { z } from 'zod';
import { datasets, losses, models, optimizers, schedules, ttas, type Catalog, type CatalogEntry } from '../catalog/index.js';
import { configHash, groupKey } from './hash.js';
import { TrialConfig, type TrialConfigInput } from './trial-config.js';

/** Largest grid a single sweep may expand to (cells × seeds). */
export const MAX_TRIALS_PER_SWEEP = 10_000;
/** Most axes a sweep may have (`variants` counts as one), and most fields one variant may set: expansion costs axes × cells. */
export const MAX_AXES = 32;
/** Longest axis key or variant field (a config field or dot path), and most segments in its path. */
export const MAX_FIELD_PATH_LENGTH = 200;
export const MAX_FIELD_PATH_SEGMENTS = 8;
/** Path segments that would reach an object's prototype instead of a config field. */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

/** Fields that hold a named component; switching the name keeps only the base options the new one knows. */
const COMPONENT_FIELDS = new Map<string, Catalog<CatalogEntry>>([
  ['dataset', datasets],
  ['model', models],
  ['optimizer', optimizers],
  ['schedule', schedules],
  ['loss', losses],
  ['tta', ttas],
]);
const AXIS_ROOTS = Object.keys(TrialConfig.shape).filter((k) => k !== 'seed' && k !== 'schemaVersion');

export const BackendRequirement = z.enum(['any', 'gpu', 'tensorflow', 'wasm', 'cpu']);

/** What a worker may load: 'auto' tries tensorflow-gpu, tensorflow, wasm, cpu in that order. */
export const BACKEND_CHOICES = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export type BackendRequirement = z.output<typeof BackendRequirement>;

export const SweepPriority = z.number().int().min(-100).max(100);

/** A list of seeds (replicates), as a sweep takes it and as an extension adds to it. */
export const Seeds = z
  .array(
    z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
  )
  .min(1)
  .max(1000);

export const SweepSpec = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(10_000).optional(),
    /** Settings shared by every cell; axis values are merged over it. */
    base: z.record(z.string(), z.unknown()).default({}),
    /** Each key is a config field (`model`) or dot path (`optimizer.lr`); each value list is one axis of the grid. */
    axes: z
      .record(z.string(), z.array(z.unknown()).min(1, 'an axis needs at least one value').max(1000))
      .refine((axes) => Object.keys(axes).length <= MAX_AXES, { message: `at most ${MAX_AXES} axes (put fields that move together in "variants")` })
      .default({}),
    /**
     * An axis whose values change several fields at once, for tables that walk a path rather than a grid (resnet18/SGD →
     * … → WRN-40-10/SAM/smooth-CE/TTA): each variant's `set` maps fields or dot paths to values, applied over `base`
     * in order. Crossed with `axes` and seeds like any axis; its column in tables is "variant".
     */
    variants: z
      .array(
        z
          .object({
            label: z.string().trim().min(1).max(200),
            set: z
              .record(z.string(), z.unknown())
              .refine((set) => Object.keys(set).length <= MAX_AXES, { message: `a variant sets at most ${MAX_AXES} fields` }),
          })
          .strict(),
      )
      .min(1, 'give at least one variant, or leave "variants" out')
      .max(1000)
      .optional(),
    /** Replicates: every cell is trained once per seed. */
    seeds: Seeds.default([0]),
    /** Where trials may run: 'gpu' refuses CPU workers. */
    backend: BackendRequirement.default('any'),
    /** Higher runs sooner, across sweeps (-100..100; PATCH can change it). */
    priority: SweepPriority.default(0),
  })
  .strict();
export type SweepSpec = z.output<typeof SweepSpec>;
export type SweepSpecInput = z.input<typeof SweepSpec>;

export interface SweepCell {
  /** Position in the grid (seeds innermost). */
  index: number;
  /** Axis → label of its value, as tables print it. */
  labels: Record<string, string>;
  seed: number;
  config: TrialConfig;
  trialId: string;
  groupKey: string;
  /** Delivery order: every row (distinct config) gets its first seed before any row gets its second. */
  rank: number;
}

export interface SweepPlan {
  spec: SweepSpec;
  axes: { key: string; labels: string[] }[];
  cells: SweepCell[];
}

export interface PlanIssue {
  path: (string | number)[];
  message: string;
}

/** Expands a structurally valid spec; returns issues (with paths into the spec) instead of throwing. */
export function planSweep(spec: SweepSpec): { plan?: SweepPlan; issues: PlanIssue[] } {
  const issues: PlanIssue[] = [];
  const axisKeys = Object.keys(spec.axes);
  const checkKey = (key: string, path: (string | number)[]) => {
    const parts = key.split('.');
    const root = parts[0]!;
    const forbidden = parts.find((p) => FORBIDDEN_SEGMENTS.has(p));
    if (forbidden !== undefined)
      issues.push({ path, message: `'${forbidden}' cannot be part of a field path; give a config field or a dot path such as 'optimizer.lr'` });
    else if (key.length > MAX_FIELD_PATH_LENGTH || parts.length > MAX_FIELD_PATH_SEGMENTS)
      issues.push({ path, message: `a field path has at most ${MAX_FIELD_PATH_LENGTH} characters and ${MAX_FIELD_PATH_SEGMENTS} segments` });
    else if (parts.some((p) => p === '')) issues.push({ path, message: `'${key}' has an empty segment` });
    else if (key === 'seed' || key === 'seeds') issues.push({ path, message: 'seeds are given by the top-level "seeds" list, not as an axis' });
    else if (!AXIS_ROOTS.includes(root)) issues.push({ path, message: `unknown config field '${root}'; axes may vary: ${AXIS_ROOTS.join(', ')}` });
  };
  for (const key of axisKeys) checkKey(key, ['axes', key]);
  if ('variant' in spec.axes) issues.push({ path: ['axes', 'variant'], message: '"variant" is the column of "variants"; it cannot be an axis' });
  spec.variants?.forEach((v, i) => {
    for (const key of Object.keys(v.set)) checkKey(key, ['variants', i, 'set', key]);
    if (spec.variants!.findIndex((w) => w.label === v.label) !== i)
      issues.push({ path: ['variants', i, 'label'], message: `duplicate variant label '${v.label}'` });
  });
  for (const [key, value] of Object.entries(spec.base)) {
    if (!AXIS_ROOTS.includes(key)) issues.push({ path: ['base', key], message: `unknown config field '${key}'; known: ${AXIS_ROOTS.join(', ')}` });
    const catalog = COMPONENT_FIELDS.get(key);
    if (!catalog || !value || typeof value !== 'object' || Array.isArray(value)) continue;
    // Options a switched-to component drops are fine; an option no component takes is a typo.
    const anyKnown = new Set(catalog.entries.flatMap((e) => Object.keys(e.options)));
    for (const opt of Object.keys(value)) {
      if (opt !== 'name' && !anyKnown.has(opt)) issues.push({ path: ['base', key, opt], message: `no ${catalog.family} takes an option '${opt}'` });
    }
  }
  const size = axisKeys.reduce((n, k) => n * spec.axes[k]!.length, spec.variants?.length ?? 1) * spec.seeds.length;
  if (size > MAX_TRIALS_PER_SWEEP) {
    const dims = [...(spec.variants ? [`variants:${spec.variants.length}`] : []), ...axisKeys.map((k) => `${k}:${spec.axes[k]!.length}`)].join(' × ');
    issues.push({
      path: ['axes'],
      message: `the grid has ${size.toLocaleString('en-US')} trials (${dims} × ${spec.seeds.length} seeds); the limit is ${MAX_TRIALS_PER_SWEEP.toLocaleString('en-US')}`,
    });
  }
  if (new Set(spec.seeds).size !== spec.seeds.length) issues.push({ path: ['seeds'], message: 'seeds must be distinct' });
  if (issues.length) return { issues };

  // Labels per axis value, and the value with its label stripped; variants are the first, outermost axis.
  const axes: Axis[] = axisKeys.map((key) => {
    const values = spec.axes[key]!.map((v) => stripLabel(v));
    const labels = values.map((v) => v.label);
    const firstOf = new Map<string, number>();
    labels.forEach((l, i) => {
      if (firstOf.has(l)) issues.push({ path: ['axes', key, i], message: `duplicate value '${l}' on axis '${key}' (give it a distinct "label")` });
      else firstOf.set(l, i);
    });
    return { key, values: values.map((v) => v.value), labels };
  });
  if (spec.variants)
    axes.unshift({ key: 'variant', values: spec.variants.map((v) => v.set), labels: spec.variants.map((v) => v.label), multi: true });
  if (issues.length) return { issues };

  // Validate each axis value against the base with every other axis at its first value.
  const seen = new Set<string>();
  const report = (path: (string | number)[], message: string) => {
    const id = `${path.join('.')}|${message}`;
    if (!seen.has(id)) {
      seen.add(id);
      issues.push({ path, message });
    }
  };
  const firstChoice = axes.map(() => 0);
  const check = (choice: number[], axis?: number) => {
    const parsed = TrialConfig.safeParse(buildConfig(spec.base, axes, choice, spec.seeds[0]!));
    if (parsed.success) return;
    for (const iss of parsed.error.issues) {
      const owner = axes.findIndex((ax, k) => ownedKey(ax, choice[k]!, iss.path) !== undefined);
      if (owner === -1) report(['base', ...iss.path] as (string | number)[], iss.message);
      else if (owner === axis) {
        const ax = axes[owner]!;
        const key = ownedKey(ax, choice[owner]!, iss.path)!;
        const rest = iss.path.slice(key.split('.').length);
        report(
          (ax.multi ? ['variants', choice[owner]!, 'set', key, ...rest] : ['axes', key, choice[owner]!, ...rest]) as (string | number)[],
          iss.message,
        );
      }
    }
  };
  check(firstChoice);
  for (const [a, axis] of axes.entries()) {
    for (let i = 0; i < axis.values.length; i++)
      check(
        firstChoice.map((c, k) => (k === a ? i : c)),
        a,
      );
  }
  if (issues.length) return { issues };

  const cells: SweepCell[] = [];
  const counts = axes.map((a) => a.values.length);
  const choice = counts.map(() => 0);
  for (let done = false; !done; ) {
    for (const seed of spec.seeds) {
      const parsed = TrialConfig.safeParse(buildConfig(spec.base, axes, choice, seed));
      const labels = Object.fromEntries(axes.map((a, k) => [a.key, a.labels[choice[k]!]!]));
      if (!parsed.success) {
        const where = Object.entries(labels)
          .map(([k, l]) => `${k}=${l}`)
          .join(', ');
        report(['axes'], `cell {${where}} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
        continue;
      }
      cells.push({
        index: cells.length,
        labels,
        seed,
        config: parsed.data,
        trialId: configHash(parsed.data),
        groupKey: groupKey(parsed.data),
        rank: 0,
      });
    }
    done = !advance(choice, counts);
  }
  const firstCell = new Map<string, SweepCell>();
  for (const c of cells) {
    const prev = firstCell.get(c.trialId);
    if (!prev) firstCell.set(c.trialId, c);
    else report(['axes'], `cells ${describeCell(prev)} and ${describeCell(c)} resolve to the same config; each trial must appear once`);
  }
  if (issues.length) return { issues };
  interleave(cells);
  return { plan: { spec, axes: axes.map(({ key, labels }) => ({ key, labels })), cells }, issues };
}

/** Parses and plans in one step, as a zod schema whose output is the plan (for request bodies). */
export const SweepRequest = SweepSpec.transform((spec, ctx) => {
  const { plan, issues } = planSweep(spec);
  for (const iss of issues) ctx.addIssue({ code: 'custom', path: iss.path, message: iss.message });
  return plan ?? z.NEVER;
});

/** rank = seed ordinal × rows + row: a half-finished sweep already has one seed of every row (a full, noisy table). */
export function interleave(cells: SweepCell[]): void {
  const rows = new Map<string, { row: number; seeds: number }>();
  for (const c of cells) if (!rows.has(c.groupKey)) rows.set(c.groupKey, { row: rows.size, seeds: 0 });
  for (const c of cells) {
    const r = rows.get(c.groupKey)!;
    c.rank = r.seeds++ * rows.size + r.row;
  }
}

function describeCell(c: SweepCell): string {
  return `{${[...Object.entries(c.labels).map(([k, l]) => `${k}=${l}`), `seed=${c.seed}`].join(', ')}}`;
}

function advance(choice: number[], counts: number[]): boolean {
  for (let k = choice.length - 1; k >= 0; k--) {
    if (++choice[k]! < counts[k]!) return true;
    choice[k] = 0;
  }
  return false;
}

function pathUnder(path: readonly PropertyKey[], dotted: string): boolean {
  const parts = dotted.split('.');
  return parts.every((p, i) => String(path[i]) === p);
}

interface Axis {
  key: string;
  values: unknown[];
  labels: string[];
  /** The variants axis: each value is a map of field → value. */
  multi?: true;
}

/** The key of `axis` (or, for variants, of the chosen variant's fields) that a config path falls under. */
function ownedKey(axis: Axis, chosen: number, path: readonly PropertyKey[]): string | undefined {
  const keys = axis.multi ? Object.keys(axis.values[chosen] as Record<string, unknown>) : [axis.key];
  return keys.find((k) => pathUnder(path, k));
}

function buildConfig(base: Record<string, unknown>, axes: Axis[], choice: number[], seed: number): TrialConfigInput {
  const cfg: Record<string, unknown> = structuredClone(base);
  for (const [k, axis] of axes.entries()) {
    const value = structuredClone(axis.values[choice[k]!]);
    if (!axis.multi) setAxisValue(cfg, axis.key, value);
    else for (const [key, v] of Object.entries(value as Record<string, unknown>)) setAxisValue(cfg, key, v);
  }
  cfg.seed = seed;
  return cfg as TrialConfigInput;
}

/**
 * Sets `value` at a dot path; a component given by name keeps the base options its schema knows. It reads and writes
 * own properties only, so no path (even one that slipped past `checkKey`) can reach or replace a prototype.
 */
function setAxisValue(cfg: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let obj = cfg;
  for (const p of parts.slice(0, -1)) {
    const next = ownValue(obj, p);
    if (typeof next === 'string' && COMPONENT_FIELDS.has(p)) setOwn(obj, p, { name: next });
    else if (!next || typeof next !== 'object') setOwn(obj, p, {});
    obj = ownValue(obj, p) as Record<string, unknown>;
  }
  const last = parts[parts.length - 1]!;
  const catalog = parts.length === 1 ? COMPONENT_FIELDS.get(last) : undefined;
  setOwn(obj, last, catalog ? mergeComponent(ownValue(obj, last), value, catalog) : value);
}

function ownValue(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Defines an own data property: unlike `obj[key] = v`, `key === '__proto__'` cannot change the prototype. */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

function mergeComponent(base: unknown, value: unknown, catalog: Catalog<CatalogEntry>): unknown {
  const v = typeof value === 'string' ? { name: value } : value;
  const b = typeof base === 'string' ? { name: base } : base;
  if (!v || typeof v !== 'object' || Array.isArray(v) || !b || typeof b !== 'object' || Array.isArray(b)) return v;
  const merged = { ...(b as Record<string, unknown>), ...(v as Record<string, unknown>) };
  const name = merged.name;
  if (typeof name !== 'string' || !catalog.has(name) || name === (b as { name?: unknown }).name) return merged;
  // Switching component: base options the new component does not take are dropped, its own are kept.
  const known = new Set(Object.keys(catalog.get(name).options));
  for (const k of Object.keys(b)) {
    if (k !== 'name' && !known.has(k) && !(k in (v as object))) delete merged[k];
  }
  return merged;
}

function stripLabel(v: unknown): { value: unknown; label: string } {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const { label, ...rest } = v as Record<string, unknown>;
    if (typeof label === 'string' && label.length) return { value: rest, label };
    return { value: rest, label: describe(rest) };
  }
  return { value: v, label: describe(v) };
}

/** "sgd", "0.1", "sgd(lr=0.05,momentum=0.9)". */
function describe(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return v.map(describe).join('+');
  const { name, ...rest } = v as Record<string, unknown>;
  const args = Object.entries(rest).map(([k, x]) => `${k}=${typeof x === 'object' ? JSON.stringify(x) : String(x)}`);
  if (typeof name === 'string') return args.length ? `${name}(${args.join(',')})` : name;
  return args.join(',');
}
