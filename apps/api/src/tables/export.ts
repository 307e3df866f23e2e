// Long-format exports: one CSV line per trial × epoch with every axis label and every config field as a column (the
// shape pandas and R read straight into a data frame), and one trial's epochs. Pure formatting of rows fetched by the route.
import { csvCell } from './format.js';

export const EPOCH_FIELDS = ['epoch', 'trainLoss', 'trainAcc', 'testLoss', 'testTop1', 'testTop5', 'lr', 'seconds', 'attempt'] as const;
export type EpochRow = Record<(typeof EPOCH_FIELDS)[number], number>;

/** A nested config as dot-path → leaf (arrays and objects inside arrays as JSON). */
export function flattenConfig(config: unknown, prefix = '', out: Record<string, string | number> = {}): Record<string, string | number> {
  if (config && typeof config === 'object' && !Array.isArray(config)) {
    for (const [k, v] of Object.entries(config as Record<string, unknown>)) flattenConfig(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out[prefix] = typeof config === 'number' || typeof config === 'string' ? config : JSON.stringify(config ?? null);
  }
  return out;
}

export interface ExportTrial {
  trialId: string;
  index: number;
  seed: number;
  status: string;
  labels: Record<string, string>;
  config: unknown;
  epochs: EpochRow[];
}

/** The header: fixed columns, the axes (as `axis:<key>`), the config fields (as `config.<path>`), the epoch fields. */
export function exportHeader(axes: string[], configColumns: string[]): string[] {
  return ['trialId', 'index', 'seed', 'status', ...axes.map((a) => `axis:${a}`), ...configColumns.map((c) => `config.${c}`), ...EPOCH_FIELDS];
}

/** The lines of one trial: one per epoch, or one with empty epoch fields when it has none yet. */
export function exportLines(t: ExportTrial, axes: string[], configColumns: string[]): string {
  const flat = flattenConfig(t.config);
  const head = [t.trialId, t.index, t.seed, t.status, ...axes.map((a) => t.labels[a] ?? ''), ...configColumns.map((c) => flat[c] ?? '')];
  const epochs = t.epochs.length ? t.epochs : [null];
  return `${epochs.map((e) => [...head, ...EPOCH_FIELDS.map((f) => (e ? e[f] : ''))].map(csvCell).join(',')).join('\n')}\n`;
}

export function epochsCsv(epochs: EpochRow[]): string {
  return `${[EPOCH_FIELDS.join(','), ...epochs.map((e) => EPOCH_FIELDS.map((f) => csvCell(e[f])).join(','))].join('\n')}\n`;
}
