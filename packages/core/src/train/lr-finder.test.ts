// The LR range test: exponential lr per step, bias-corrected EMA smoothing, the divergence stop, and the stated
// suggestion rule (checked against test/lr-range-rule.ts, the rule written out independently); reported as an artifact.
import { TrialConfig } from '@ablate/spec';
import { describe, expect, it } from 'vitest';
import { lrRangeRule } from '../../test/lr-range-rule.js';
import { lrFinder, suggestLr } from './lr-finder.js';
import type { Artifact, LrFinderPoint } from './types.js';

const finder = (over: Record<string, unknown>) =>
  TrialConfig.parse({
    kind: 'lr_finder',
    dataset: { name: 'procedural', classes: 4, trainSize: 256, testSize: 32, imageSize: 8 },
    model: { name: 'tiny_cnn', width: 4 },
    optimizer: { name: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 1e-4 },
    epochs: 1,
    batchSize: 32,
    seed: 2,
    ...over,
  });

describe('LR range test', () => {
  it('sweeps lr exponentially over epochs of data, smooths the loss, and suggests the steepest descent', async () => {
    const config = finder({ lrFinder: { startLr: 1e-4, endLr: 1, iterations: 20, skipStart: 2, skipEnd: 2, divergeFactor: 1e6 } });
    const artifacts: Artifact[] = [];
    const r = await lrFinder(config, { backend: 'wasm', loaderWorkers: 0, onArtifact: (a) => void artifacts.push(a) });
    // 20 steps over 8 batches per epoch: the run continues into epochs 2 and 3.
    expect(r.points.length).toBe(20);
    expect(r.final.diverged).toBe(0);
    // The rule recomputed from the raw losses (test/lr-range-rule.ts, not the engine's suggestLr).
    const rule = lrRangeRule(r.points, { smoothing: 0.98, skipStart: 2, skipEnd: 2 });
    for (const [k, p] of r.points.entries()) {
      expect(p.lr, `lr ${k + 1}`).toBeCloseTo(1e-4 * (1 / 1e-4) ** ((k + 1) / 20), 15);
      expect(p.smoothed, `smoothed ${k + 1}`).toBeCloseTo(rule.smoothed[k]!, 12);
    }
    expect(r.points[19]!.lr).toBeCloseTo(1, 12);
    expect(rule.kept).toEqual(Array.from({ length: 16 }, (_, k) => k + 2));
    expect(r.final.suggestedLr, `steepest at point ${rule.steepestIndex + 1}`).toBe(rule.suggestedLr);
    expect(r.final.minLossLr).toBe(rule.minLossLr);
    expect(r.final.minSmoothedLoss).toBe(rule.minSmoothedLoss);
    expect(artifacts.map((a) => a.kind)).toEqual(['lr_finder']);
    const trace = artifacts[0]!.data as { suggestedLr: number; points: LrFinderPoint[] };
    expect(trace.points).toEqual(r.points);
    expect(trace.suggestedLr).toBe(rule.suggestedLr);
  });

  it('stops when the smoothed loss exceeds divergeFactor × its minimum', async () => {
    const config = finder({ model: 'mlp', optimizer: { name: 'sgd', momentum: 0.9 }, lrFinder: { startLr: 1e-3, endLr: 1e5, iterations: 60 } });
    const r = await lrFinder(config, { backend: 'wasm', loaderWorkers: 0 });
    expect(r.final.diverged).toBe(1);
    expect(r.points.length).toBeLessThan(60);
    const last = r.points.at(-1)!;
    const best = Math.min(...r.points.slice(0, -1).map((p) => p.smoothed));
    expect(!Number.isFinite(last.smoothed) || last.smoothed > 4 * best).toBe(true);
    // The suggestion on a diverged trace (defaults skip 10 and 5) is still the rule's.
    const rule = lrRangeRule(r.points, { smoothing: 0.98, skipStart: 10, skipEnd: 5 });
    expect(r.final.suggestedLr, `steepest at point ${rule.steepestIndex + 1}`).toBe(rule.suggestedLr);
    expect(r.final.minLossLr).toBe(rule.minLossLr);
  });

  it('suggestion rule: the most negative slope of the smoothed loss per decade, inside the kept range', () => {
    // A loss that falls fastest at lr = 1e-3 (logistic in log10 lr); noise-free.
    const points: LrFinderPoint[] = Array.from({ length: 61 }, (_, k) => {
      const lr = 10 ** (-6 + k * 0.1);
      const smoothed = 1 / (1 + Math.exp(3 * (Math.log10(lr) + 3))) + 0.1;
      return { iteration: k + 1, lr, loss: smoothed, smoothed };
    });
    const s = suggestLr(points, 10, 5);
    expect(Math.log10(s.suggestedLr)).toBeCloseTo(-3, 6);
    expect(s.minLossLr).toBe(points[55]!.lr);
    // The test's own rewrite of the rule (used on real traces above) finds the same known point.
    expect(Math.log10(lrRangeRule(points, { smoothing: 0, skipStart: 10, skipEnd: 5 }).suggestedLr)).toBeCloseTo(-3, 6);
    // With the steep part skipped, the suggestion moves inside what is left.
    expect(Math.log10(suggestLr(points, 40, 5).suggestedLr)).toBeCloseTo(-2, 6);
  });
});
