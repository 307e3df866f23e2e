// A sweep as submitted (base config + axes + seeds) and its expansion into trial cells.
import { z } from 'zod';
import { datasets, losses, models, optimizers, schedules, ttas, type Catalog, type CatalogEntry } from '../catalog/index.js';
import { seededIds } from './hash.js';
import { StudyLayout } from './study-layout.js';
import { TrialConfig, type TrialConfigInput } from './trial-config.js';

/** Largest grid a single sweep may expand to (cells × seeds). */
export const MAX_TRIALS_PER_SWEEP = 10_000;
/** Most axes a sweep may have (`variants` counts as one), and most fields one variant may set: expansion costs axes × cells. */
export const MAX_AXES = 32;
/** Longest axis key or variant field (a config field or dot path), and most segments in its path. */
export const MAX_FIELD_PATH_LENGTH = 200;
export const MAX_FIELD_PATH_SEGMENTS = 8;
/** Longest sweep name, axis value label and variant label (characters): they are table headings, not documents. */
export const MAX_NAME_LENGTH = 200;
export const MAX_LABEL_LENGTH = 200;
export const MAX_DESCRIPTION_LENGTH = 10_000;
/** Most fields `base`, one exclude or one include entry may give (a config has about 20): each unknown one is an issue. */
export const MAX_ENTRY_FIELDS = 64;
const fewFields = (what: string) =>
  [(o: object) => Object.keys(o).length <= MAX_ENTRY_FIELDS, { message: `${what} gives at most ${MAX_ENTRY_FIELDS} fields` }] as const;
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
    name: z.string().trim().min(1).max(MAX_NAME_LENGTH),
    description: z.string().max(MAX_DESCRIPTION_LENGTH).optional(),
    /** Settings shared by every cell; axis values are merged over it. */
    base: z
      .record(z.string(), z.unknown())
      .refine(...fewFields('base'))
      .default({}),
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
            label: z.string().trim().min(1).max(MAX_LABEL_LENGTH),
            set: z
              .record(z.string(), z.unknown())
              .refine((set) => Object.keys(set).length <= MAX_AXES, { message: `a variant sets at most ${MAX_AXES} fields` }),
          })
          .strict(),
      )
      .min(1, 'give at least one variant, or leave "variants" out')
      .max(1000)
      .optional(),
    /**
     * Groups of axes whose values move together instead of crossing: `[["model", "batchSize"]]` pairs the i-th model
     * with the i-th batch size (the axes of a group have equal lengths; each keeps its own table column).
     */
    zip: z
      .array(z.array(z.string().max(MAX_FIELD_PATH_LENGTH)).min(2, 'a zip group names at least two axes').max(MAX_AXES))
      .max(MAX_AXES)
      .optional(),
    /**
     * Grid cells to drop: each entry is a partial config (`{"model": "resnet18", "optimizer.name": "sam"}`) and a cell
     * matching every field of one entry is left out. A key is an axis (matched by the value's label or value) or a
     * config field / dot path (matched against the cell's resolved config; a component matches by name).
     */
    exclude: z
      .array(
        z
          .record(z.string(), z.unknown())
          .refine((e) => Object.keys(e).length > 0, { message: 'an exclude entry matches at least one field' })
          .refine(...fewFields('an exclude entry')),
      )
      .max(1000)
      .optional(),
    /**
     * Extra cells beyond the grid (applied after `exclude`): each entry gives a value for every axis of the sweep
     * (and a variant label when there are variants); values need not be on the axis: `{"model": "wrn40_10",
     * "optimizer": "sam"}` adds one row.
     */
    include: z
      .array(z.record(z.string(), z.unknown()).refine(...fewFields('an include entry')))
      .max(1000)
      .optional(),
    /** Replicates: every cell is trained once per seed. */
    seeds: Seeds.default([0]),
    /** How the paper prints this sweep's table (`GET /sweeps/:id/table?layout=study`); the grid layout needs none. */
    table: StudyLayout.optional(),
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
  /** How the cells came about, as a dry run shows it: grid size, what `exclude` dropped, what `include` added. */
  shape: SweepShape;
}

