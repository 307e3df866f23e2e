// Quota checks of a planned sweep against its project's limits, at POST /sweeps (dry runs too) and PATCH /sweeps/:id.
// One registry entry per limit measured on the plan; queued trials are counted in Postgres, again inside the insert.
import type { Db } from '@ablate/db';
import type { SweepCell, SweepPlan } from '@ablate/spec';
import { ApiError, type ErrorCode, type Issue } from '../errors.js';
import { type LimitName, type Limits, projectLimits } from './limits.js';

const n = (x: number) => x.toLocaleString('en-US');

interface Breach {
  path: string;
  message: string;
}

interface PlanQuota {
  limit: LimitName;
  code: ErrorCode;
  /** The first breach of `max` in the plan, or undefined; `project` is only for the message. */
  check(plan: SweepPlan, max: number, project: string): Breach | undefined;
}

/** Splits and image side of the datasets whose size is fixed by their archive. */
const NATIVE: Record<string, { train: number; test: number; side: number }> = {
  cifar10: { train: 50_000, test: 10_000, side: 32 },
  cifar100: { train: 50_000, test: 10_000, side: 32 },
  mnist: { train: 60_000, test: 10_000, side: 28 },
  fashion_mnist: { train: 60_000, test: 10_000, side: 28 },
};

type DatasetConfig = { name: string } & Record<string, unknown>;
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

/** Train + test examples a trial's dataset holds (a split of unknown size, image_folder's without subset, counts 0). */
export function datasetExamples(d: DatasetConfig): number {
  const subset = (d.subset ?? {}) as { train?: number; test?: number };
  const split = (size: number | undefined, cap: number | undefined) => (size === undefined ? (cap ?? 0) : Math.min(size, cap ?? size));
  return split(num(d.trainSize) ?? NATIVE[d.name]?.train, subset.train) + split(num(d.testSize) ?? NATIVE[d.name]?.test, subset.test);
}

/** The side, in pixels, of the images a trial's dataset yields (undefined: not known before reading it). */
export function datasetImageSide(d: DatasetConfig): number | undefined {
  return num(d.size) ?? num(d.imageSize) ?? num(d.padTo) ?? NATIVE[d.name]?.side;
}

/** Where in the body a config field comes from: the axis that sets it, else variants, else base. */
function specPath(plan: SweepPlan, field: string): string {
  const axis = Object.keys(plan.spec.axes).find((k) => k === field || field.startsWith(`${k}.`) || k.startsWith(`${field}.`));
  if (axis) return `axes.${axis}`;
  const root = field.split('.')[0]!;
  if (plan.spec.variants?.some((v) => Object.keys(v.set).some((k) => k === field || k.split('.')[0] === root))) return 'variants';
  return `base.${field}`;
}

/** "trial 3 (model=resnet18, epochs=2000)" and how many more cells break the limit. */
function cellBreach(cells: SweepCell[], over: (c: SweepCell) => number | undefined, max: number) {
  let first: { cell: SweepCell; value: number } | undefined;
  let more = 0;
  for (const cell of cells) {
    const value = over(cell);
    if (value === undefined || value <= max) continue;
    if (first) more++;
    else first = { cell, value };
  }
  if (!first) return undefined;
  const labels = Object.entries(first.cell.labels).map(([k, v]) => `${k}=${v}`);
  const which = `trial ${first.cell.index}${labels.length ? ` (${labels.join(', ')})` : ''}${more ? ` and ${n(more)} more` : ''}`;
  return { which, value: first.value };
}

export const PLAN_QUOTAS: PlanQuota[] = [
  {
    limit: 'trialsPerSweep',
    code: 'QUOTA_ERR_TRIALS_PER_SWEEP',
    check: (plan, max, project) =>
      plan.cells.length > max
        ? {
            path: 'axes',
            message: `this sweep has ${n(plan.cells.length)} trials; project '${project}' allows ${n(max)} per sweep (limit trialsPerSweep)`,
          }
        : undefined,
  },
  {
    limit: 'epochsPerTrial',
    code: 'QUOTA_ERR_EPOCHS_PER_TRIAL',
    check: (plan, max, project) => {
      const b = cellBreach(plan.cells, (c) => c.config.epochs, max);
      return (
        b && {
          path: specPath(plan, 'epochs'),
          message: `${b.which} trains ${n(b.value)} epochs; project '${project}' allows ${n(max)} per trial (limit epochsPerTrial)`,
        }
      );
    },
  },
  {
    limit: 'datasetSize',
    code: 'QUOTA_ERR_DATASET_SIZE',
    check: (plan, max, project) => {
      const b = cellBreach(plan.cells, (c) => datasetExamples(c.config.dataset), max);
      return (
        b && {
          path: specPath(plan, 'dataset'),
          message: `${b.which} uses ${n(b.value)} train + test examples; project '${project}' allows ${n(max)} per trial (limit datasetSize; a dataset's subset option takes fewer)`,
        }
      );
    },
  },
  {
    limit: 'imageSize',
    code: 'QUOTA_ERR_IMAGE_SIZE',
    check: (plan, max, project) => {
      const b = cellBreach(plan.cells, (c) => datasetImageSide(c.config.dataset), max);
      return (
        b && {
          path: specPath(plan, 'dataset'),
          message: `${b.which} uses ${n(b.value)} px images; project '${project}' allows ${n(max)} px (limit imageSize)`,
        }
      );
    },
  },
  {
    limit: 'nameLength',
    code: 'QUOTA_ERR_NAME_LENGTH',
    check: (plan, max, project) =>
      plan.spec.name.length > max
        ? { path: 'name', message: `the name has ${n(plan.spec.name.length)} characters; project '${project}' allows ${n(max)} (limit nameLength)` }
        : undefined,
  },
  {
    limit: 'labelLength',
    code: 'QUOTA_ERR_LABEL_LENGTH',
    check: (plan, max, project) => {
      // Labels given explicitly ({"label": …} on an axis value, a variant's label); generated ones describe the value.
      const labels: [string, string][] = (plan.spec.variants ?? []).map((v, i) => [`variants.${i}.label`, v.label]);
      for (const [key, values] of Object.entries(plan.spec.axes)) {
        values.forEach((v, i) => {
          const label = v && typeof v === 'object' && !Array.isArray(v) ? (v as { label?: unknown }).label : undefined;
          if (typeof label === 'string') labels.push([`axes.${key}.${i}.label`, label]);
        });
      }
      const long = labels.find(([, l]) => l.length > max);
      return (
        long && { path: long[0], message: `a label has ${n(long[1].length)} characters; project '${project}' allows ${n(max)} (limit labelLength)` }
      );
    },
  },
];

