// Pillow 9.4's affine resampling on HWC images, reproduced operation for operation (libImaging/Geometry.c):
// NEAREST uses ImagingScaleAffine when the matrix has no shear/rotation and 16.16 fixed-point arithmetic otherwise;
// BILINEAR uses the generic transform with the bilinear filter. Outside the source, pixels are 0 (fill).
import type { Image } from '../image.js';

export type Affine = readonly [number, number, number, number, number, number];
type Pixels = Uint8Array | Float32Array;

/** C's (int) cast of a double (truncation toward zero). */
const trunc = (v: number) => (v < 0 ? Math.ceil(v) : Math.floor(v)) | 0;
/** Geometry.c COORD(): -1 for negatives, truncation otherwise. */
const coord = (v: number) => (v < 0 ? -1 : trunc(v));
/** Geometry.c FLOOR(). */
const floorC = (v: number) => (v < 0 ? Math.floor(v) : trunc(v));

function blank<T extends Pixels>(img: Image<T>): T {
  return new (img.data.constructor as new (n: number) => T)(img.data.length);
}

/**
 * img.transform(size, AFFINE, a, NEAREST): output pixel (x, y) samples the input at (a0·x' + a1·y' + a2, a3·x' + a4·y' + a5)
 * with x' = x + 0.5, y' = y + 0.5.
 */
export function affineNearest<T extends Pixels>(img: Image<T>, a: Affine): Image<T> {
  const { width: w, height: h, channels: c, data } = img;
  const out = blank(img);
  if (a[1] === 0 && a[3] === 0) {
    // ImagingScaleAffine: pre-tabulated columns, rows by COORD.
    const xin = new Int32Array(w).fill(-1);
    let xo = a[2] + a[0] * 0.5;
    for (let x = 0; x < w; x++, xo += a[0]) {
      const xi = coord(xo);
      if (xi >= 0 && xi < w) xin[x] = xi;
    }
    let yo = a[5] + a[4] * 0.5;
    for (let y = 0; y < h; y++, yo += a[4]) {
      const yi = coord(yo);
      if (yi < 0 || yi >= h) continue;
      for (let x = 0; x < w; x++) {
        const xi = xin[x]!;
        if (xi < 0) continue;
        const d = (y * w + x) * c;
        const s = (yi * w + xi) * c;
        for (let k = 0; k < c; k++) out[d + k] = data[s + k]!;
      }
    }
    return { data: out, width: w, height: h, channels: c };
  }
  const fix = (v: number) => floorC(v * 65536.0 + 0.5);
  const a0 = fix(a[0]);
  const a1 = fix(a[1]);
  const a3 = fix(a[3]);
  const a4 = fix(a[4]);
  let a2 = fix(a[2] + a[0] * 0.5 + a[1] * 0.5);
  let a5 = fix(a[5] + a[3] * 0.5 + a[4] * 0.5);
  for (let y = 0; y < h; y++) {
    let xx = a2;
    let yy = a5;
    for (let x = 0; x < w; x++) {
      const xi = xx >> 16;
      if (xi >= 0 && xi < w) {
        const yi = yy >> 16;
        if (yi >= 0 && yi < h) {
          const d = (y * w + x) * c;
          const s = (yi * w + xi) * c;
          for (let k = 0; k < c; k++) out[d + k] = data[s + k]!;
        }
      }
      xx = (xx + a0) | 0;
      yy = (yy + a3) | 0;
    }
    a2 = (a2 + a1) | 0;
    a5 = (a5 + a4) | 0;
  }
  return { data: out, width: w, height: h, channels: c };
}

