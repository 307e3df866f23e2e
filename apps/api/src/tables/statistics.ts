// Statistics for ablation tables: mean ± sample std, Student's t quantiles (any real degrees of freedom), and the 95 %
// confidence interval of a row's difference from a baseline — paired by seed when both rows have the same seeds, Welch's
// unequal-variance interval otherwise (Welch 1947; the Welch–Satterthwaite degrees of freedom). Pure functions.

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Sample standard deviation (n − 1); NaN below two values. */
export function sampleStd(xs: readonly number[]): number {
  if (xs.length < 2) return Number.NaN;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error below 1e-15). */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
    9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularized incomplete beta function I_x(a, b), by its continued fraction (modified Lentz). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  const tiny = 1e-300;
  let f = 1;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  f = d;
  for (let m = 1; m <= 500; m++) {
    for (const numerator of [(m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)), -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))]) {
      d = 1 + numerator * d;
      if (Math.abs(d) < tiny) d = tiny;
      c = 1 + numerator / c;
      if (Math.abs(c) < tiny) c = tiny;
      d = 1 / d;
      f *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-15) break;
  }
  return (front * f) / a;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom (df > 0, not necessarily an integer). */
export function tCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The t with P(T ≤ t) = p (0 < p < 1), by bisection on the CDF to 1e-12. */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return Number.NaN;
  if (p < 0.5) return -tQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (tCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (tCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface Interval {
  estimate: number;
  low: number;
  high: number;
  df: number;
}

/** The confidence interval of a mean (t interval); null below two values. */
export function meanInterval(xs: readonly number[], level = 0.95): Interval | null {
  if (xs.length < 2) return null;
  const m = mean(xs);
  const half = tQuantile(0.5 + level / 2, xs.length - 1) * (sampleStd(xs) / Math.sqrt(xs.length));
  return { estimate: m, low: m - half, high: m + half, df: xs.length - 1 };
}

export interface Sample {
  seeds: readonly number[];
  values: readonly number[];
}

export interface Difference extends Interval {
  /** 'paired': both rows have the same seeds, the interval is of the per-seed differences; 'welch' otherwise. */
  method: 'paired' | 'welch';
  /** The interval lies entirely above or below 0. */
  excludesZero: boolean;
}

/**
 * row − baseline with its confidence interval: paired by seed when both have exactly the same seeds (at least two),
 * else Welch's interval (each needs two values). Null when neither applies (a row with fewer than two seeds).
 */
export function differenceFromBaseline(row: Sample, baseline: Sample, level = 0.95): Difference | null {
  const q = (df: number) => tQuantile(0.5 + level / 2, df);
  const same = row.seeds.length === baseline.seeds.length && row.seeds.every((s) => baseline.seeds.includes(s));
  let out: Omit<Difference, 'excludesZero'> | null = null;
  if (same && row.seeds.length >= 2) {
    const base = new Map(baseline.seeds.map((s, i) => [s, baseline.values[i]!]));
    const diffs = row.seeds.map((s, i) => row.values[i]! - base.get(s)!);
    const d = mean(diffs);
    const df = diffs.length - 1;
    const half = q(df) * (sampleStd(diffs) / Math.sqrt(diffs.length));
    out = { method: 'paired', estimate: d, low: d - half, high: d + half, df };
  } else if (row.values.length >= 2 && baseline.values.length >= 2) {
    const v1 = sampleStd(row.values) ** 2 / row.values.length;
    const v2 = sampleStd(baseline.values) ** 2 / baseline.values.length;
    const d = mean(row.values) - mean(baseline.values);
    const se = Math.sqrt(v1 + v2);
    // Welch–Satterthwaite; when both samples are constant the interval is the point itself.
    const df = se === 0 ? Number.POSITIVE_INFINITY : (v1 + v2) ** 2 / (v1 ** 2 / (row.values.length - 1) + v2 ** 2 / (baseline.values.length - 1));
    const half = se === 0 ? 0 : q(df) * se;
    out = { method: 'welch', estimate: d, low: d - half, high: d + half, df };
  }
  return out && { ...out, excludesZero: out.low > 0 || out.high < 0 };
}
