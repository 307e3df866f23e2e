// The leaderboard builder: finished trials from any sweep grouped by configuration (the config without its seed),
// ranked by their mean over seeds with a 95 % t interval and n; a configuration whose interval overlaps the one ranked
// just above it is flagged as tied with it. Pure.
import { mean, meanInterval, sampleStd } from './statistics.js';

export interface LeaderboardTrial {
  groupKey: string;
  seed: number;
  config: Record<string, unknown>;
  value: number;
}

export interface LeaderboardEntry {
  rank: number;
  groupKey: string;
  /** The configuration without its seed. */
  config: Record<string, unknown>;
  summary: string;
  n: number;
  seeds: number[];
  mean: number;
  std: number | null;
  /** 95 % t interval of the mean; null below two seeds. */
  ci: { low: number; high: number } | null;
  /** Its interval overlaps the one ranked just above (or either has fewer than two seeds and the means are equal). */
  tiedWithAbove: boolean;
}

/** A one-line description: model, optimizer and lr, schedule, augmentation, loss, epochs, dataset. */
export function describeConfig(c: Record<string, unknown>): string {
  const name = (v: unknown) => (v && typeof v === 'object' ? String((v as { name?: unknown }).name ?? '') : String(v ?? ''));
  const opt = c.optimizer as { name?: string; lr?: number } | undefined;
  const aug = c.augmentation;
  const augName = Array.isArray(aug) ? aug.map(name).join('+') : name(aug);
  return [
    name(c.model),
    `${name(opt)}${opt?.lr !== undefined ? ` lr=${opt.lr}` : ''}`,
    name(c.schedule),
    augName && `aug=${augName}`,
    name(c.loss),
    c.epochs !== undefined ? `${c.epochs} ep` : '',
    name(c.dataset),
  ]
    .filter(Boolean)
    .join(', ');
}

/** A configuration's place before its config is attached (the route ranks every group, then reads configs of one page). */
export type RankedConfig = Omit<LeaderboardEntry, 'config' | 'summary'>;

/** Groups by configuration, ranks by mean (ties: more seeds first, then group key), flags overlapping intervals. */
export function rankConfigurations(trials: readonly Omit<LeaderboardTrial, 'config'>[], opts: { better: 'higher' | 'lower' }): RankedConfig[] {
  const groups = new Map<string, Omit<LeaderboardTrial, 'config'>[]>();
  for (const t of trials) {
    if (!groups.has(t.groupKey)) groups.set(t.groupKey, []);
    groups.get(t.groupKey)!.push(t);
  }
  const entries: RankedConfig[] = [...groups.entries()].map(([groupKey, ts]) => {
    const values = ts.map((t) => t.value);
    const ci = meanInterval(values);
    return {
      rank: 0,
      groupKey,
      n: values.length,
      seeds: ts.map((t) => t.seed).sort((a, b) => a - b),
      mean: mean(values),
      std: values.length > 1 ? sampleStd(values) : null,
      ci: ci && { low: ci.low, high: ci.high },
      tiedWithAbove: false,
    };
  });
  const sign = opts.better === 'higher' ? -1 : 1;
  entries.sort((a, b) => sign * (a.mean - b.mean) || b.n - a.n || a.groupKey.localeCompare(b.groupKey));
  entries.forEach((e, i) => {
    e.rank = i + 1;
    const above = entries[i - 1];
    if (!above) return;
    e.tiedWithAbove = above.ci && e.ci ? e.ci.high >= above.ci.low && e.ci.low <= above.ci.high : above.mean === e.mean;
  });
  return entries;
}

/** An entry with its configuration (the trial's config without its seed) and one-line summary. */
export function withConfig(r: RankedConfig, trialConfig: Record<string, unknown>): LeaderboardEntry {
  const { seed: _s, ...config } = trialConfig;
  return { ...r, config, summary: describeConfig(config) };
}

export function buildLeaderboard(trials: LeaderboardTrial[], opts: { better: 'higher' | 'lower' }): LeaderboardEntry[] {
  const configs = new Map(trials.map((t) => [t.groupKey, t.config]));
  return rankConfigurations(trials, opts).map((r) => withConfig(r, configs.get(r.groupKey)!));
}