/** img.transform(size, AFFINE, a, BILINEAR) for uint8 images (Geometry.c bilinear_filter32RGB / filter8). */
export function affineBilinear(img: Image<Uint8Array>, a: Affine): Image<Uint8Array> {
  const { width: w, height: h, channels: c, data } = img;
  const out = new Uint8Array(data.length);
  const xclip = (x: number) => (x < 0 ? 0 : x < w ? x : w - 1);
  const yclip = (y: number) => (y < 0 ? 0 : y < h ? y : h - 1);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let xin = a[0] * (x + 0.5) + a[1] * (y + 0.5) + a[2];
      let yin = a[3] * (x + 0.5) + a[4] * (y + 0.5) + a[5];
      if (xin < 0.0 || xin >= w || yin < 0.0 || yin >= h) continue;
      xin -= 0.5;
      yin -= 0.5;
      const xf = floorC(xin);
      const yf = floorC(yin);
      const dx = xin - xf;
      const dy = yin - yf;
      const x0 = xclip(xf) * c;
      const x1 = xclip(xf + 1) * c;
      const row0 = yclip(yf) * w * c;
      const hasRow1 = yf + 1 >= 0 && yf + 1 < h;
      const row1 = (yf + 1) * w * c;
      for (let k = 0; k < c; k++) {
        const a0v = data[row0 + x0 + k]!;
        let v1 = a0v + (data[row0 + x1 + k]! - a0v) * dx;
        let v2 = v1;
        if (hasRow1) {
          const b0 = data[row1 + x0 + k]!;
          v2 = b0 + (data[row1 + x1 + k]! - b0) * dx;
        }
        v1 = v1 + (v2 - v1) * dy;
        out[(y * w + x) * c + k] = trunc(v1) & 255;
      }
    }
  }
  return { data: out, width: w, height: h, channels: c };
}

/** Python's round(x, 15), as Image.rotate rounds its matrix. */
function round15(x: number): number {
  return Number(x.toFixed(15));
}

/** The matrix Image.rotate(angle) (counter-clockwise, about the centre, expand=False) passes to transform. */
export function rotationMatrix(angleDeg: number, w: number, h: number): Affine {
  const angle = -((angleDeg % 360) * Math.PI) / 180;
  const m = [round15(Math.cos(angle)), round15(Math.sin(angle)), 0.0, round15(-Math.sin(angle)), round15(Math.cos(angle)), 0.0];
  const cx = w / 2.0;
  const cy = h / 2.0;
  m[2] = m[0]! * -cx + m[1]! * -cy + m[2]!;
  m[5] = m[3]! * -cx + m[4]! * -cy + m[5]!;
  m[2] += cx;
  m[5] += cy;
  return m as unknown as Affine;
}

/** Image.rotate(angle, resample, expand=False, fill 0) including its exact 0/90/180/270 shortcuts. */
export function rotate<T extends Pixels>(img: Image<T>, angleDeg: number, resample: 'nearest' | 'bilinear' = 'nearest'): Image<T> {
  // Python's % takes the sign of the divisor.
  const angle = ((angleDeg % 360) + 360) % 360;
  if (angle === 0) return { ...img, data: img.data.slice() as T };
  if (angle === 180) return transpose(img, 180);
  if ((angle === 90 || angle === 270) && img.width === img.height) return transpose(img, angle);
  const m = rotationMatrix(angle, img.width, img.height);
  if (resample === 'bilinear') return affineBilinear(img as unknown as Image<Uint8Array>, m) as unknown as Image<T>;
  return affineNearest(img, m);
}

/** Exact 90° turns (Image.transpose ROTATE_90/180/270: counter-clockwise). */
function transpose<T extends Pixels>(img: Image<T>, angle: 90 | 180 | 270): Image<T> {
  const { width: w, height: h, channels: c, data } = img;
  const ow = angle === 180 ? w : h;
  const oh = angle === 180 ? h : w;
  const out = blank(img);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      // Source pixel for output (x, y).
      const [sx, sy] = angle === 180 ? [w - 1 - x, h - 1 - y] : angle === 90 ? [w - 1 - y, x] : [y, h - 1 - x];
      const d = (y * ow + x) * c;
      const s = (sy * w + sx) * c;
      for (let k = 0; k < c; k++) out[d + k] = data[s + k]!;
    }
  }
  return { data: out, width: ow, height: oh, channels: c };
}
