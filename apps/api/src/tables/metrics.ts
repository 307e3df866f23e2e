// The metrics an ablation table can show, read from each trial's final metrics: how to title and print each one.
import type { SweepRow } from '@ablate/db';

export interface TableMetric {
  title: string;
  /** Printed as a percentage (accuracies) rather than a plain number (losses, AUC, AP). */
  percent: boolean;
  /** Which way is better (the LaTeX table bolds the best cell of each column); null when neither is. */
  better?: 'higher' | 'lower' | null;
  value(final: Record<string, number>): number | undefined;
}

const field = (k: string, title: string, percent: boolean): TableMetric => ({ title, percent, value: (f) => f[k] });

export const TABLE_METRICS = {
  testTop1: field('testTop1', 'top-1 (%)', true),
  top1: { title: 'top-1 (%, with TTA where used)', percent: true, value: (f) => f.ttaTop1 ?? f.testTop1 },
  bestTop1: field('bestTop1', 'best top-1 (%)', true),
  testTop5: field('testTop5', 'top-5 (%)', true),
  ttaTop1: field('ttaTop1', 'TTA top-1 (%)', true),
  testLoss: { ...field('testLoss', 'test loss', false), better: 'lower' },
  rocAucMacro: field('rocAucMacro', 'ROC AUC (macro)', false),
  rocAucMicro: field('rocAucMicro', 'ROC AUC (micro)', false),
  apMacro: field('apMacro', 'AP (macro)', false),
  apMicro: field('apMicro', 'AP (micro)', false),
  suggestedLr: { ...field('suggestedLr', 'suggested lr (LR range test)', false), better: null },
} satisfies Record<string, TableMetric>;

export type TableMetricName = keyof typeof TABLE_METRICS;
export const TABLE_METRIC_NAMES = Object.keys(TABLE_METRICS) as [TableMetricName, ...TableMetricName[]];

export function metricValue(row: SweepRow, metric: TableMetricName): number | null {
  if (!row.finalMetrics) return null;
  const v = (TABLE_METRICS[metric] as TableMetric).value(row.finalMetrics);
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
