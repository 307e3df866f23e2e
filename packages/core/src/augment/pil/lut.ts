// Pillow 9.4's per-channel lookup-table ops (PIL/ImageOps.py): autocontrast, equalize, solarize, posterize, invert.
import type { Image } from '../image.js';

/** Per-channel 256-entry histograms of a uint8 image. */
export function histograms(img: Image<Uint8Array>): Uint32Array[] {
  const { channels: c, data } = img;
  const h = Array.from({ length: c }, () => new Uint32Array(256));
  for (let i = 0; i < data.length; i++) h[i % c]![data[i]!]!++;
  return h;
}

/** image.point(lut): one 256-entry table per channel. */
export function applyLuts(img: Image<Uint8Array>, luts: ArrayLike<number>[]): Image<Uint8Array> {
  const { channels: c, data } = img;
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = luts[i % c]![data[i]!]!;
  return { ...img, data: out };
}

export function applyLut(img: Image<Uint8Array>, lut: ArrayLike<number>): Image<Uint8Array> {
  return applyLuts(
    img,
    Array.from({ length: img.channels }, () => lut),
  );
}

const IDENTITY = Uint8Array.from({ length: 256 }, (_, i) => i);

/** ImageOps.autocontrast(img) with cutoff 0: per channel, stretch [lo, hi] to [0, 255]. */
export function autocontrast(img: Image<Uint8Array>): Image<Uint8Array> {
  const luts = histograms(img).map((h) => {
    let lo = 0;
    while (lo < 255 && !h[lo]) lo++;
    let hi = 255;
    while (hi > 0 && !h[hi]) hi--;
    if (hi <= lo) return IDENTITY;
    const scale = 255.0 / (hi - lo);
    const offset = -lo * scale;
    return Uint8Array.from({ length: 256 }, (_, i) => {
      const v = Math.trunc(i * scale + offset);
      return Math.min(255, Math.max(0, v));
    });
  });
  return applyLuts(img, luts);
}

/** ImageOps.equalize(img): per-channel histogram equalisation with Pillow's integer step arithmetic. */
export function equalize(img: Image<Uint8Array>): Image<Uint8Array> {
  const luts = histograms(img).map((h) => {
    const nonzero = [...h].filter((v) => v);
    if (nonzero.length <= 1) return IDENTITY;
    const step = Math.floor((nonzero.reduce((a, b) => a + b, 0) - nonzero[nonzero.length - 1]!) / 255);
    if (!step) return IDENTITY;
    let n = Math.floor(step / 2);
    const lut = new Uint8Array(256);
    for (let i = 0; i < 256; i++) {
      lut[i] = Math.min(255, Math.floor(n / step));
      n += h[i]!;
    }
    return lut;
  });
  return applyLuts(img, luts);
}

/** ImageOps.solarize(img, threshold): values ≥ threshold are inverted. */
export function solarize(img: Image<Uint8Array>, threshold: number): Image<Uint8Array> {
  return applyLut(
    img,
    Uint8Array.from({ length: 256 }, (_, i) => (i < threshold ? i : 255 - i)),
  );
}

/** ImageOps.posterize(img, bits): keep the top `bits` bits. */
export function posterize(img: Image<Uint8Array>, bits: number): Image<Uint8Array> {
  const mask = ~(2 ** (8 - bits) - 1);
  return applyLut(
    img,
    Uint8Array.from({ length: 256 }, (_, i) => i & mask),
  );
}

/** ImageOps.invert(img). */
export function invert(img: Image<Uint8Array>): Image<Uint8Array> {
  return applyLut(
    img,
    Uint8Array.from({ length: 256 }, (_, i) => 255 - i),
  );
}