export interface SweepShape {
  /** Rows of the grid before exclusion (axes crossed, zipped groups moving together), without seeds. */
  gridRows: number;
  /** The zipped groups, as given. */
  zip: string[][];
  /** Per exclude entry: the grid rows it dropped (a row matched by two entries counts for the first). */
  excluded: { rule: number; rows: number }[];
  /** Rows `include` added (an include equal to a grid row that survived is refused, not counted). */
  includedRows: number;
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
  const axisNames = [...(spec.variants ? ['variant'] : []), ...axisKeys];
  const zip = spec.zip ?? [];
  const zipped = new Map<string, number>();
  // An axis named 'variant' without variants, or a name no axis has, is already an issue: it counts as length 1 here.
  const axisLength = (k: string) => (k === 'variant' && spec.variants ? spec.variants.length : (spec.axes[k]?.length ?? 1));
  zip.forEach((group, g) => {
    group.forEach((key, j) => {
      if (!axisNames.includes(key))
        issues.push({ path: ['zip', g, j], message: `'${key}' is not an axis of this sweep; axes: ${axisNames.join(', ')}` });
      else if (zipped.has(key)) issues.push({ path: ['zip', g, j], message: `axis '${key}' is already in zip group ${zipped.get(key)}` });
      else zipped.set(key, g);
    });
    const lengths = group.filter((k) => axisNames.includes(k)).map(axisLength);
    if (new Set(lengths).size > 1)
      issues.push({
        path: ['zip', g],
        message: `zipped axes move together and need equal lengths; ${group.map((k, j) => `${k}: ${lengths[j]}`).join(', ')}`,
      });
  });
  spec.exclude?.forEach((entry, i) => {
    for (const key of Object.keys(entry)) if (!axisNames.includes(key)) checkKey(key, ['exclude', i, key]);
  });
  spec.include?.forEach((entry, i) => {
    const missing = axisNames.filter((k) => !Object.hasOwn(entry, k));
    const extra = Object.keys(entry).filter((k) => !axisNames.includes(k));
    if (missing.length) issues.push({ path: ['include', i], message: `an include gives a value for every axis; missing: ${missing.join(', ')}` });
    for (const k of extra) issues.push({ path: ['include', i, k], message: `'${k}' is not an axis of this sweep (axes: ${axisNames.join(', ')})` });
    if (spec.variants && Object.hasOwn(entry, 'variant') && !spec.variants.some((v) => v.label === entry.variant))
      issues.push({
        path: ['include', i, 'variant'],
        message: `no variant labelled ${typeof entry.variant === 'string' ? `'${entry.variant}'` : JSON.stringify(entry.variant)}`,
      });
  });
  // Dimensions of the grid: a zipped group is one; every other axis is its own.
  const dims: string[][] = [...zip.map((g) => [...g]), ...axisNames.filter((k) => !zipped.has(k)).map((k) => [k])];
  const dimLength = (d: string[]) => axisLength(d[0]!);
  const gridRows = dims.reduce((n, d) => n * dimLength(d), 1);
  const size = (gridRows + (spec.include?.length ?? 0)) * spec.seeds.length;
  if (size > MAX_TRIALS_PER_SWEEP) {
    const shape = dims.map((d) => `${d.join('+')}:${dimLength(d)}`).join(' × ');
    issues.push({
      path: ['axes'],
      message: `the grid has ${size.toLocaleString('en-US')} trials (${shape}${spec.include?.length ? ` + ${spec.include.length} included` : ''} × ${spec.seeds.length} seeds); the limit is ${MAX_TRIALS_PER_SWEEP.toLocaleString('en-US')}`,
    });
  }
  if (new Set(spec.seeds).size !== spec.seeds.length) issues.push({ path: ['seeds'], message: 'seeds must be distinct' });
  if (issues.length) return { issues };

