// The final metrics a sweep table and the leaderboard can rank by, with their titles: TABLE_METRICS of
// apps/api/src/tables/metrics.ts (apps/api/test/dashboard.test.ts checks that the two agree).
export const METRIC_TITLES = {
  testTop1: 'top-1 (%)',
  top1: 'top-1 (%, with TTA where used)',
  bestTop1: 'best top-1 (%)',
  testTop5: 'top-5 (%)',
  ttaTop1: 'TTA top-1 (%)',
  testLoss: 'test loss',
  rocAucMacro: 'ROC AUC (macro)',
  rocAucMicro: 'ROC AUC (micro)',
  apMacro: 'AP (macro)',
  apMicro: 'AP (micro)',
  suggestedLr: 'suggested lr (LR range test)',
} as const;

export type MetricName = keyof typeof METRIC_TITLES;

/** Options of a metric `<select>`: the name as value, the title as label. */
export const METRIC_OPTIONS = Object.entries(METRIC_TITLES).map(([value, label]) => ({ value, label }));
