// The final evaluation report from softmax scores [N,C] and labels: confusion matrix (rows = true), per-class
// precision/recall, ROC per class / micro / macro and PR with average precision, each as scikit-learn 1.2 computes it
// (roc_auc_score and average_precision_score with one-hot targets, average='micro'|'macro'), plus the study's macro ROC
// curve (every class's tpr interpolated at the union of their fprs, then averaged; seed-recipe §7).
// Where sklearn raises (AUC of a class without positives or without negatives) the class's AUC is null and macro
// AUC averages the others; AP of a class without positives is 0, as sklearn 1.2 returns it.
import { argmaxRows, confusionMatrix, perClassPrecisionRecall } from './confusion.js';
import { auc, averagePrecisionOf, binaryClfCurve, interp, prFromClf, rocFromClf } from './ranking.js';

export interface Curve {
  x: number[];
  y: number[];
}

export interface EvaluationReport {
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
  curves: {
    /** Per-class ROC (fpr → tpr), micro over all (sample, class) pairs, and the study's interpolated macro curve. */
    roc: (Curve | null)[];
    rocMicro: Curve;
    rocMacro: Curve & { auc: number };
    /** Micro-averaged PR curve (recall → precision), the one the study plots. */
    prMicro: Curve;
  };
}

const column = (scores: ArrayLike<number>, n: number, classes: number, c: number) =>
  Float64Array.from({ length: n }, (_, i) => scores[i * classes + c]!);
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

export function evaluationReport(scores: ArrayLike<number>, labels: ArrayLike<number>, classes: number): EvaluationReport {
  const n = labels.length;
  const pred = argmaxRows(scores, n, classes);
  const cm = confusionMatrix(labels, pred, classes);
  const pc = perClassPrecisionRecall(cm, classes);
  const onehot = new Uint8Array(n * classes);
  for (let i = 0; i < n; i++) onehot[i * classes + labels[i]!] = 1;

  const roc: (Curve | null)[] = [];
  const rocAuc: (number | null)[] = [];
  const ap: number[] = [];
  for (let c = 0; c < classes; c++) {
    const pos = column(onehot, n, classes, c);
    const s = column(scores, n, classes, c);
    const defined = pc.support[c]! > 0 && pc.support[c]! < n;
    const clf = binaryClfCurve(pos, s);
    const r = rocFromClf(clf);
    roc.push(defined ? { x: [...r.fpr], y: [...r.tpr] } : null);
    rocAuc.push(defined ? auc(r.fpr, r.tpr) : null);
    ap.push(averagePrecisionOf(prFromClf(clf)));
  }
  const microClf = binaryClfCurve(onehot, scores);
  const micro = rocFromClf(microClf);
  const prMicro = prFromClf(microClf);

  // The study's macro curve: all_fpr = unique(concat fpr_i); mean_tpr = Σ interp(all_fpr, fpr_i, tpr_i) / C.
  const defined = roc.filter((r): r is Curve => r !== null);
  const allFpr = Float64Array.from(new Set(defined.flatMap((r) => r.x))).sort();
  const meanTpr = new Float64Array(allFpr.length);
  for (const r of defined) {
    const t = interp(allFpr, r.x, r.y);
    for (let i = 0; i < t.length; i++) meanTpr[i]! += t[i]!;
  }
  for (let i = 0; i < meanTpr.length; i++) meanTpr[i]! /= defined.length;

  const microDefined = n > 0 && classes > 1;
  return {
    classes,
    n,
    confusion: [...cm],
    ...pc,
    rocAuc,
    rocAucMicro: microDefined ? auc(micro.fpr, micro.tpr) : null,
    rocAucMacro: mean(rocAuc.filter((a): a is number => a !== null)),
    averagePrecision: ap,
    apMicro: microDefined ? averagePrecisionOf(prMicro) : null,
    apMacro: mean(ap),
    curves: {
      roc,
      rocMicro: { x: [...micro.fpr], y: [...micro.tpr] },
      rocMacro: { x: [...allFpr], y: [...meanTpr], auc: defined.length ? auc(allFpr, meanTpr) : NaN },
      prMicro: { x: [...prMicro.recall], y: [...prMicro.precision] },
    },
  };
}

/** Thins a curve to at most `max` points for storage, keeping both ends (areas are computed before thinning). */
export function thinCurve(c: Curve, max = 1000): Curve {
  if (c.x.length <= max) return c;
  const idx = Array.from({ length: max }, (_, k) => Math.round((k * (c.x.length - 1)) / (max - 1)));
  return { x: idx.map((i) => c.x[i]!), y: idx.map((i) => c.y[i]!) };
}
