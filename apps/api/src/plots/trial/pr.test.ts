// The per-class PR curve the pr plot derives from stored ROC points and class support is sklearn's PR curve at
// those points; the macro curve's interpolated precision is the best precision at recall ≥ r.
import { describe, expect, it } from 'vitest';
import { precisionRecallCurve, rocCurve } from '../../../../../packages/core/src/metrics/ranking.js';
import type { EvaluationArtifact } from './data.js';
import { interpolatedPrecision, prFromRoc } from './pr.js';

describe('prFromRoc', () => {
  it('gives the same (recall, precision) points as sklearn’s precision_recall_curve', () => {
    let s = 7;
    const rand = () => {
      s = (s * 1664525 + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
    const n = 200;
    const positive = Array.from({ length: n }, (): number => (rand() < 0.3 ? 1 : 0));
    // Scores rounded to 2 decimals: ties, as real softmax outputs have.
    const scores = positive.map((p) => Math.round((rand() + p * 0.4) * 100) / 100);
    const P = positive.reduce((a, b) => a + b, 0);
    const roc = rocCurve(positive, scores, false);
    const e = { n, support: [P] } as unknown as EvaluationArtifact;
    const derived = prFromRoc({ x: [...roc.fpr], y: [...roc.tpr] }, e, 0);
    const pr = precisionRecallCurve(positive, scores);
    const key = (r: number, p: number) => `${r.toFixed(9)} ${p.toFixed(9)}`;
    const want = new Set(Array.from(pr.recall, (r, k) => key(r, pr.precision[k]!)));
    const got = new Set(derived.map((d) => key(d.recall, d.precision)));
    expect(got).toEqual(want);
  });
});

describe('interpolatedPrecision', () => {
  it('takes the best precision at any recall at least r', () => {
    const points = [
      { recall: 0, precision: 1 },
      { recall: 0.5, precision: 0.6 },
      { recall: 0.75, precision: 0.8 },
      { recall: 1, precision: 0.5 },
    ];
    // r = 0.6: points at recall 0.75 (0.8) and 1 (0.5) qualify → 0.8; r = 0.9: only recall 1 → 0.5.
    expect([0, 0.5, 0.6, 0.9, 1].map((r) => interpolatedPrecision(points, r))).toEqual([1, 0.8, 0.8, 0.5, 0.5]);
  });
});
