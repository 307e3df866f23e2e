// Binary ranking curves exactly as scikit-learn 1.2 computes them (sklearn/metrics/_ranking.py): thresholds at each
// distinct score, ties counted together, ROC with drop_intermediate and a first threshold of max+1, PR curve reversed
// with a final (recall 0, precision 1) point, AP = −Σ Δrecall·precision, AUC by the trapezoid rule (np.trapz).

export interface ClfCurve {
  /** Negatives / positives scored ≥ thresholds[i]. */
  fps: Float64Array;
  tps: Float64Array;
  /** Distinct scores, decreasing. */
  thresholds: Float64Array;
}

/** sklearn's _binary_clf_curve. `positive[i]` is 1 for a positive sample. */
export function binaryClfCurve(positive: ArrayLike<number>, scores: ArrayLike<number>): ClfCurve {
  const n = scores.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[b]! - scores[a]!);
  const fps: number[] = [];
  const tps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    tp += positive[i] ? 1 : 0;
    if (k === n - 1 || scores[order[k + 1]!] !== scores[i]) {
      tps.push(tp);
      fps.push(k + 1 - tp);
      thresholds.push(scores[i]!);
    }
  }
  return { fps: Float64Array.from(fps), tps: Float64Array.from(tps), thresholds: Float64Array.from(thresholds) };
}

export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  thresholds: Float64Array;
}

/** sklearn.metrics.roc_curve(y, s, drop_intermediate=True). NaN rates where a class has no negatives/positives (as sklearn). */
export function rocCurve(positive: ArrayLike<number>, scores: ArrayLike<number>, dropIntermediate = true): RocCurve {
  return rocFromClf(binaryClfCurve(positive, scores), dropIntermediate);
}

/** roc_curve from an already computed _binary_clf_curve (one sort serves ROC, PR and AP). */
export function rocFromClf(clf: ClfCurve, dropIntermediate = true): RocCurve {
  let { fps, tps, thresholds } = clf;
  if (dropIntermediate && fps.length > 2) {
    const keep: number[] = [0];
    for (let i = 1; i < fps.length - 1; i++) {
      // np.diff(·, 2) ≠ 0: the point is a corner, not inside a straight run.
      if (fps[i + 1]! - 2 * fps[i]! + fps[i - 1]! !== 0 || tps[i + 1]! - 2 * tps[i]! + tps[i - 1]! !== 0) keep.push(i);
    }
    keep.push(fps.length - 1);
    fps = Float64Array.from(keep, (i) => fps[i]!);
    tps = Float64Array.from(keep, (i) => tps[i]!);
    thresholds = Float64Array.from(keep, (i) => thresholds[i]!);
  }
  const m = fps.length + 1;
  const fpr = new Float64Array(m);
  const tpr = new Float64Array(m);
  const th = new Float64Array(m);
  const negatives = fps[fps.length - 1]!;
  const positives = tps[tps.length - 1]!;
  th[0] = thresholds[0]! + 1;
  for (let i = 1; i < m; i++) {
    fpr[i] = negatives > 0 ? fps[i - 1]! / negatives : NaN;
    tpr[i] = positives > 0 ? tps[i - 1]! / positives : NaN;
    th[i] = thresholds[i - 1]!;
  }
  if (!(negatives > 0)) fpr[0] = NaN;
  if (!(positives > 0)) tpr[0] = NaN;
  return { fpr, tpr, thresholds: th };
}

/** sklearn.metrics.auc: trapezoid area under y(x), x monotonic (either direction). */
export function auc(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let increasing = true;
  let decreasing = true;
  for (let i = 1; i < x.length; i++) {
    if (x[i]! < x[i - 1]!) increasing = false;
    if (x[i]! > x[i - 1]!) decreasing = false;
  }
  if (!increasing && !decreasing) throw new Error('auc: x is neither increasing nor decreasing');
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!)) / 2;
  return increasing ? area : -area;
}

export interface PrCurve {
  /** Decreasing recall order, ending with precision 1 at recall 0 (sklearn's convention). */
  precision: Float64Array;
  recall: Float64Array;
  thresholds: Float64Array;
}

/** sklearn.metrics.precision_recall_curve (1.2): every distinct threshold; recall 1 everywhere when there is no positive. */
export function precisionRecallCurve(positive: ArrayLike<number>, scores: ArrayLike<number>): PrCurve {
  return prFromClf(binaryClfCurve(positive, scores));
}

/** precision_recall_curve from an already computed _binary_clf_curve. */
export function prFromClf(clf: ClfCurve): PrCurve {
  const { fps, tps, thresholds } = clf;
  const n = tps.length;
  const positives = tps[n - 1]!;
  const precision = new Float64Array(n + 1);
  const recall = new Float64Array(n + 1);
  const th = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = n - 1 - k;
    const ps = tps[i]! + fps[i]!;
    precision[k] = ps !== 0 ? tps[i]! / ps : 0;
    recall[k] = positives === 0 ? 1 : tps[i]! / positives;
    th[k] = thresholds[i]!;
  }
  precision[n] = 1;
  recall[n] = 0;
  return { precision, recall, thresholds: th };
}

/** sklearn.metrics.average_precision_score for one binary problem: −Σ (r[k+1]−r[k])·p[k]. */
export function averagePrecision(positive: ArrayLike<number>, scores: ArrayLike<number>): number {
  return averagePrecisionOf(precisionRecallCurve(positive, scores));
}

/** average_precision_score from its precision-recall curve. */
export function averagePrecisionOf({ precision, recall }: PrCurve): number {
  let ap = 0;
  for (let k = 0; k + 1 < recall.length; k++) ap -= (recall[k + 1]! - recall[k]!) * precision[k]!;
  return ap;
}

/** np.interp(x, xp, fp) for increasing xp that may repeat: the last xp[j] ≤ x gives fp[j] on equality, else the segment j..j+1. */
export function interp(x: ArrayLike<number>, xp: ArrayLike<number>, fp: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length);
  const n = xp.length;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v < xp[0]!) out[i] = fp[0]!;
    else if (v > xp[n - 1]!) out[i] = fp[n - 1]!;
    else {
      let lo = 0;
      let hi = n; // first index with xp > v
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (v >= xp[mid]!) lo = mid + 1;
        else hi = mid;
      }
      const j = lo - 1;
      if (j === n - 1 || xp[j] === v) out[i] = fp[j]!;
      else out[i] = ((fp[j + 1]! - fp[j]!) / (xp[j + 1]! - xp[j]!)) * (v - xp[j]!) + fp[j]!;
    }
  }
  return out;
}
