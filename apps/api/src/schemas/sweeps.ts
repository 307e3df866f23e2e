// Request and response schemas of /sweeps.
import { Seeds, SweepPriority, SweepRequest } from '@ablate/spec';
import { z } from 'zod';
import { TABLE_METRIC_NAMES } from '../tables/metrics.js';

export const CreateSweepBody = SweepRequest;

// Query schemas are strict: a parameter that is unknown or does not parse (`dryRun[]=true`, `dryRun[a]=`, a repeated
// scalar) is a 400 naming it, never silently dropped, so a mistyped dryRun can never fall through to the writing path.
export const CreateSweepQuery = z
  .object({
    /** Validate and expand only; store and enqueue nothing. */
    dryRun: z
      .enum(['true', 'false', '1', '0'])
      .optional()
      .transform((v) => v === 'true' || v === '1'),
  })
  .strict();

const Axis = z.object({ key: z.string(), labels: z.array(z.string()) });

export const CreateSweepResponse = z.object({
  id: z.string(),
  name: z.string(),
  trials: z.number().int(),
  /** Trials this sweep created; `reused` existed already (same config and seed in an earlier sweep) and are not retrained. */
  created: z.number().int(),
  reused: z.number().int(),
  /** Trials of this sweep in state queued now: stored in Postgres, delivered to workers by the reconciler. */
  queued: z.number().int(),
  priority: z.number().int(),
  axes: z.array(Axis),
});

export const DryRunResponse = z.object({
  trials: z.number().int(),
  axes: z.array(Axis),
  /** How the cells came about: grid rows before `exclude`, zipped groups, rows each exclude entry dropped, rows `include` added. */
  shape: z.object({
    gridRows: z.number().int(),
    zip: z.array(z.array(z.string())),
    excluded: z.array(z.object({ rule: z.number().int(), rows: z.number().int() })),
    includedRows: z.number().int(),
  }),
  cells: z.array(
    z.object({
      index: z.number(),
      trialId: z.string(),
      labels: z.record(z.string(), z.string()),
      seed: z.number(),
      config: z.record(z.string(), z.unknown()),
    }),
  ),
});

export const StatusCounts = z.object({
  queued: z.number(),
  running: z.number(),
  done: z.number(),
  failed: z.number(),
  cancelled: z.number(),
  total: z.number(),
});

export const SweepStatus = z.enum(['queued', 'running', 'paused', 'done', 'failed', 'cancelled']);

export const SweepSummary = z.object({
  id: z.string(),
  name: z.string(),
  status: SweepStatus,
  backend: z.string(),
  priority: z.number().int(),
  paused: z.boolean(),
  trialCount: z.number().int(),
  counts: StatusCounts,
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
});

export const SweepResponse = SweepSummary.extend({
  axes: z.array(Axis),
  seeds: z.array(z.number()),
  /** Set while queued trials wait for a kind of worker no live worker is (e.g. "gpu worker"). */
  waitingFor: z.string().nullable(),
});

