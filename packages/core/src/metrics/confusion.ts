// Confusion matrix with rows = true class and columns = predicted class (sklearn.metrics.confusion_matrix(y_true, y_pred);
// the study passes the arguments swapped, seed-recipe §7), and per-class precision/recall as
// precision_recall_fscore_support(zero_division=0).

/** Row-major C×C counts: cm[t·C + p] = samples of true class t predicted as p. */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, classes: number): Int32Array {
  const cm = new Int32Array(classes * classes);
  for (let i = 0; i < yTrue.length; i++) cm[yTrue[i]! * classes + yPred[i]!]! += 1;
  return cm;
}

export interface PerClass {
  precision: number[];
  recall: number[];
  /** True samples per class. */
  support: number[];
}

/** Precision = TP/(TP+FP) (column), recall = TP/(TP+FN) (row); 0 where undefined, as sklearn with zero_division=0. */
export function perClassPrecisionRecall(cm: Int32Array, classes: number): PerClass {
  const precision: number[] = [];
  const recall: number[] = [];
  const support: number[] = [];
  for (let c = 0; c < classes; c++) {
    let row = 0;
    let col = 0;
    for (let k = 0; k < classes; k++) {
      row += cm[c * classes + k]!;
      col += cm[k * classes + c]!;
    }
    const tp = cm[c * classes + c]!;
    precision.push(col ? tp / col : 0);
    recall.push(row ? tp / row : 0);
    support.push(row);
  }
  return { precision, recall, support };
}

/** Index of the largest score in each row; the first one on ties (np.argmax). */
export function argmaxRows(scores: ArrayLike<number>, n: number, classes: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (scores[i * classes + c]! > scores[i * classes + best]!) best = c;
    out[i] = best;
  }
  return out;
}