/** Queued or running trials of the project, and what that becomes with these trials added (shared ones count once). */
export async function queuedTrialCounts(db: Db, projectId: string, trialIds: string[]): Promise<{ now: number; after: number }> {
  const rows = await db.$queryRaw<{ now: bigint; after: bigint }[]>`
    WITH mine AS (
      SELECT st."trialId" AS id FROM "SweepTrial" st
      JOIN "Sweep" s ON s.id = st."sweepId" JOIN "Trial" t ON t.id = st."trialId"
      WHERE s."projectId" = ${projectId} AND t.status IN ('queued', 'running')
    ), added AS (
      SELECT c.id FROM json_array_elements_text(${JSON.stringify(trialIds)}::json) AS c(id)
      LEFT JOIN "Trial" t ON t.id = c.id WHERE t.id IS NULL OR t.status IN ('queued', 'running')
    )
    SELECT (SELECT count(DISTINCT id) FROM mine) AS now, (SELECT count(*) FROM (SELECT id FROM mine UNION SELECT id FROM added) u) AS after`;
  return { now: Number(rows[0]?.now ?? 0), after: Number(rows[0]?.after ?? 0) };
}

function queuedBreach(projectId: string, c: { now: number; after: number }, max: number): Breach | undefined {
  if (c.after <= max || c.after <= c.now) return undefined;
  return {
    path: '',
    message: `this would bring the project to ${n(c.after)} queued or running trials (${n(c.now)} now); project '${projectId}' allows ${n(max)} (limit queuedTrials)`,
  };
}

function raise(breaches: { code: ErrorCode; breach: Breach }[]): void {
  if (!breaches.length) return;
  const issues: Issue[] = breaches.map((b) => b.breach);
  throw new ApiError(breaches[0]!.code, breaches.map((b) => b.breach.message).join('; '), issues);
}

/**
 * Every limit of the project a planned sweep (or a sweep as extended) must fit; throws one ApiError naming each limit
 * broken, its value and the project. The limits in force are returned for the in-transaction recheck.
 */
export async function checkQuotas(db: Db, plan: SweepPlan, projectId: string): Promise<Limits> {
  const limits = await projectLimits(db, projectId);
  const breaches: { code: ErrorCode; breach: Breach }[] = [];
  for (const q of PLAN_QUOTAS) {
    const breach = q.check(plan, limits[q.limit], projectId);
    if (breach) breaches.push({ code: q.code, breach });
  }
  const queued = queuedBreach(
    projectId,
    await queuedTrialCounts(
      db,
      projectId,
      plan.cells.map((c) => c.trialId),
    ),
    limits.queuedTrials,
  );
  if (queued) breaches.push({ code: 'QUOTA_ERR_QUEUED_TRIALS', breach: queued });
  raise(breaches);
  return limits;
}

/**
 * The queued-trials count again, inside the transaction that stored the sweep (insertSweep's `also`), under a
 * per-project advisory lock: of two concurrent sweeps the second to count sees the first's trials, so the limit holds.
 */
export function recheckQueuedTrials(projectId: string, sweepId: string, limits: Limits) {
  return async (tx: Db): Promise<void> => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(8675309, hashtext(${projectId}))`;
    const rows = await tx.$queryRaw<{ now: bigint; after: bigint }[]>`
      SELECT count(DISTINCT st."trialId") FILTER (WHERE st."sweepId" <> ${sweepId}) AS now, count(DISTINCT st."trialId") AS after
      FROM "SweepTrial" st JOIN "Sweep" s ON s.id = st."sweepId" JOIN "Trial" t ON t.id = st."trialId"
      WHERE s."projectId" = ${projectId} AND t.status IN ('queued', 'running')`;
    const breach = queuedBreach(projectId, { now: Number(rows[0]?.now ?? 0), after: Number(rows[0]?.after ?? 0) }, limits.queuedTrials);
    if (breach) raise([{ code: 'QUOTA_ERR_QUEUED_TRIALS', breach }]);
  };
}
