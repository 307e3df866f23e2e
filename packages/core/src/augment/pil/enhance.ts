// Pillow 9.4's ImageEnhance (Color, Contrast, Brightness, Sharpness) = Image.blend(degenerate, image, factor), with
// Blend.c's float32 arithmetic and truncation, Convert.c's fixed-point luma and Filter.c's 3x3 SMOOTH kernel.
import type { Image } from '../image.js';

const f32 = Math.fround;

/** Image.blend(a, b, alpha): a + alpha·(b - a) in float32, truncated (clipped to 0..255 when extrapolating). */
export function blend(a: Uint8Array, b: Uint8Array, alpha: number, like: Image<Uint8Array>): Image<Uint8Array> {
  const al = f32(alpha);
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const t = f32(a[i]! + f32(al * (b[i]! - a[i]!)));
    out[i] = t <= 0 ? 0 : t >= 255 ? 255 : Math.trunc(t);
  }
  return { ...like, data: out };
}

/** convert('L'): ITU-R 601-2 luma in 16.16 fixed point, L = (19595 R + 38470 G + 7471 B + 0x8000) >> 16. */
export function luma(img: Image<Uint8Array>): Uint8Array {
  const { data, channels: c } = img;
  if (c === 1) return data.slice();
  const n = data.length / c;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = i * c;
    out[i] = (data[p]! * 19595 + data[p + 1]! * 38470 + data[p + 2]! * 7471 + 0x8000) >>> 16;
  }
  return out;
}

/** A single-channel plane replicated to the image's channels (convert('L').convert(mode)). */
function fromLuma(l: Uint8Array, c: number): Uint8Array {
  const out = new Uint8Array(l.length * c);
  for (let i = 0; i < l.length; i++) for (let k = 0; k < c; k++) out[i * c + k] = l[i]!;
  return out;
}

/** ImageEnhance.Brightness: blend with black. */
export function brightness(img: Image<Uint8Array>, factor: number): Image<Uint8Array> {
  return blend(new Uint8Array(img.data.length), img.data, factor, img);
}

/** ImageEnhance.Color: blend with the greyscale version. */
export function color(img: Image<Uint8Array>, factor: number): Image<Uint8Array> {
  return blend(fromLuma(luma(img), img.channels), img.data, factor, img);
}

/** ImageEnhance.Contrast: blend with a flat image at the rounded mean luma. */
export function contrast(img: Image<Uint8Array>, factor: number): Image<Uint8Array> {
  const l = luma(img);
  let sum = 0;
  for (let i = 0; i < l.length; i++) sum += l[i]!;
  const mean = Math.trunc(sum / l.length + 0.5);
  return blend(new Uint8Array(img.data.length).fill(mean), img.data, factor, img);
}

/** ImageEnhance.Sharpness: blend with ImageFilter.SMOOTH (3x3 [1 1 1; 1 5 1; 1 1 1]/13, borders copied). */
export function sharpness(img: Image<Uint8Array>, factor: number): Image<Uint8Array> {
  return blend(smooth(img), img.data, factor, img);
}

const K_EDGE = f32(1 / 13);
const K_CENTRE = f32(5 / 13);

/** ImagingFilter3x3 with the SMOOTH kernel: float32 sums, +0.5 and truncation; first/last rows and columns copied. */
export function smooth(img: Image<Uint8Array>): Uint8Array {
  const { width: w, height: h, channels: c, data } = img;
  const out = data.slice();
  const row = w * c;
  const k1x3 = (p: number, k0: number, k1: number, k2: number) => f32(f32(f32(data[p - c]! * k0) + f32(data[p]! * k1)) + f32(data[p + c]! * k2));
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      for (let k = 0; k < c; k++) {
        const p = y * row + x * c + k;
        let ss = f32(0.5);
        ss = f32(ss + k1x3(p + row, K_EDGE, K_EDGE, K_EDGE));
        ss = f32(ss + k1x3(p, K_EDGE, K_CENTRE, K_EDGE));
        ss = f32(ss + k1x3(p - row, K_EDGE, K_EDGE, K_EDGE));
        out[p] = ss <= 0 ? 0 : ss >= 255 ? 255 : Math.trunc(ss);
      }
    }
  }
  return out;
}
