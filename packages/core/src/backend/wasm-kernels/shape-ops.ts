// Shape helpers for the wasm gradient kernels: zero-insertion (stride dilation) and signed padding.
import type { Tensor4D } from '@tensorflow/tfjs-core';
import { tf } from '../../tf.js';

/**
 * Inserts (s-1) zeros between rows and columns of an NHWC tensor: [N,H,W,C] → [N,(H-1)sh+1,(W-1)sw+1,C]. Only rank-4
 * ops (wasm runs rank-5/6 slices in a slow generic path): zero channels are appended and folded into the width
 * (reshape [N,H,W,sC] → [N,H,sW,C] interleaves a zero pixel after each pixel), then the same for rows.
 */
export function dilate(x: Tensor4D, sh: number, sw: number): Tensor4D {
  if (sh === 1 && sw === 1) return x;
  const [n, h, w, c] = x.shape;
  let y = x;
  if (sw > 1)
    y = tf.reshape(
      tf.pad(y, [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, (sw - 1) * c],
      ]),
      [n, h, w * sw, c],
    ) as Tensor4D;
  if (sh > 1)
    y = tf.reshape(
      tf.pad(y, [
        [0, 0],
        [0, 0],
        [0, (sh - 1) * w * sw],
        [0, 0],
      ]),
      [n, h * sh, w * sw, c],
    ) as Tensor4D;
  return tf.slice(y, [0, 0, 0, 0], [n, (h - 1) * sh + 1, (w - 1) * sw + 1, c]);
}

/** Pads rows/cols by the given amounts; a negative amount crops that many instead. */
export function padOrCrop(x: Tensor4D, top: number, bottom: number, left: number, right: number): Tensor4D {
  const [n, h, w, c] = x.shape;
  const cropped =
    top < 0 || bottom < 0 || left < 0 || right < 0
      ? tf.slice(
          x,
          [0, Math.max(0, -top), Math.max(0, -left), 0],
          [n, h - Math.max(0, -top) - Math.max(0, -bottom), w - Math.max(0, -left) - Math.max(0, -right), c],
        )
      : x;
  if (top <= 0 && bottom <= 0 && left <= 0 && right <= 0) return cropped;
  return tf.pad(cropped, [
    [0, 0],
    [Math.max(0, top), Math.max(0, bottom)],
    [Math.max(0, left), Math.max(0, right)],
    [0, 0],
  ]);
}
