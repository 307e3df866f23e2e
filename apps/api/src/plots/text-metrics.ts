// Text widths for vega's layout without a canvas: DejaVu Sans advance widths (the font resvg draws the PNG with),
// read from DejaVuSans.ttf / DejaVuSans-Bold.ttf (hmtx, in em), so titles, legends and labels get the room they take
// rather than vega's fallback guess of 0.8 em a character (the hook vl-convert uses, textMetrics.width).
import * as vega from 'vega';

/** Advance widths of U+0020..U+007E, in em. */
const REGULAR = [
  0.318, 0.401, 0.46, 0.838, 0.636, 0.95, 0.78, 0.275, 0.39, 0.39, 0.5, 0.838, 0.318, 0.361, 0.318, 0.337, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636,
  0.636, 0.636, 0.636, 0.636, 0.337, 0.337, 0.838, 0.838, 0.838, 0.531, 1.0, 0.684, 0.686, 0.698, 0.77, 0.632, 0.575, 0.775, 0.752, 0.295, 0.295,
  0.656, 0.557, 0.863, 0.748, 0.787, 0.603, 0.787, 0.695, 0.635, 0.611, 0.732, 0.684, 0.989, 0.685, 0.611, 0.685, 0.39, 0.337, 0.39, 0.838, 0.5, 0.5,
  0.613, 0.635, 0.55, 0.635, 0.615, 0.352, 0.635, 0.634, 0.278, 0.278, 0.579, 0.278, 0.974, 0.634, 0.612, 0.635, 0.635, 0.411, 0.521, 0.392, 0.634,
  0.592, 0.818, 0.592, 0.592, 0.525, 0.636, 0.337, 0.636, 0.838,
];
const BOLD = [
  0.348, 0.456, 0.521, 0.838, 0.696, 1.002, 0.872, 0.306, 0.457, 0.457, 0.523, 0.838, 0.38, 0.415, 0.38, 0.365, 0.696, 0.696, 0.696, 0.696, 0.696,
  0.696, 0.696, 0.696, 0.696, 0.696, 0.4, 0.4, 0.838, 0.838, 0.838, 0.58, 1.0, 0.774, 0.762, 0.734, 0.83, 0.683, 0.683, 0.821, 0.837, 0.372, 0.372,
  0.775, 0.637, 0.995, 0.837, 0.85, 0.733, 0.85, 0.77, 0.72, 0.682, 0.812, 0.774, 1.103, 0.771, 0.724, 0.725, 0.457, 0.365, 0.457, 0.838, 0.5, 0.5,
  0.675, 0.716, 0.593, 0.716, 0.678, 0.435, 0.716, 0.712, 0.343, 0.343, 0.665, 0.343, 1.042, 0.712, 0.687, 0.716, 0.716, 0.493, 0.595, 0.478, 0.712,
  0.652, 0.924, 0.645, 0.652, 0.582, 0.712, 0.365, 0.712, 0.838,
];
/** A few non-ASCII characters the plots print: [regular, bold]. */
const EXTRA: Record<string, [number, number]> = {
  '·': [0.318, 0.38],
  '±': [0.838, 0.838],
  '−': [0.838, 0.838],
  Δ: [0.684, 0.774],
  '→': [0.838, 0.838],
  '…': [1, 1],
};
/** Anything else: about an average lowercase letter. */
const OTHER = [0.62, 0.7] as const;

interface TextItem {
  text?: unknown;
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
}

export function textWidth(text: string, fontSize: number, bold: boolean): number {
  const table = bold ? BOLD : REGULAR;
  const w = bold ? 1 : 0;
  let em = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    em += code >= 32 && code <= 126 ? table[code - 32]! : (EXTRA[ch]?.[w] ?? OTHER[w]);
  }
  return em * fontSize;
}

function measure(item: TextItem, line?: unknown): number {
  const text = String(line ?? (Array.isArray(item.text) ? (item.text[0] ?? '') : (item.text ?? ''))).trim();
  const size = item.fontSize != null ? +item.fontSize || 0 : 11;
  const weight = item.fontWeight;
  const bold = weight === 'bold' || weight === 'bolder' || Number(weight) >= 600;
  const width = textWidth(text, size, bold);
  // vega truncates text longer than its limit (with an ellipsis): it then takes the limit.
  return item.limit && item.limit > 0 ? Math.min(width, item.limit) : width;
}

interface VegaTextMetrics {
  width: (item: TextItem, text?: unknown) => number;
}

/** Makes vega measure text with the table above (vega keeps one textMetrics per process). */
export function installTextMetrics(): void {
  (vega as unknown as { textMetrics: VegaTextMetrics }).textMetrics.width = measure;
}
