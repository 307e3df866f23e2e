// A trial's plot data: its row, its epoch metrics and the artifacts the worker stored, in the shapes
// packages/core writes them (metrics/report.ts evaluationReport, train/train.ts emitReport, train/lr-finder.ts).
import type { Db } from '@ablate/db';
import { classNames } from '../class-names.js';
import { PlotDataMissingError } from '../errors.js';

export type TrialSource = 'epochs' | 'evaluation' | 'curves' | 'lr_finder';

export interface EpochRow {
  epoch: number;
  trainLoss: number;
  trainAcc: number;
  testLoss: number;
  testTop1: number;
  testTop5: number;
  /** lr at the last step of the epoch. */
  lr: number;
}

/** JSON turns NaN into null: rates of a class without positives or negatives are null. */
export interface StoredCurve {
  x: (number | null)[];
  y: (number | null)[];
}

/** Artifact 'evaluation': the final evaluation report without its curves (EvaluationReport less `curves`). */
export interface EvaluationArtifact {
  classes: number;
  n: number;
  /** Row-major C×C, rows = true class. */
  confusion: number[];
  precision: number[];
  recall: number[];
  support: number[];
  rocAuc: (number | null)[];
  rocAucMicro: number | null;
  rocAucMacro: number | null;
  averagePrecision: number[];
  apMicro: number | null;
  apMacro: number | null;
  /** Not written today; used for the axes when a worker stores them. */
  classNames?: string[];
}

/** Artifact 'curves': ROC per class (null where undefined), micro and the interpolated macro ROC, micro PR; thinned. */
export interface CurvesArtifact {
  roc: (StoredCurve | null)[];
  rocMicro: StoredCurve;
  rocMacro: StoredCurve & { auc: number | null };
  /** recall → precision. */
  prMicro: StoredCurve;
}

/** Artifact 'lr_finder': the LR range test's trace and suggestion. */
export interface LrFinderArtifact {
  rule: string;
  options: { startLr: number; endLr: number; iterations: number; smoothing: number; divergeFactor: number; skipStart: number; skipEnd: number };
  suggestedLr: number | null;
  minLossLr: number | null;
  minSmoothedLoss: number | null;
  iterations: number;
  diverged: number;
  points: { iteration: number; lr: number; loss: number | null; smoothed: number | null }[];
}

export interface TrialPlotData {
  id: string;
  status: string;
  kind: string;
  /** One line naming the trial: model, dataset, optimizer, seed. */
  label: string;
  dataset: string | undefined;
  /** The lr schedule's name (constant, step, warmup_cosine, …). */
  schedule: string | undefined;
  epochs: EpochRow[];
  evaluation?: EvaluationArtifact;
  curves?: CurvesArtifact;
  lrFinder?: LrFinderArtifact;
}

export interface TrialRow {
  id: string;
  status: string;
  config: unknown;
  updatedAt: Date;
}

export async function findTrial(db: Db, id: string): Promise<TrialRow | null> {
  return db.trial.findUnique({ where: { id }, select: { id: true, status: true, config: true, updatedAt: true } });
}

/** Loads what `reads` names for a trial already fetched. */
export async function loadTrialPlotData(db: Db, trial: TrialRow, reads: readonly TrialSource[]): Promise<TrialPlotData> {
  const kinds = reads.filter((r) => r !== 'epochs');
  const [epochs, artifacts] = await Promise.all([
    reads.includes('epochs')
      ? db.epochMetric.findMany({
          where: { trialId: trial.id },
          orderBy: { epoch: 'asc' },
          select: { epoch: true, trainLoss: true, trainAcc: true, testLoss: true, testTop1: true, testTop5: true, lr: true },
        })
      : [],
    kinds.length ? db.artifact.findMany({ where: { trialId: trial.id, kind: { in: kinds } }, select: { kind: true, data: true } }) : [],
  ]);
  const byKind = new Map(artifacts.map((a) => [a.kind, a.data]));
  const config = (trial.config ?? {}) as Record<string, unknown>;
  return {
    id: trial.id,
    status: trial.status,
    kind: typeof config.kind === 'string' ? config.kind : 'train',
    label: trialLabel(config),
    dataset: nameOf(config.dataset),
    schedule: nameOf(config.schedule),
    epochs,
    evaluation: (byKind.get('evaluation') ?? undefined) as EvaluationArtifact | undefined,
    curves: (byKind.get('curves') ?? undefined) as CurvesArtifact | undefined,
    lrFinder: (byKind.get('lr_finder') ?? undefined) as LrFinderArtifact | undefined,
  };
}

/** The class names of a trial's evaluation (see class-names.ts). */
export function trialClassNames(d: TrialPlotData, e: EvaluationArtifact): string[] {
  return classNames(e.classes, d.dataset, e.classNames);
}

/** The error for a plot whose data the trial lacks: `what` it needs, and why it is not there. */
export function missing(d: TrialPlotData, plot: string, what: string): PlotDataMissingError {
  let why: string;
  if (d.status === 'queued' || d.status === 'running') why = `it is ${d.status}; try again once it has finished`;
  else if (d.kind === 'lr_finder' && what !== 'an LR range test trace') why = `it is an LR range test (see its lr_finder plot)`;
  else if (d.kind !== 'lr_finder' && what === 'an LR range test trace') why = `it is not an LR range test (a trial of kind 'lr_finder' is)`;
  else why = `it ended ${d.status} without it`;
  return new PlotDataMissingError(`the ${plot} plot needs ${what}; trial ${d.id} has none: ${why}`);
}

function nameOf(c: unknown): string | undefined {
  if (typeof c === 'string') return c;
  if (c && typeof c === 'object' && typeof (c as { name?: unknown }).name === 'string') return (c as { name: string }).name;
  return undefined;
}

function trialLabel(config: Record<string, unknown>): string {
  const opt = config.optimizer as { lr?: number } | undefined;
  const parts = [
    nameOf(config.model),
    nameOf(config.dataset) && `on ${nameOf(config.dataset)}`,
    nameOf(config.optimizer) && `${nameOf(config.optimizer)}${typeof opt?.lr === 'number' ? ` lr ${opt.lr}` : ''}`,
    typeof config.seed === 'number' && `seed ${config.seed}`,
  ];
  return parts.filter(Boolean).join(', ');
}
