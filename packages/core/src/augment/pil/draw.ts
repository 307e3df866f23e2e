// ImageDraw.rectangle(xy, fill): a filled rectangle with both corners inclusive, clipped to the image.
import type { Image } from '../image.js';

export function fillRect(img: Image<Uint8Array>, x0: number, y0: number, x1: number, y1: number, color: readonly number[]): Image<Uint8Array> {
  const { width: w, height: h, channels: c } = img;
  const out = img.data.slice();
  for (let y = Math.max(0, y0); y <= Math.min(h - 1, y1); y++) {
    for (let x = Math.max(0, x0); x <= Math.min(w - 1, x1); x++) {
      for (let k = 0; k < c; k++) out[(y * w + x) * c + k] = color[k % color.length]!;
    }
  }
  return { ...img, data: out };
}
