// The look every plot shares: one font (the one the PNG renderer loads), white background, and the series colours.
import type { Config } from 'vega-lite';

export const FONT_FAMILY = 'DejaVu Sans';

/** Tableau 10, vega's default categorical scheme: named here where a colour means something across plots. */
export const COLORS = {
  train: '#4c78a8',
  test: '#f58518',
  bar: '#4c78a8',
  baseline: '#e45756',
  rule: '#e45756',
  micro: '#222222',
  macro: '#e45756',
  perClass: '#9aa5b1',
  chance: '#888888',
} as const;

export const config: Config = {
  font: FONT_FAMILY,
  background: 'white',
  padding: 8,
  title: { fontSize: 14, anchor: 'start', subtitleFontSize: 11, subtitleColor: '#555555' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 11, labelLimit: 260 },
};
