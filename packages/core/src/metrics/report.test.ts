// The evaluation report against scikit-learn 1.2 on fixed score matrices, ties included (fixtures from
// scripts/fixtures/make_metric_fixtures.py): every curve point, threshold and area.
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/fixtures.js';
import { evaluationReport, thinCurve } from './report.js';
import { precisionRecallCurve, rocCurve } from './ranking.js';

interface Case {
  case: string;
  classes: number;
  scores: number[];
  labels: number[];
  confusion: number[];
  precision: number[];
  recall: number[];
  support: number[];
  rocAuc: (number | null)[];
  rocAucMicro: number;
  rocAucMacro: number;
  averagePrecision: number[];
  apMicro: number;
  apMacro: number;
  roc: ({ fpr: number[]; tpr: number[]; thresholds: number[] } | null)[];
  rocMicro: { fpr: number[]; tpr: number[]; thresholds: number[] };
  prMicro: { precision: number[]; recall: number[]; thresholds: number[] };
  rocMacro: { fpr: number[]; tpr: number[]; auc: number };
}
const fx = fixture<{ sklearn: string; cases: Case[] }>('metrics.json');

const close = (actual: ArrayLike<number>, expected: number[], what: string) => {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!), `${what}[${i}]`).toBeLessThanOrEqual(1e-12);
};

describe.each(fx.cases.map((c) => [c.case, c] as const))('evaluation report equals scikit-learn %s: %s', (_name, c) => {
  const r = evaluationReport(c.scores, c.labels, c.classes);
  const onehot = c.labels.flatMap((y) => Array.from({ length: c.classes }, (_, k) => (k === y ? 1 : 0)));

  it('confusion matrix (rows = true class) and per-class precision/recall/support', () => {
    expect(r.confusion).toEqual(c.confusion);
    close(r.precision, c.precision, 'precision');
    close(r.recall, c.recall, 'recall');
    expect(r.support).toEqual(c.support);
  });

  it('ROC curves point by point (thresholds too) and AUC per class, micro and macro', () => {
    for (let k = 0; k < c.classes; k++) {
      const expected = c.roc[k];
      expect(r.rocAuc[k] === null, `class ${k} defined`).toBe(expected === null);
      if (!expected) continue;
      const ours = rocCurve(
        c.labels.map((y) => (y === k ? 1 : 0)),
        c.scores.filter((_, i) => i % c.classes === k),
      );
      close(ours.fpr, expected.fpr, `roc[${k}].fpr`);
      close(ours.tpr, expected.tpr, `roc[${k}].tpr`);
      close(ours.thresholds, expected.thresholds, `roc[${k}].thresholds`);
      expect(Math.abs(r.rocAuc[k]! - c.rocAuc[k]!)).toBeLessThanOrEqual(1e-12);
    }
    const micro = rocCurve(onehot, c.scores);
    close(micro.fpr, c.rocMicro.fpr, 'micro fpr');
    close(micro.tpr, c.rocMicro.tpr, 'micro tpr');
    close(micro.thresholds, c.rocMicro.thresholds, 'micro thresholds');
    expect(Math.abs(r.rocAucMicro! - c.rocAucMicro)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(r.rocAucMacro! - c.rocAucMacro)).toBeLessThanOrEqual(1e-12);
    close(r.curves.rocMacro.x, c.rocMacro.fpr, 'macro curve fpr');
    close(r.curves.rocMacro.y, c.rocMacro.tpr, 'macro curve tpr');
    expect(Math.abs(r.curves.rocMacro.auc - c.rocMacro.auc)).toBeLessThanOrEqual(1e-12);
  });

  it('PR curve (micro) point by point and average precision per class, micro and macro', () => {
    const pr = precisionRecallCurve(onehot, c.scores);
    close(pr.precision, c.prMicro.precision, 'precision');
    close(pr.recall, c.prMicro.recall, 'recall');
    close(pr.thresholds, c.prMicro.thresholds, 'thresholds');
    close(r.averagePrecision, c.averagePrecision, 'AP per class');
    expect(Math.abs(r.apMicro! - c.apMicro)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(r.apMacro! - c.apMacro)).toBeLessThanOrEqual(1e-12);
  });
});

describe('curve thinning for storage', () => {
  it('keeps both ends and at most the requested points', () => {
    const c = { x: Array.from({ length: 5000 }, (_, i) => i / 4999), y: Array.from({ length: 5000 }, (_, i) => (i / 4999) ** 2) };
    const t = thinCurve(c, 100);
    expect(t.x.length).toBe(100);
    expect([t.x[0], t.x[99], t.y[99]]).toEqual([0, 1, 1]);
  });
});
