// The LR range test's suggestion rule written out again from its documentation (README "LR range test", lr-finder.ts's
// header), independently of the engine, so tests compare the stored suggestion with the rule and not with itself.

export interface LrTracePoint {
  lr: number;
  loss: number;
}

export interface LrRuleOptions {
  /** EMA β (0.98 by default). */
  smoothing: number;
  skipStart: number;
  skipEnd: number;
}

export interface LrRuleResult {
  /** s_i = a_i/(1−β^i), a_i = β·a_{i−1} + (1−β)·loss_i, over every point of the trace (i = 1..N). */
  smoothed: number[];
  /** Trace indices (0-based) the rule used: the finite ones less skipStart/skipEnd, or all if fewer than 3 remain. */
  kept: number[];
  /** Trace index of the steepest descent of s w.r.t. log10(lr), and its lr. */
  steepestIndex: number;
  suggestedLr: number;
  minLossLr: number;
  minSmoothedLoss: number;
}

export function lrRangeRule(trace: readonly LrTracePoint[], o: LrRuleOptions): LrRuleResult {
  const smoothed: number[] = [];
  let a = 0;
  for (const [k, p] of trace.entries()) {
    a = o.smoothing * a + (1 - o.smoothing) * p.loss;
    smoothed.push(a / (1 - o.smoothing ** (k + 1)));
  }
  const finite = trace.map((_, k) => k).filter((k) => Number.isFinite(smoothed[k]));
  let kept = finite.slice(o.skipStart, finite.length - o.skipEnd);
  if (kept.length < 3) kept = finite;
  if (!kept.length) return { smoothed, kept, steepestIndex: -1, suggestedLr: NaN, minLossLr: NaN, minSmoothedLoss: NaN };

  // Slope per decade: central differences inside, one-sided at both ends.
  const x = (j: number) => Math.log10(trace[kept[j]!]!.lr);
  const y = (j: number) => smoothed[kept[j]!]!;
  const n = kept.length;
  const slope = (j: number) => {
    if (n === 1) return 0;
    const [lo, hi] = j === 0 ? [0, 1] : j === n - 1 ? [n - 2, n - 1] : [j - 1, j + 1];
    return (y(hi) - y(lo)) / (x(hi) - x(lo));
  };
  // The first of equal minima, as a scan from low lr to high lr finds it.
  let steep = 0;
  let low = 0;
  for (let j = 1; j < n; j++) {
    if (slope(j) < slope(steep)) steep = j;
    if (y(j) < y(low)) low = j;
  }
  const steepestIndex = kept[steep]!;
  return {
    smoothed,
    kept,
    steepestIndex,
    suggestedLr: trace[steepestIndex]!.lr,
    minLossLr: trace[kept[low]!]!.lr,
    minSmoothedLoss: y(low),
  };
}