  // Labels per axis value, and the value with its label stripped; variants are the first, outermost axis.
  const axes: Axis[] = axisKeys.map((key) => {
    const values = spec.axes[key]!.map((v) => stripLabel(v));
    const labels = values.map((v) => v.label);
    values.forEach((v, i) => {
      if (v.explicit && v.label.length > MAX_LABEL_LENGTH)
        issues.push({
          path: ['axes', key, i, 'label'],
          message: `a label has at most ${MAX_LABEL_LENGTH} characters (this one has ${v.label.length})`,
        });
    });
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

  // A row is one value per axis (by index into the axis, or an included value beyond it).
  const dimAxes = dims.map((d) => d.map((k) => axes.findIndex((a) => a.key === k)));
  const gridRow = (choice: number[]): Row => axes.map((a, k) => ({ value: a.values[choice[k]!], label: a.labels[choice[k]!]! }));
  const excludedBy = (row: Row, config: TrialConfig | undefined): number =>
    spec.exclude?.findIndex((entry) => Object.entries(entry).every(([key, want]) => matchesField(axes, row, config, key, want))) ?? -1;

  // Validate each axis value against the base with every other dimension at its first value (a zipped group moves
  // as one), so an error points at the axis value that causes it. A probe row that `exclude` drops is skipped.
  const seen = new Set<string>();
  const report = (path: (string | number)[], message: string) => {
    const id = `${path.join('.')}|${message}`;
    if (!seen.has(id)) {
      seen.add(id);
      issues.push({ path, message });
    }
  };
  const firstChoice = axes.map(() => 0);
  const check = (choice: number[], owners?: number[]) => {
    const row = gridRow(choice);
    const parsed = TrialConfig.safeParse(buildConfig(spec.base, axes, row, spec.seeds[0]!));
    if (excludedBy(row, parsed.success ? parsed.data : undefined) !== -1 || parsed.success) return;
    for (const iss of parsed.error.issues) {
      const owner = axes.findIndex((ax, k) => ownedKey(ax, row[k]!.value, iss.path) !== undefined);
      if (owner === -1) report(['base', ...iss.path] as (string | number)[], iss.message);
      else if (owners?.includes(owner)) {
        const ax = axes[owner]!;
        const key = ownedKey(ax, row[owner]!.value, iss.path)!;
        const rest = iss.path.slice(key.split('.').length);
        report(
          (ax.multi ? ['variants', choice[owner]!, 'set', key, ...rest] : ['axes', key, choice[owner]!, ...rest]) as (string | number)[],
          iss.message,
        );
      }
    }
  };
  check(firstChoice);
  for (const owners of dimAxes) {
    const n = axes[owners[0]!]!.values.length;
    for (let i = 0; i < n; i++)
      check(
        firstChoice.map((c, k) => (owners.includes(k) ? i : c)),
        owners,
      );
  }
  if (issues.length) return { issues };

  // Grid rows minus the excluded, then the included; each row parsed once and given every seed.
  const rows: { row: Row; config: TrialConfig }[] = [];
  const excluded = (spec.exclude ?? []).map((_, rule) => ({ rule, rows: 0 }));
  const dimChoice = dims.map(() => 0);
  const choice = axes.map(() => 0);
  for (let done = false; !done; ) {
    dimAxes.forEach((owners, d) => {
      for (const k of owners) choice[k] = dimChoice[d]!;
    });
    const row = gridRow(choice);
    const parsed = TrialConfig.safeParse(buildConfig(spec.base, axes, row, spec.seeds[0]!));
    const rule = excludedBy(row, parsed.success ? parsed.data : undefined);
    if (rule !== -1) excluded[rule]!.rows++;
    else if (!parsed.success) report(['axes'], `cell {${describeRow(axes, row)}} is invalid: ${describeIssues(parsed.error)}`);
    else rows.push({ row, config: parsed.data });
    done = !advance(dimChoice, dims.map(dimLength));
  }
  excluded.forEach(({ rule, rows: n }) => {
    if (n === 0) report(['exclude', rule], 'this exclude entry matches no cell of the grid (a typo, or a value the axes lack?)');
  });
  const planAxes = axes.map(({ key, labels }) => ({ key, labels: [...labels] }));
  for (const [i, entry] of (spec.include ?? []).entries()) {
    const row: Row = axes.map((a) => {
      const given = entry[a.key];
      if (a.multi) return { value: spec.variants!.find((v) => v.label === given)!.set, label: String(given) };
      return stripLabel(given);
    });
    const long = row.findIndex((v) => 'explicit' in v && v.label.length > MAX_LABEL_LENGTH);
    if (long !== -1) {
      report(['include', i, axes[long]!.key, 'label'], `a label has at most ${MAX_LABEL_LENGTH} characters`);
      continue;
    }
    row.forEach((v, k) => {
      if (!planAxes[k]!.labels.includes(v.label)) planAxes[k]!.labels.push(v.label);
    });
    const same = rows.find((r) => r.row.every((v, k) => v.label === row[k]!.label));
    if (same) {
      report(['include', i], `this include repeats the grid's row {${describeRow(axes, row)}}`);
      continue;
    }
    const parsed = TrialConfig.safeParse(buildConfig(spec.base, axes, row, spec.seeds[0]!));
    if (!parsed.success) report(['include', i], `cell {${describeRow(axes, row)}} is invalid: ${describeIssues(parsed.error)}`);
    else rows.push({ row, config: parsed.data });
  }
  spec.table?.rows.forEach((r, i) => {
    for (const key of Object.keys(r.where)) {
      if (!axisNames.includes(key))
        report(['table', 'rows', i, 'where', key], `'${key}' is not an axis of this sweep (axes: ${axisNames.join(', ')})`);
    }
    if (!rows.some(({ row }) => axes.every((a, k) => !Object.hasOwn(r.where, a.key) || r.where[a.key] === row[k]!.label)))
      report(['table', 'rows', i, 'where'], `no cell of the sweep has these labels: ${JSON.stringify(r.where)}`);
  });
  if (issues.length) return { issues };

  const cells: SweepCell[] = [];
  for (const { row, config } of rows) {
    const labels = Object.fromEntries(axes.map((a, k) => [a.key, row[k]!.label]));
    const ids = seededIds(config, spec.seeds);
    spec.seeds.forEach((seed, i) => {
      cells.push({ index: cells.length, labels, seed, config: { ...config, seed }, trialId: ids.trialIds[i]!, groupKey: ids.groupKey, rank: 0 });
    });
  }
  const shape: SweepShape = { gridRows, zip: zip.map((g) => [...g]), excluded, includedRows: spec.include?.length ?? 0 };
  const firstCell = new Map<string, SweepCell>();
  for (const c of cells) {
    const prev = firstCell.get(c.trialId);
    if (!prev) firstCell.set(c.trialId, c);
    else report(['axes'], `cells ${describeCell(prev)} and ${describeCell(c)} resolve to the same config; each trial must appear once`);
  }
  if (issues.length) return { issues };
  interleave(cells);
  return { plan: { spec, axes: planAxes, cells, shape }, issues };
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

/** One value per axis, with its label. */
type Row = { value: unknown; label: string }[];

function describeRow(axes: Axis[], row: Row): string {
  return axes.map((a, k) => `${a.key}=${row[k]!.label}`).join(', ');
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
}

/**
 * Whether one field of an exclude entry matches a row: an axis matches by its value's label or by the value itself
 * (partially, for objects); any other key is a config path matched against the resolved config.
 */
function matchesField(axes: Axis[], row: Row, config: TrialConfig | undefined, key: string, want: unknown): boolean {
  const k = axes.findIndex((a) => a.key === key);
  if (k !== -1) return (typeof want === 'string' && row[k]!.label === want) || partialMatch(row[k]!.value, want);
  if (!config) return false;
  let v: unknown = config;
  for (const p of key.split('.')) v = v && typeof v === 'object' && Object.hasOwn(v, p) ? (v as Record<string, unknown>)[p] : undefined;
  return partialMatch(v, want);
}

/** `want` as a pattern: objects match when every key they give matches; a string matches a component by name. */
function partialMatch(actual: unknown, want: unknown): boolean {
  if (want && typeof want === 'object' && !Array.isArray(want)) {
    if (typeof actual === 'string') return partialMatch({ name: actual }, want);
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return false;
    return Object.entries(want).every(([k, w]) => Object.hasOwn(actual, k) && partialMatch((actual as Record<string, unknown>)[k], w));
  }
  if (typeof want === 'string' && actual && typeof actual === 'object' && !Array.isArray(actual)) return (actual as { name?: unknown }).name === want;
  if (Array.isArray(want)) return Array.isArray(actual) && actual.length === want.length && want.every((w, i) => partialMatch(actual[i], w));
  return actual === want;
}

interface Axis {
  key: string;
  values: unknown[];
  labels: string[];
  /** The variants axis: each value is a map of field → value. */
  multi?: true;
}

/** The key of `axis` (or, for variants, of the chosen variant's fields) that a config path falls under. */
function ownedKey(axis: Axis, value: unknown, path: readonly PropertyKey[]): string | undefined {
  const keys = axis.multi ? Object.keys(value as Record<string, unknown>) : [axis.key];
  return keys.find((k) => pathUnder(path, k));
}

function buildConfig(base: Record<string, unknown>, axes: Axis[], row: Row, seed: number): TrialConfigInput {
  const cfg: Record<string, unknown> = structuredClone(base);
  for (const [k, axis] of axes.entries()) {
    const value = structuredClone(row[k]!.value);
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

function stripLabel(v: unknown): { value: unknown; label: string; explicit?: true } {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const { label, ...rest } = v as Record<string, unknown>;
    if (typeof label === 'string' && label.length) return { value: rest, label, explicit: true };
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