export const ListSweepsQuery = z
  .object({
    status: SweepStatus.optional(),
    /** Case-insensitive substring of the name. */
    name: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

export const ListSweepsResponse = z.object({ items: z.array(SweepSummary), total: z.number().int(), limit: z.number(), offset: z.number() });

export const TrialStatus = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);

export const SweepTrialsQuery = z
  .object({
    status: TrialStatus.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

export const SweepTrialItem = z.object({
  id: z.string(),
  index: z.number().int(),
  labels: z.record(z.string(), z.string()),
  seed: z.number().int(),
  status: TrialStatus,
  /** Counted attempts (interruptions excluded) and interruptions. */
  attempts: z.number().int(),
  interruptions: z.number().int(),
  /** Epochs recorded so far, of `epochs`. */
  epochsDone: z.number().int(),
  epochs: z.number().int(),
  testTop1: z.number().nullable(),
  workerId: z.string().nullable(),
  error: z.record(z.string(), z.unknown()).nullable(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
});

export const SweepTrialsResponse = z.object({ items: z.array(SweepTrialItem), total: z.number().int(), limit: z.number(), offset: z.number() });

export const PatchSweepBody = z
  .object({
    priority: SweepPriority.optional(),
    /** Values appended to axes the sweep has (same form as in POST /sweeps). */
    axes: z.record(z.string(), z.array(z.unknown()).min(1).max(1000)).optional(),
    /** Variants appended to the sweep's variants. */
    variants: z.array(z.unknown()).min(1).max(1000).optional(),
    /** Seeds added. */
    seeds: Seeds.optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'give priority, axes, variants or seeds' });

export const PatchSweepResponse = z.object({
  id: z.string(),
  priority: z.number().int(),
  trialCount: z.number().int(),
  /** Cells added by this change, trials created for them (the others already existed), and trials queued now. */
  added: z.number().int(),
  created: z.number().int(),
  queued: z.number().int(),
});

export const CancelResponse = z.object({
  id: z.string(),
  status: SweepStatus,
  /** Queued trials cancelled; running ones asked to stop at their next batch (with a checkpoint); trials kept for another sweep. */
  cancelled: z.number().int(),
  stopping: z.number().int(),
  shared: z.number().int(),
});

export const LifecycleResponse = z.object({ id: z.string(), status: SweepStatus, paused: z.boolean(), requeued: z.number().int().optional() });

export const DeleteResponse = z.object({ id: z.string(), deletedTrials: z.number().int() });

const AxisList = z
  .string()
  .max(2000)
  .transform((v) =>
    v
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
  );

export const TableQuery = z
  .object({
    format: z.enum(['json', 'markdown', 'csv', 'latex', 'html']).default('json'),
    /** `grid` (default): one row per configuration; `study`: the rows and columns the sweep's paper prints (its spec's `table`). */
    layout: z.enum(['grid', 'study']).default('grid'),
    /** Pivot: axes (comma-separated) whose labels make the columns; `rows` the rows (default: every other axis). */
    cols: AxisList.optional(),
    rows: AxisList.optional(),
    /** Final metric to aggregate: testTop1 (last epoch), top1 (TTA where the trial used it), bestTop1, testTop5, ttaTop1, testLoss, AUC/AP, suggestedLr. */
    metric: z.enum(TABLE_METRIC_NAMES).default('testTop1'),
    /**
     * How a trial's epochs become one value: `final` (its final metrics, default), `best` (the best epoch: max, or min for
     * a loss) or `lastK` (the mean of its last `k` epochs). best and lastK apply to testTop1, testTop5 and testLoss.
     */
    reduce: z.enum(['final', 'best', 'lastK']).default('final'),
    k: z.coerce.number().int().min(1).max(10_000).default(5),
    /**
     * The row every other row is compared with, by its labels: `axis=label` pairs joined by `;` (`model=resnet18;optimizer=sgd`)
     * or a JSON object (`{"model":"resnet18"}`). Each row then gets Δ and its 95 % CI.
     */
    baseline: z
      .string()
      .min(1)
      .max(2000)
      .transform((v, ctx) => {
        const parsed = parseBaseline(v);
        if (!parsed) {
          ctx.addIssue({ code: 'custom', message: 'write the baseline as axis=label pairs joined by ";" or as a JSON object of labels' });
          return z.NEVER;
        }
        return parsed;
      })
      .optional(),
  })
  .strict();

function parseBaseline(v: string): Record<string, string> | null {
  if (v.trimStart().startsWith('{')) {
    try {
      const o = JSON.parse(v) as unknown;
      if (!o || typeof o !== 'object' || Array.isArray(o)) return null;
      const entries = Object.entries(o as Record<string, unknown>);
      if (!entries.length || entries.some(([, x]) => typeof x !== 'string' && typeof x !== 'number')) return null;
      return Object.fromEntries(entries.map(([k, x]) => [k, String(x)]));
    } catch {
      return null;
    }
  }
  const pairs = v.split(';').map((p) => p.split('='));
  if (pairs.some((p) => p.length < 2 || !p[0])) return null;
  return Object.fromEntries(pairs.map(([k, ...rest]) => [k!, rest.join('=')]));
}
