// Renders a plot headless: vega-lite spec → vega → SVG string (vega's View with renderer 'none', no canvas), and the
// SVG → PNG with resvg, its text set in DejaVu Sans (the font the vega config names, so SVG and PNG measure alike).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { logger as vegaLogger, parse, View, Warn } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { installTextMetrics } from './text-metrics.js';
import { FONT_FAMILY } from './theme.js';

installTextMetrics();

export const PLOT_FORMATS = ['svg', 'png'] as const;
export type PlotFormat = (typeof PLOT_FORMATS)[number];

export const CONTENT_TYPES: Record<PlotFormat, string> = { svg: 'image/svg+xml; charset=utf-8', png: 'image/png' };

/**
 * Where Debian's fonts-dejavu-core puts DejaVu Sans. resvg loads just these files (scanning every system font costs
 * about 100 ms a render); where they are missing it falls back to the system's fonts.
 */
export const FONT_DIR = '/usr/share/fonts/truetype/dejavu';
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf'].map((f) => join(FONT_DIR, f)).filter((f) => existsSync(f));

/** PNGs are drawn at twice the SVG's size, for high-density screens. */
export const PNG_SCALE = 2;

/** Where vega's and vega-lite's warnings go (the route passes its request logger); errors are thrown. */
export interface RenderLog {
  warn(obj: object, msg: string): void;
}

export async function renderSvg(spec: TopLevelSpec, log?: RenderLog): Promise<string> {
  const logger = vegaLogger(Warn, 'warn', (_method, level, args) => {
    if (level === 'ERROR') throw new Error(args.map(String).join(' '));
    log?.warn({ vega: args.map(String).join(' ') }, 'vega warning');
  });
  const vg = compile(spec, { logger }).spec;
  const view = new View(parse(vg), { renderer: 'none', logger });
  try {
    await view.runAsync();
    // vega numbers clip paths and gradients from a process-wide counter as it writes them: restart it so a plot is
    // always the same bytes (and the same ETag).
    resetSVGDefIds();
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const { resetSVGDefIds } = vega as unknown as { resetSVGDefIds: () => void };

export function svgToPng(svg: string, scale = PNG_SCALE): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: FONT_FILES.length === 0, fontFiles: FONT_FILES, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  });
  return resvg.render().asPng();
}

export async function render(spec: TopLevelSpec, format: PlotFormat, log?: RenderLog): Promise<string | Buffer> {
  const svg = await renderSvg(spec, log);
  return format === 'svg' ? svg : svgToPng(svg);
}
